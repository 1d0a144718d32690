import type { Command } from 'commander';
import { SETUP_LINK_DAYS } from '../modules/organisations/account-links.service.ts';
import { createUser, disableUser, findUserIdByEmail } from '../modules/organisations/users.service.ts';
import { AppError } from '../platform/http/errors.ts';
import { configFrom, printCreated, withServices, type CommonOptions } from './context.ts';
import { UsageError } from './errors.ts';

const CLI_ACTOR = { type: 'cli' as const, id: 'haven-cli' };

interface CreateOptions extends CommonOptions {
  email: string;
  role: string;
  org: string;
  passwordStdin?: boolean;
  json?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  // One trailing newline (from echo or a here-string) is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage staff accounts');

  user
    .command('create')
    .description('create a staff account with a role in an organisation; prints its id as the last line')
    .requiredOption('--email <email>', 'the person’s work e-mail address')
    .requiredOption(
      '--role <role>',
      'e.g. school_admin, data_manager, senior_leader, teacher, platform_operator',
    )
    .requiredOption('--org <id>', 'the organisation (school, trust, local authority, or the platform) id')
    .option(
      '--password-stdin',
      'read the password from standard input (otherwise a one-time set-up link is printed)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: CreateOptions) => {
      const password = options.passwordStdin === true ? await readStdin() : undefined;
      if (password === '') {
        throw new UsageError('--password-stdin was given but standard input was empty.');
      }
      const created = await withServices(configFrom(options), (services) =>
        createUser(
          services,
          { email: options.email, role: options.role, orgId: options.org, password },
          CLI_ACTOR,
        ),
      );
      const summary = created.existing
        ? `That address already has an account; granted ${options.role}.`
        : created.setupLink === undefined
          ? 'Created the account.'
          : `Created the account. Give its owner this one-time link to set a password (valid ${SETUP_LINK_DAYS} days):\n${created.setupLink}`;
      printCreated(options.json === true, summary, {
        id: created.id,
        existing: created.existing,
        ...(created.setupLink === undefined ? {} : { setupLink: created.setupLink }),
      });
    });

  user
    .command('disable')
    .description('disable an account and end all its sessions')
    .requiredOption('--email <email>', 'the account’s e-mail address')
    .action(async (options: CommonOptions & { email: string }) => {
      await withServices(configFrom(options), async (services) => {
        const userId = await findUserIdByEmail(services, options.email);
        if (userId === undefined) {
          throw new AppError(404, 'not_found', 'There is no account with that e-mail address.');
        }
        await disableUser(services, userId, CLI_ACTOR);
        console.log(`Disabled account ${userId} and ended its sessions.`);
      });
    });
}
