import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cookieProblems, securityHeaderProblems } from '../src/platform/http/security-headers.ts';
import { cliEnv, collect, freePort, runCli, startCli, tempDataDir, waitForStderr } from './support/cli.ts';

// A self-signed certificate for localhost and 127.0.0.1, committed for tests only (test/fixtures/tls).
const CERT = path.resolve(import.meta.dirname, 'fixtures', 'tls', 'cert.pem');
const KEY = path.resolve(import.meta.dirname, 'fixtures', 'tls', 'key.pem');
const CA = readFileSync(CERT);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTPS request that trusts the test certificate only. */
function httpsRequest(url: string, options: { method?: string; body?: unknown } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const outgoing = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: CA,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

describe('start --tls-cert/--tls-key', () => {
  test('serves HTTPS with HSTS and the security headers, and the session cookie is Secure', async () => {
    const data = tempDataDir();
    const port = await freePort();
    // HAVEN_COOKIE_SECURE=false is overridden: served over TLS, the cookie is always Secure.
    const server = startCli(
      [
        'start',
        '--no-web-build',
        '--no-demo',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--tls-cert',
        CERT,
        '--tls-key',
        KEY,
        '--data',
        data,
      ],
      cliEnv({ HAVEN_COOKIE_SECURE: 'false' }),
    );
    const done = collect(server);
    try {
      const banner = await waitForStderr(server, /password: +(\S+)[\s\S]*Sign in at/, 60_000);
      assert.match(banner, new RegExp(`Haven is running at https://127\\.0\\.0\\.1:${port}`));
      const email = /e-mail: +(\S+)/.exec(banner)?.[1] ?? '';
      const password = /password: +(\S+)/.exec(banner)?.[1] ?? '';
      const base = `https://127.0.0.1:${port}`;

      const health = await httpsRequest(`${base}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(securityHeaderProblems(health.headers, { hsts: true }), []);

      const signIn = await httpsRequest(`${base}/api/v1/auth/login`, {
        method: 'POST',
        body: { email, password },
      });
      assert.equal(signIn.status, 200, signIn.body);
      const session = (signIn.headers['set-cookie'] ?? []).find((value) =>
        value.startsWith('haven_session='),
      );
      assert.ok(session !== undefined, 'sign-in sets the session cookie');
      assert.deepEqual(cookieProblems(session, { secure: true }), []);

      // Plain HTTP on the same port is not served.
      await assert.rejects(fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5_000) }));
    } finally {
      server.kill('SIGTERM');
      const exit = await done;
      assert.equal(exit.code, 0, exit.stderr);
    }
  });

  test('HAVEN_TLS_CERT and HAVEN_TLS_KEY do the same', async () => {
    const port = await freePort();
    const server = startCli(
      [
        'start',
        '--no-web-build',
        '--no-demo',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--data',
        tempDataDir(),
      ],
      cliEnv({ HAVEN_TLS_CERT: CERT, HAVEN_TLS_KEY: KEY }),
    );
    const done = collect(server);
    try {
      await waitForStderr(server, /Haven is running at https:\/\//, 60_000);
      const health = await httpsRequest(`https://127.0.0.1:${port}/health`);
      assert.equal(health.status, 200);
      assert.match(String(health.headers['strict-transport-security']), /max-age=31536000/);
    } finally {
      server.kill('SIGTERM');
      await done;
    }
  });

  test('a certificate without its key, or a key that is not PEM, is one line and nothing is opened', async () => {
    const data = tempDataDir();
    const alone = await runCli(['start', '--no-web-build', '--tls-cert', CERT, '--data', data]);
    assert.equal(alone.code, 2);
    assert.equal(
      alone.stderr.trim(),
      'haven: TLS needs both a certificate and its private key: give --tls-cert and --tls-key (or HAVEN_TLS_CERT and HAVEN_TLS_KEY), or neither.',
    );
    const notPem = path.join(data, 'not-a-key.pem');
    writeFileSync(notPem, 'not a key\n');
    const wrong = await runCli([
      'start',
      '--no-web-build',
      '--tls-cert',
      CERT,
      '--tls-key',
      notPem,
      '--data',
      data,
    ]);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(
      wrong.stderr.trim(),
      /^haven: --tls-cert .* and --tls-key .* are not a PEM certificate and its private key/,
    );
    assert.equal(wrong.stderr.trim().split('\n').length, 1);
  });
});
