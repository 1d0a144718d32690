import type { Command } from 'commander';
import { checkpointAll, verifyAudit } from '../platform/audit/verify.ts';
import { configFrom, withServices, type CommonOptions } from './context.ts';
import { EXIT } from './errors.ts';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'recompute every hash chain and check signed checkpoints; exit 1 and name the first broken event',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const report = await withServices(configFrom(options), (services) =>
        verifyAudit(services.db, services.keyring.provider.auditPublicKeys()),
      );
      if (options.json === true) {
        console.log(JSON.stringify(report));
      } else {
        console.log(
          `Checked ${report.events} event(s) in ${report.organisations} chain(s) and ${report.checkpoints} signed checkpoint(s).`,
        );
        for (const problem of report.problems) {
          console.log(
            `BROKEN  organisation ${problem.orgId}: ${problem.problem}${problem.eventId === undefined ? '' : ` (event id ${problem.eventId})`}`,
          );
        }
        if (report.problems.length === 0) {
          console.log('The audit log is intact.');
        }
      }
      process.exitCode = report.problems.length === 0 ? EXIT.done : EXIT.refused;
    });

  audit
    .command('checkpoint')
    .description('sign the current head of every chain (Ed25519), so later rewriting is detectable')
    .action(async (options: CommonOptions) => {
      const signed = await withServices(configFrom(options), (services) =>
        checkpointAll(services.db, (message) => services.keyring.provider.signAudit(message)),
      );
      console.log(`Signed ${signed} checkpoint(s).`);
    });

  audit
    .command('public-key')
    .description('print the checkpoint verification key(s) (PEM), for verification outside Haven')
    .action(async (options: CommonOptions) => {
      const keys = await withServices(configFrom(options), async (services) =>
        services.keyring.provider.auditPublicKeys(),
      );
      for (const key of keys) {
        console.log(`# key id ${key.keyId}`);
        console.log(key.publicKey.export({ format: 'pem', type: 'spki' }).toString().trim());
      }
    });
}
