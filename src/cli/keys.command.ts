import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { listSchools } from '../modules/organisations/organisations.service.ts';
import type { Config } from '../platform/config.ts';
import { keyStatus } from '../platform/crypto/key-status.ts';
import { Keyring } from '../platform/crypto/keyring.ts';
import { removeUnusedPreviousKeyFiles, replaceMasterKeyFile } from '../platform/crypto/master-key.ts';
import { masterKeysInUse, rewrapUnderCurrentMasterKey, rotateDataKey } from '../platform/crypto/rotation.ts';
import type { Services } from '../services.ts';
import { configFrom, withServices, type CommonOptions } from './context.ts';
import { UsageError } from './errors.ts';

interface RotateOptions extends CommonOptions {
  school?: string;
  master?: boolean;
  batchSize: string;
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('encryption keys: rotation and status');

  keys
    .command('rotate')
    .description(
      "rotate schools' data keys (re-wraps subject keys; resumable), or the master key with --master",
    )
    .option('--school <id>', 'only this school')
    .option(
      '--master',
      'rotate the master key: re-wrap every school key under the current (or a new) master key',
    )
    .option('--batch-size <n>', 'subject keys re-wrapped per transaction', '500')
    .action(async (options: RotateOptions) => {
      const batchSize = Number.parseInt(options.batchSize, 10);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        throw new UsageError(
          `--batch-size must be a whole number of at least 1 (got "${options.batchSize}").`,
        );
      }
      if (options.master === true && options.school !== undefined) {
        throw new UsageError('--master rotates the key of every school; leave out --school.');
      }
      const config = configFrom(options);
      await withServices(config, (services) =>
        options.master === true
          ? rotateMaster(config, services)
          : rotateDataKeys(services, options.school, batchSize),
      );
    });

  keys
    .command('status')
    .description('key versions, rotation progress and master keys in use (never key material)')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const status = await withServices(configFrom(options), (services) =>
        keyStatus(services.db, services.keyring.provider),
      );
      if (options.json === true) {
        console.log(JSON.stringify(status));
        return;
      }
      console.log(`Current master key: ${status.currentMasterKeyId}`);
      for (const entry of status.masterKeysInUse) {
        console.log(
          `  master key ${entry.id} wraps school keys${entry.loaded ? '' : '  (NOT LOADED: keys it wraps cannot be read)'}`,
        );
      }
      for (const school of status.schools) {
        console.log(
          `School ${school.schoolId}${school.rotationInProgress ? '  (rotation in progress: run keys rotate to finish)' : ''}`,
        );
        for (const key of school.keys) {
          const count = key.purpose === 'data' ? `, wraps ${key.subjectKeys} subject key(s)` : '';
          console.log(
            `  ${key.purpose} key v${key.version} ${key.state}, under master key ${key.masterKeyId}${count}`,
          );
        }
      }
    });
}

async function rotateDataKeys(
  services: Services,
  onlySchool: string | undefined,
  batchSize: number,
): Promise<void> {
  const known = (await listSchools(services)).map((school) => school.id);
  if (onlySchool !== undefined && !known.includes(onlySchool)) {
    throw new UsageError(`There is no school with id ${onlySchool}; ./haven school list shows the ids.`);
  }
  const schools = onlySchool === undefined ? known : [onlySchool];
  for (const schoolId of schools) {
    const bar = new SingleBar({
      format: `  ${schoolId} [{bar}] {value}/{total} subject keys`,
      stream: process.stderr,
      noTTYOutput: false,
    });
    let started = false;
    const result = await rotateDataKey(services.db, services.keyring, schoolId, {
      batchSize,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    });
    bar.stop();
    console.log(
      `School ${schoolId}: data key now v${result.version}; ${result.rewrapped} subject key(s) re-wrapped.`,
    );
  }
}

/**
 * With a key file (embedded mode) a new master key is made; with HAVEN_MASTER_KEY the operator has
 * already put the new key there and the old one in HAVEN_MASTER_KEY_PREVIOUS. Either way every school
 * key is then re-wrapped; an interrupted run is finished rather than starting another rotation.
 */
async function rotateMaster(config: Config, services: Services): Promise<void> {
  const inUse = await masterKeysInUse(services.db);
  const current = services.keyring.provider.currentKekId;
  const unfinished = [...inUse].some((id) => id !== current);
  const usesKeyFile =
    (process.env.HAVEN_MASTER_KEY ?? '') === '' && (process.env.HAVEN_MASTER_KEY_FILE ?? '') === '';
  let keyring = services.keyring;
  if (usesKeyFile && !unfinished) {
    keyring = new Keyring(replaceMasterKeyFile(config.dataDir));
    console.log(
      `Created a new master key ${keyring.provider.currentKekId}; the old one is kept until nothing needs it.`,
    );
  }
  const count = await rewrapUnderCurrentMasterKey(services.db, keyring);
  console.log(`Re-wrapped ${count} school key(s) under master key ${keyring.provider.currentKekId}.`);
  const stillUsed = await masterKeysInUse(services.db);
  if (usesKeyFile) {
    for (const id of removeUnusedPreviousKeyFiles(config.dataDir, stillUsed)) {
      console.log(`Removed previous master key file ${id}.`);
    }
  } else if ([...stillUsed].every((id) => id === keyring.provider.currentKekId)) {
    console.log('No key needs a previous master key any more: HAVEN_MASTER_KEY_PREVIOUS can be removed.');
  }
}
