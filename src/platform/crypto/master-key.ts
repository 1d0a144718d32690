import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config.ts';
import { KEY_BYTES } from './aead.ts';
import { kekFingerprint, LocalKeyProvider } from './key-provider.ts';

export interface MasterKeySettings {
  dataDir: string;
  /** Set in server mode (DATABASE_URL): a key is then never created on the fly. */
  databaseUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

const CREATE_HINT = 'create one with: openssl rand -base64 32';

/** Where the embedded-mode master key lives. */
export function keyDirectory(dataDir: string): string {
  return path.join(dataDir, 'keys');
}

/**
 * Loads the root key (KEK) and any previous ones: HAVEN_MASTER_KEY (base64, 32 bytes) wins; otherwise
 * the key file (HAVEN_MASTER_KEY_FILE or <data>/keys/master.key). The embedded mode creates that file on
 * first start (mode 0600) and warns; server mode (DATABASE_URL) refuses to start without a key.
 */
export function loadKeyProvider(
  settings: MasterKeySettings,
  log: Logger,
  env: Env = process.env,
): LocalKeyProvider {
  const current = loadCurrent(settings, log, env);
  return new LocalKeyProvider(current, loadPrevious(settings, env));
}

function loadCurrent(settings: MasterKeySettings, log: Logger, env: Env): Buffer {
  const fromEnv = env.HAVEN_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    return decodeKey(fromEnv, 'HAVEN_MASTER_KEY');
  }
  const explicitFile = env.HAVEN_MASTER_KEY_FILE;
  const file =
    explicitFile !== undefined && explicitFile !== ''
      ? path.resolve(explicitFile)
      : path.join(keyDirectory(settings.dataDir), 'master.key');
  if (existsSync(file)) {
    return readKeyFile(file);
  }
  if (settings.databaseUrl !== undefined || explicitFile !== undefined) {
    throw new ConfigError(
      `No master key: set HAVEN_MASTER_KEY (base64, 32 bytes) or HAVEN_MASTER_KEY_FILE; ${CREATE_HINT}.`,
    );
  }
  const key = randomBytes(KEY_BYTES);
  writeKeyFile(file, key);
  log.warn(
    { file },
    'created a new master key for the embedded database. Production needs an external key: set HAVEN_MASTER_KEY ' +
      'from a secrets manager, and back this file up separately from the data, or everything encrypted is lost with it.',
  );
  return key;
}

function loadPrevious(settings: MasterKeySettings, env: Env): Buffer[] {
  const fromEnv = (env.HAVEN_MASTER_KEY_PREVIOUS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value) => decodeKey(value, 'HAVEN_MASTER_KEY_PREVIOUS'));
  const dir = keyDirectory(settings.dataDir);
  const fromFiles = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => /^previous-[0-9a-f]{16}\.key$/.test(name))
        .map((name) => readKeyFile(path.join(dir, name)))
    : [];
  return [...fromEnv, ...fromFiles];
}

function decodeKey(value: string, name: string): Buffer {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new ConfigError(`${name} is not base64; ${CREATE_HINT}.`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`${name} must decode to ${KEY_BYTES} bytes (got ${key.length}); ${CREATE_HINT}.`);
  }
  return key;
}

function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      `The master key file ${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${file}`,
    );
  }
  return decodeKey(readFileSync(file, 'utf8'), `The master key file ${file}`);
}

function writeKeyFile(file: string, key: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/**
 * Embedded mode's master key rotation, step one: the current key file becomes `previous-<id>.key` and a
 * new `master.key` is written. Until every wrapped key is re-wrapped both are loaded, so a crash between
 * steps loses nothing. Returns the new provider.
 */
export function replaceMasterKeyFile(dataDir: string): LocalKeyProvider {
  const dir = keyDirectory(dataDir);
  const file = path.join(dir, 'master.key');
  const old = readKeyFile(file);
  renameSync(file, path.join(dir, `previous-${kekFingerprint(old)}.key`));
  const next = randomBytes(KEY_BYTES);
  writeKeyFile(file, next);
  return new LocalKeyProvider(next, [
    old,
    ...loadPrevious({ dataDir, databaseUrl: undefined }, {}).filter((key) => !key.equals(old)),
  ]);
}

/** Removes previous master key files that no wrapped key needs any more. */
export function removeUnusedPreviousKeyFiles(dataDir: string, kekIdsInUse: ReadonlySet<string>): string[] {
  const dir = keyDirectory(dataDir);
  if (!existsSync(dir)) {
    return [];
  }
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const match = /^previous-([0-9a-f]{16})\.key$/.exec(name);
    if (match?.[1] !== undefined && !kekIdsInUse.has(match[1])) {
      rmSync(path.join(dir, name));
      removed.push(match[1]);
    }
  }
  return removed;
}
