// Haven's command line, run through ./haven (which brings Node 24). One file per command group.
import { Command, CommanderError } from 'commander';
import { HAVEN_VERSION } from '../version.ts';
import { registerAudit } from './audit.command.ts';
import { registerBackup } from './backup.command.ts';
import { registerBench } from './bench.command.ts';
import { registerCheck, registerDependencyAudit } from './check.command.ts';
import { registerConnector } from './connector.command.ts';
import { EXIT, reportFailure } from './errors.ts';
import { registerGenerate } from './generate.command.ts';
import { registerImport } from './import.command.ts';
import { registerKeys } from './keys.command.ts';
import { registerReport } from './report.command.ts';
import { registerMigrate } from './migrate.command.ts';
import { registerPrivacy } from './privacy.command.ts';
import { registerRetention } from './retention.command.ts';
import { registerOrganisation, registerSchool } from './school.command.ts';
import { registerStart } from './start.command.ts';
import { registerReliability } from './reliability.command.ts';
import { registerTest } from './test.command.ts';
import { registerUser } from './user.command.ts';

function buildProgram(): Command {
  const program = new Command('haven')
    .description('Haven: privacy-first pupil data platform for schools')
    .version(HAVEN_VERSION)
    .option('--data <dir>', 'data directory (default ./data, or HAVEN_DATA)')
    .showHelpAfterError('(run ./haven --help for usage)')
    .enablePositionalOptions(false);
  registerStart(program);
  registerTest(program);
  registerReliability(program);
  registerCheck(program);
  registerDependencyAudit(program);
  registerMigrate(program);
  registerSchool(program);
  registerOrganisation(program);
  registerUser(program);
  registerImport(program);
  registerGenerate(program);
  registerReport(program);
  registerKeys(program);
  registerAudit(program);
  registerPrivacy(program);
  registerRetention(program);
  registerConnector(program);
  registerBackup(program);
  registerBench(program);
  // --data is accepted before or after the command name; subcommands read it through optsWithGlobals.
  program.hook('preAction', (_root, action) => {
    const globals = action.optsWithGlobals<{ data?: string }>();
    if (globals.data !== undefined) {
      action.setOptionValue('data', globals.data);
    }
  });
  program.exitOverride();
  for (const command of allCommands(program)) {
    command.exitOverride();
  }
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.done;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is wrong usage.
      const ok =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return ok ? EXIT.done : EXIT.usage;
    }
    return reportFailure(error);
  }
}

const code = await main(process.argv.slice(2));
// `start` keeps the process alive through its server; everything else ends here.
if (code !== EXIT.done) {
  process.exit(code);
}
process.exitCode = code;
