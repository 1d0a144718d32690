import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, describeDatabase, loadConfig } from './config.ts';

const TLS_CERT = path.resolve(import.meta.dirname, '../../test/fixtures/tls/cert.pem');
const TLS_KEY = path.resolve(import.meta.dirname, '../../test/fixtures/tls/key.pem');

describe('loadConfig', () => {
  test('defaults: ./data, embedded database, localhost:8080, info logs', () => {
    const config = loadConfig({});
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.host, 'localhost');
    assert.equal(config.port, 8080);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.governance, {
      operatorName: undefined,
      operatorContact: undefined,
      storageRegion: undefined,
      backupRegion: undefined,
    });
  });

  test('flags win over the environment', () => {
    const config = loadConfig(
      { HAVEN_DATA: '/srv/haven', PORT: '9000' },
      { data: '/tmp/other', port: '9100' },
    );
    assert.equal(config.dataDir, '/tmp/other');
    assert.equal(config.port, 9100);
  });

  test('reads every documented variable', () => {
    const config = loadConfig({
      HAVEN_DATA: '/srv/haven',
      DATABASE_URL: 'postgres://haven@db.internal:5432/haven',
      HAVEN_HOST: '0.0.0.0',
      PORT: '3000',
      HAVEN_LOG_LEVEL: 'DEBUG',
      HAVEN_TRUST_PROXY: '1',
      HAVEN_SHUTDOWN_TIMEOUT_MS: '2500',
      HAVEN_DATABASE_POOL_SIZE: '20',
      HAVEN_AUDIT_CHECKPOINT_MINUTES: '15',
      HAVEN_PUBLIC_URL: 'https://haven.example.org/ignored/path',
      HAVEN_SMTP_URL: 'smtps://haven:secret@mail.example.org:465',
      HAVEN_MAIL_FROM: 'Haven <haven@example.org>',
      HAVEN_APP_RATE_PER_5_MINUTES: '1200',
      HAVEN_OPERATOR_NAME: 'Example Hosting Ltd',
      HAVEN_OPERATOR_CONTACT: 'dpo@example.org',
      HAVEN_STORAGE_REGION: 'uk:London',
      HAVEN_BACKUP_REGION: 'IE',
      HAVEN_CONNECTOR_PRIVATE_HOSTS: 'true',
    });
    assert.deepEqual(config, {
      dataDir: '/srv/haven',
      databaseUrl: 'postgres://haven@db.internal:5432/haven',
      host: '0.0.0.0',
      port: 3000,
      tls: undefined,
      logLevel: 'debug',
      trustProxy: 1,
      shutdownTimeoutMs: 2500,
      databasePoolSize: 20,
      auditCheckpointMinutes: 15,
      adminEmail: 'admin@haven.localhost',
      demoEmail: 'demo@haven.localhost',
      publicUrl: 'https://haven.example.org',
      backups: { dir: '/srv/haven/backups', keep: 14, schedule: '0 1,13 * * *' },
      connectorDir: '/srv/haven/connectors',
      connectorPrivateHosts: true,
      mail: {
        smtpUrl: 'smtps://haven:secret@mail.example.org:465',
        from: 'Haven <haven@example.org>',
        outboxDir: '/srv/haven/outbox',
      },
      auth: {
        sessionIdleMinutes: 15,
        sessionMaxHours: 12,
        cookieSecure: true,
        loginMaxFailures: 5,
        loginLockMinutes: 15,
        loginRatePerMinute: 20,
        appRatePerFiveMinutes: 1200,
        publicOrigin: 'https://haven.example.org',
      },
      governance: {
        operatorName: 'Example Hosting Ltd',
        operatorContact: 'dpo@example.org',
        storageRegion: { code: 'GB', name: 'United Kingdom', basis: 'uk', location: 'London' },
        backupRegion: { code: 'IE', name: 'Ireland', basis: 'eea', location: null },
      },
    });
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    [
      'an app rate limit of zero',
      { HAVEN_APP_RATE_PER_5_MINUTES: '0' },
      /^HAVEN_APP_RATE_PER_5_MINUTES must be between 1 and 1000000 \(got 0\)/,
    ],
    [
      'a port that is not a number',
      { PORT: 'eighty' },
      /^PORT must be a whole number between 0 and 65535 \(got "eighty"\)/,
    ],
    ['a port out of range', { PORT: '70000' }, /^PORT must be between 0 and 65535 \(got 70000\)/],
    [
      'a database URL of another kind',
      { DATABASE_URL: 'mysql://x@y/z' },
      /^DATABASE_URL must start with postgres:\/\//,
    ],
    ['a database URL that is not a URL', { DATABASE_URL: 'not a url' }, /^DATABASE_URL is not a valid URL/],
    [
      'a database URL without a database',
      { DATABASE_URL: 'postgres://x@y:5432' },
      /^DATABASE_URL names no database/,
    ],
    [
      'a mail server URL of another kind',
      { HAVEN_SMTP_URL: 'http://mail' },
      /^HAVEN_SMTP_URL must look like smtp:\/\//,
    ],
    ['an unknown log level', { HAVEN_LOG_LEVEL: 'loud' }, /^HAVEN_LOG_LEVEL must be one of fatal, error/],
    [
      'a boolean that is not one',
      { HAVEN_COOKIE_SECURE: 'maybe' },
      /^HAVEN_COOKIE_SECURE must be true or false/,
    ],
    [
      'trusting every proxy hop',
      { HAVEN_TRUST_PROXY: 'true' },
      /^HAVEN_TRUST_PROXY=true would believe X-Forwarded-For from anyone.*give the number of proxies in front of Haven \(e\.g\. 1\) or their addresses/,
    ],
    [
      'trusting every proxy hop, however it is spelled',
      { HAVEN_TRUST_PROXY: ' Yes ' },
      /^HAVEN_TRUST_PROXY=Yes would believe X-Forwarded-For from anyone/,
    ],
    [
      'a proxy list with something that is not an address',
      { HAVEN_TRUST_PROXY: '10.0.0.5,proxy.internal' },
      /^HAVEN_TRUST_PROXY must be false, a number of proxies.*"proxy\.internal" is none of these/,
    ],
    [
      'a proxy range with an impossible prefix',
      { HAVEN_TRUST_PROXY: '10.0.0.0/33' },
      /^HAVEN_TRUST_PROXY must be false.*"10\.0\.0\.0\/33"/,
    ],
    ['an empty entry in a proxy list', { HAVEN_TRUST_PROXY: '10.0.0.5,,10.0.0.6' }, /"" is none of these/],
    ['too many proxy hops', { HAVEN_TRUST_PROXY: '11' }, /^HAVEN_TRUST_PROXY must be between 0 and 10/],
    ['an empty data directory', { HAVEN_DATA: ' ' }, /^HAVEN_DATA is set but empty/],
    [
      'a pool size of zero',
      { HAVEN_DATABASE_POOL_SIZE: '0' },
      /^HAVEN_DATABASE_POOL_SIZE must be between 1 and 500/,
    ],
    [
      'a database declared to be outside the UK, the EEA and the adequacy countries',
      { HAVEN_STORAGE_REGION: 'US:us-east-1' },
      /^HAVEN_STORAGE_REGION names US, which is outside the UK, the EEA and the UK adequacy countries \(src\/platform\/residency\.json\) \(got "US:us-east-1"\)\.$/,
    ],
    [
      'a backup target declared to be outside the allowed list',
      { HAVEN_STORAGE_REGION: 'GB', HAVEN_BACKUP_REGION: 'in' },
      /^HAVEN_BACKUP_REGION names IN, which is outside the UK, the EEA/,
    ],
    [
      'a region that is not a country code',
      { HAVEN_STORAGE_REGION: 'eu-west-2' },
      /^HAVEN_STORAGE_REGION must be a two-letter country code \(e\.g\. GB\)/,
    ],
    ['an empty region', { HAVEN_BACKUP_REGION: '' }, /^HAVEN_BACKUP_REGION is set but empty/],
    ['keeping no backups', { HAVEN_BACKUP_KEEP: '0' }, /^HAVEN_BACKUP_KEEP must be between 1 and 10000/],
    [
      'a backup schedule that is not a cron pattern',
      { HAVEN_BACKUP_SCHEDULE: 'twice a day' },
      /^HAVEN_BACKUP_SCHEDULE must be a cron pattern .*\(got "twice a day"\)/,
    ],
    ['an empty backup directory', { HAVEN_BACKUP_DIR: ' ' }, /^HAVEN_BACKUP_DIR is set but empty/],
  ];
  for (const [what, env, message] of refusals) {
    test(`refuses ${what} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) =>
          error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'),
      );
    });
  }

  const trusted: Array<[string, false | number | string[]]> = [
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    [' 10.0.0.5 , 10.0.1.0/24,fd00::/8 ', ['10.0.0.5', '10.0.1.0/24', 'fd00::/8']],
  ];
  for (const [value, expected] of trusted) {
    test(`HAVEN_TRUST_PROXY="${value}" is ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(loadConfig({ HAVEN_TRUST_PROXY: value }).trustProxy, expected);
    });
  }

  test('backups: <data>/backups, 14 kept, twice a day unless set (off turns the schedule off)', () => {
    assert.deepEqual(loadConfig({ HAVEN_DATA: '/srv/haven' }).backups, {
      dir: '/srv/haven/backups',
      keep: 14,
      schedule: '0 1,13 * * *',
    });
    assert.deepEqual(
      loadConfig({ HAVEN_BACKUP_DIR: '/mnt/b', HAVEN_BACKUP_KEEP: '30', HAVEN_BACKUP_SCHEDULE: 'off' })
        .backups,
      { dir: '/mnt/b', keep: 30, schedule: undefined },
    );
  });

  test('TLS: both files from flags or the environment make an https public address and a Secure cookie', () => {
    const fromEnv = loadConfig({
      HAVEN_TLS_CERT: TLS_CERT,
      HAVEN_TLS_KEY: TLS_KEY,
      HAVEN_COOKIE_SECURE: 'false',
    });
    assert.deepEqual(fromEnv.tls, { certFile: TLS_CERT, keyFile: TLS_KEY });
    assert.equal(fromEnv.publicUrl, 'https://localhost:8080');
    assert.equal(fromEnv.auth.cookieSecure, true, 'served over TLS, the session cookie is Secure');
    const fromFlags = loadConfig(
      { HAVEN_TLS_CERT: '/nowhere/cert.pem', HAVEN_TLS_KEY: '/nowhere/key.pem' },
      { tlsCert: TLS_CERT, tlsKey: TLS_KEY },
    );
    assert.deepEqual(fromFlags.tls, { certFile: TLS_CERT, keyFile: TLS_KEY });
    assert.equal(loadConfig({}).tls, undefined);
    assert.equal(loadConfig({}).publicUrl, 'http://localhost:8080');
  });

  test('TLS: one file without the other, or a file that cannot be read, is refused', () => {
    assert.throws(
      () => loadConfig({ HAVEN_TLS_CERT: TLS_CERT }),
      (error: unknown) =>
        error instanceof ConfigError && /needs both a certificate and its private key/.test(error.message),
    );
    assert.throws(
      () => loadConfig({}, { tlsKey: TLS_KEY }),
      (error: unknown) => error instanceof ConfigError && /--tls-cert and --tls-key/.test(error.message),
    );
    assert.throws(
      () => loadConfig({}, { tlsCert: '/nowhere/cert.pem', tlsKey: TLS_KEY }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          '--tls-cert (HAVEN_TLS_CERT) names /nowhere/cert.pem, which does not exist or cannot be read.',
    );
  });

  test('a bad --port flag is named as the flag', () => {
    assert.throws(() => loadConfig({}, { port: 'x' }), /^ConfigError: --port must be a whole number/);
  });
});

describe('describeDatabase', () => {
  test('masks the password of a PostgreSQL URL', () => {
    const text = describeDatabase({ dataDir: '/d', databaseUrl: 'postgres://haven:s3cret@db:5432/haven' });
    assert.equal(text, 'PostgreSQL at db:5432/haven');
    assert.ok(!text.includes('s3cret'));
  });

  test('names the embedded database directory', () => {
    assert.equal(
      describeDatabase({ dataDir: '/d', databaseUrl: undefined }),
      'embedded PostgreSQL (PGlite) in /d/db',
    );
  });
});
