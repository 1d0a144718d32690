import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NODE_FLAGS } from '../../src/cli/node-child.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI under test gets: the embedded database, never a server from the outer shell. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HAVEN_LOG_LEVEL: 'warn' };
  for (const name of [
    'DATABASE_URL',
    'HAVEN_DATA',
    'HAVEN_MASTER_KEY',
    'HAVEN_MASTER_KEY_FILE',
    'HAVEN_MASTER_KEY_PREVIOUS',
    'HAVEN_PUBLIC_URL',
    'HAVEN_SMTP_URL',
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'haven-cli-'));
}

/** Starts `haven ARGS` with the same Node; the caller decides when it ends. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): ChildProcess {
  return spawn(process.execPath, [...NODE_FLAGS, MAIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `haven ARGS` to completion. */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  const child = startCli(args, options.env ?? cliEnv());
  child.stdin?.end(options.input ?? '');
  // A command that should end but serves forever would hang the suite: kill it, and the test fails.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const result = await collect(child);
  clearTimeout(guard);
  return result;
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Resolves with the stderr seen so far once `pattern` appears in it (or rejects on exit/timeout). */
export function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; stderr: ${seen}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stderr: ${seen}`));
    });
  });
}

/**
 * A TCP port that was free a moment ago, for a server that must know its address before it listens.
 * Drawn below Linux's ephemeral range (32768–60999): a port from port 0 is an ephemeral one, and in the
 * seconds before the server binds it, any outgoing connection of a concurrent test file (to PostgreSQL,
 * to Chromium) may be given the same number — CI once failed on exactly that (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) {
      return port;
    }
  }
  throw new Error('no free port found between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
