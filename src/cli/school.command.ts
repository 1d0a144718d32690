import type { Command } from 'commander';
import {
  createOrganisation,
  createSchool,
  listSchools,
} from '../modules/organisations/organisations.service.ts';
import { configFrom, printCreated, withServices, type CommonOptions } from './context.ts';

interface CreateOptions extends CommonOptions {
  name: string;
  urn?: string;
  laCode?: string;
  establishmentNumber?: string;
  trust?: string;
  json?: boolean;
}

export function registerSchool(program: Command): void {
  const school = program.command('school').description('manage schools');

  school
    .command('create')
    .description('create a school; prints its id as the last line')
    .requiredOption('--name <name>', 'the school name')
    .option('--urn <urn>', 'Unique Reference Number (6 digits)')
    .option('--la-code <code>', 'local authority code (3 digits)')
    .option('--establishment-number <number>', 'DfE establishment number (4 digits)')
    .option('--trust <id>', 'the multi-academy trust the school belongs to (see org create)')
    .option('--json', 'print the created school as JSON')
    .action(async (options: CreateOptions) => {
      const created = await withServices(configFrom(options), (services) =>
        createSchool(services, {
          name: options.name,
          urn: options.urn,
          laCode: options.laCode,
          establishmentNumber: options.establishmentNumber,
          trustId: options.trust,
        }),
      );
      printCreated(options.json === true, `Created school ${created.name}.`, {
        ...created,
        createdAt: created.createdAt.toISOString(),
      });
    });

  school
    .command('list')
    .description('list every school on the platform')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const schools = await withServices(configFrom(options), (services) => listSchools(services));
      if (options.json === true) {
        console.log(JSON.stringify(schools));
        return;
      }
      if (schools.length === 0) {
        console.log('No schools yet. Create one with: ./haven school create --name "..."');
        return;
      }
      for (const entry of schools) {
        console.log(`${entry.id}  ${entry.urn ?? '------'}  ${entry.status.padEnd(7)}  ${entry.name}`);
      }
    });
}

export function registerOrganisation(program: Command): void {
  program
    .command('org')
    .description('manage trusts and local authorities')
    .command('create')
    .description(
      'create a multi-academy trust or a local authority (virtual school); prints its id as the last line',
    )
    .requiredOption('--kind <kind>', 'trust or local_authority')
    .requiredOption('--name <name>', 'the organisation name')
    .option('--json', 'print the created organisation as JSON')
    .action(async (options: CommonOptions & { kind: string; name: string; json?: boolean }) => {
      const created = await withServices(configFrom(options), (services) =>
        createOrganisation(services, options),
      );
      printCreated(
        options.json === true,
        `Created ${created.kind.replace('_', ' ')} ${created.name}.`,
        created,
      );
    });
}
