// Load (issue: reliability and performance evidence): `./haven start` on PostgreSQL, in a process of its
// own, driven on loopback by autocannon at 200 concurrent connections for 60 s — half on the staff API
// (a signed-in senior leader: /me, a page of pupils, the analysis options) and half on the app API (a
// school-approved token: /api/apps/v1/students?per_page=100). Pass: no errors or timeouts and no status
// other than 2xx and the intended 429 (rate limits); the server's memory (RSS, sampled every second)
// shows no growth trend: its median in the last third of the run within 1.10× the first third's.
// Limit, measured in the same run: a bare Fastify route serving the students JSON from memory, in a
// process of its own, at the same connections. Throughput and p99 are reported as ratios to it.
// Bounded and self-stopping: fixed durations, a watchdog that kills everything, loopback only.
// Run: ./haven bench load [--duration 60] [--connections 200] [--pupils 1000]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Type } from 'typebox';
import { Check } from 'typebox/value';
import { NODE_FLAGS } from '../src/cli/node-child.ts';
import { registerApp } from '../src/modules/apps/registry.service.ts';
import { runImport } from '../src/modules/imports/imports.service.ts';
import { bufferSource } from '../src/modules/imports/source.ts';
import { csvLine, PUPILS_HEADER, syntheticSchool } from '../src/modules/imports/synthetic.ts';
import { createSchool } from '../src/modules/organisations/organisations.service.ts';
import { createUser } from '../src/modules/organisations/users.service.ts';
import { PLATFORM_ORG_ID } from '../src/platform/audit/audit-log.ts';
import { authoriseOverHttp, exchangeCode, startClientApp } from '../test/support/oauth-client.ts';
import { freePort } from '../test/support/cli.ts';
import {
  backendCpuSeconds,
  closeServices,
  numberOption,
  openPostgresServices,
  scratchDatabase,
} from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const HOST = '127.0.0.1';
const SECONDS = numberOption('duration', 'HAVEN_BENCH_LOAD_SECONDS', 60);
const CONNECTIONS = numberOption('connections', 'HAVEN_BENCH_LOAD_CONNECTIONS', 200);
const PUPILS = numberOption('pupils', 'HAVEN_BENCH_LOAD_PUPILS', 1_000);
// Under load the server's heap grows to its working size in its first 30–40 s (measured 2026-12-05: RSS
// 347 → 480 MB, then flat for the rest of a 90 s run), so the warm-up lasts 30 s: the memory check
// compares thirds of the measured minute to find a leak, not the heap settling.
const WARM_UP_SECONDS = Math.min(30, SECONDS);
const LIMIT_SECONDS = Math.min(20, SECONDS);
const MEMORY_TARGET = 1.1;
const PASSWORD = 'a long synthetic benchmark passphrase';
const SCOPES = ['school', 'students.basic', 'students.upn', 'students.sex', 'students.fsm'];
// Every phase has a bound: past it the watchdog stops the servers and fails the run.
const WATCHDOG_MS = (WARM_UP_SECONDS + SECONDS + LIMIT_SECONDS) * 1_000 + 300_000;

interface Stream {
  name: string;
  url: string;
  headers: Record<string, string>;
  paths: string[];
}

interface Measured {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

function measure(stream: Stream, connections: number, seconds: number): Promise<Measured> {
  return autocannon({
    url: stream.url,
    connections,
    duration: seconds,
    headers: stream.headers,
    requests: stream.paths.map((requestPath) => ({ method: 'GET' as const, path: requestPath })),
  }).then((result) => ({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats?.count ?? 0]),
    ),
  }));
}

/** Status codes that are not 2xx or an intended 429, with their counts. */
function unexpected(measured: Measured): Record<string, number> {
  return Object.fromEntries(
    Object.entries(measured.statuses).filter(([status]) => !/^2\d\d$/.test(status) && status !== '429'),
  );
}

/** The resident set of a process, in MB, from /proc (Linux). */
function rssMegabytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const sorted = [...values].toSorted((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Least-squares slope of y over x (MB per second here). */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const numerator = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Starts a child process and resolves once `ready` appears on its stderr. */
function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (ready.test(seen)) {
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${seen}`)));
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The bare limit: one Fastify route answering a fixed JSON body from memory (no hooks, no plugins). */
const BARE_SERVER = `
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
const [file, host, port] = process.argv.slice(-3);
const body = readFileSync(file, 'utf8');
const app = Fastify();
app.get('/students', async (_request, reply) => reply.type('application/json').send(body));
await app.listen({ host, port: Number(port) });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
console.error('bare server ready');
`;

async function main(): Promise<void> {
  const children: Array<ChildProcess | undefined> = [];
  const watchdog = setTimeout(() => {
    console.error(`load: still running after ${WATCHDOG_MS / 1_000} s; stopping everything`);
    for (const child of children) {
      child?.kill('SIGKILL');
    }
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  const database = await scratchDatabase('load');
  const dir = mkdtempSync(path.join(tmpdir(), 'haven-bench-load-'));
  const dataDir = path.join(dir, 'data');
  const client = await startClientApp();
  try {
    const port = await freePort();
    const base = `http://${HOST}:${port}`;

    // The school, its pupils, a senior leader, an admin who approves the app, and the app: written before the
    // server starts, by the same code and key the server uses (openPostgresServices sets HAVEN_MASTER_KEY).
    const services = await openPostgresServices(database.url, dataDir);
    const leader = 'bench-leader@example.invalid';
    const admin = 'bench-admin@example.invalid';
    let school: { id: string };
    let registered: Awaited<ReturnType<typeof registerApp>>;
    try {
      school = await createSchool(services, { name: 'Load Benchmark School' });
      const cohort = syntheticSchool(0, PUPILS, 29);
      await runImport(services, {
        schoolId: school.id,
        source: bufferSource(
          'pupils.csv',
          Buffer.from([PUPILS_HEADER, ...cohort.pupils].map((row) => csvLine(row)).join('\n')),
        ),
        options: { pseudonymousUpn: false, noNames: false },
        actor: { type: 'system', id: 'bench' },
        dryRun: false,
      });
      const system = { type: 'system' as const, id: 'bench' };
      await createUser(
        services,
        { email: leader, role: 'senior_leader', orgId: school.id, password: PASSWORD },
        system,
      );
      await createUser(
        services,
        { email: admin, role: 'school_admin', orgId: school.id, password: PASSWORD },
        system,
      );
      const developer = await createUser(
        services,
        {
          email: 'bench-developer@example.invalid',
          role: 'app_developer',
          orgId: PLATFORM_ORG_ID,
          password: PASSWORD,
        },
        system,
      );
      registered = await registerApp(
        services,
        {
          sessionId: 'bench',
          userId: developer.id,
          actor: { userId: developer.id, memberships: [] },
          twoFactor: false,
        },
        {
          name: 'Load benchmark app',
          purpose: 'Reads pupils as fast as Haven will answer, for the load benchmark.',
          privacyNoticeUrl: 'https://bench.example.invalid/privacy',
          redirectUris: [client.redirectUri],
          scopes: SCOPES.map((scope) => ({ scope, required: true, reason: 'benchmark' })),
          acceptTerms: true,
        },
      );
    } finally {
      await closeServices(services);
    }

    // The server as an operator runs it: ./haven start with DATABASE_URL, in its own process. The app
    // rate limit is raised so the app API's real path is measured; a 429 would still be counted as intended.
    const server = await startChild(
      [
        'src/cli/main.ts',
        'start',
        '--no-web-build',
        '--no-demo',
        '--host',
        HOST,
        '--port',
        String(port),
        '--data',
        dataDir,
      ],
      {
        ...process.env,
        DATABASE_URL: database.url,
        HAVEN_PUBLIC_URL: base,
        HAVEN_COOKIE_SECURE: 'false',
        HAVEN_LOG_LEVEL: 'warn',
        HAVEN_APP_RATE_PER_5_MINUTES: '1000000',
        HAVEN_AUDIT_CHECKPOINT_MINUTES: '0',
        HAVEN_BACKUP_SCHEDULE: 'off',
      },
      /Haven is running at/,
    );
    children.push(server);
    const serverPid = server.pid ?? 0;

    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: leader, password: PASSWORD }),
    });
    const session = /haven_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
    if (login.status !== 200 || session === undefined) {
      throw new Error(`the senior leader could not sign in: ${login.status}`);
    }
    const { code, verifier } = await authoriseOverHttp({
      base,
      clientId: registered.app.clientId,
      redirectUri: client.redirectUri,
      asked: SCOPES,
      approved: SCOPES,
      schoolId: school.id,
      adminEmail: admin,
      password: PASSWORD,
    });
    const issued: unknown = await (
      await exchangeCode(
        base,
        {
          clientId: registered.app.clientId,
          clientSecret: registered.clientSecret,
          redirectUri: client.redirectUri,
        },
        code,
        verifier,
      )
    ).json();
    if (!Check(Type.Object({ access_token: Type.String() }), issued)) {
      throw new Error('no access token was issued');
    }
    const staff: Stream = {
      name: 'staff API',
      url: base,
      headers: { cookie: session },
      paths: [
        '/api/v1/me',
        `/api/v1/schools/${school.id}/pupils?limit=50`,
        `/api/v1/schools/${school.id}/analysis/options`,
      ],
    };
    const apps: Stream = {
      name: 'app API',
      url: base,
      headers: { authorization: `Bearer ${issued.access_token}` },
      paths: ['/api/apps/v1/students?per_page=100'],
    };
    // Every path answers 200 before the load starts (a wrong path would otherwise be measured as load).
    let studentsBody = '';
    for (const stream of [staff, apps]) {
      for (const requestPath of stream.paths) {
        const answer = await fetch(`${base}${requestPath}`, { headers: stream.headers });
        if (answer.status !== 200) {
          throw new Error(`${stream.name} ${requestPath} answered ${answer.status}: ${await answer.text()}`);
        }
        studentsBody = requestPath.startsWith('/api/apps/') ? await answer.text() : studentsBody;
      }
    }

    const half = Math.floor(CONNECTIONS / 2);
    const run = (seconds: number): Promise<[Measured, Measured]> =>
      Promise.all([measure(staff, half, seconds), measure(apps, CONNECTIONS - half, seconds)]);

    console.log(`warm-up: ${WARM_UP_SECONDS} s at ${CONNECTIONS} connections`);
    const warm = await run(WARM_UP_SECONDS);
    const samples: Array<[number, number]> = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      const rss = rssMegabytes(serverPid);
      if (rss !== undefined) {
        samples.push([(Date.now() - started) / 1_000, rss]);
      }
    }, 1_000);
    const cpuBefore = backendCpuSeconds(database.name);
    const load0 = loadavg()[0] ?? 0;
    console.log(
      `load: ${SECONDS} s at ${CONNECTIONS} connections (${half} staff API, ${CONNECTIONS - half} app API)`,
    );
    const [staffResult, appResult] = await run(SECONDS);
    clearInterval(sampler);
    const cpuAfter = backendCpuSeconds(database.name);
    const load1 = loadavg()[0] ?? 0;
    await stopChild(server);

    // The limit: the bare route, same connections, in its own process, after Haven has stopped.
    const barePort = await freePort();
    const bodyFile = path.join(dir, 'students.json');
    writeFileSync(bodyFile, studentsBody);
    const bare = await startChild(
      ['--input-type=module', '-e', BARE_SERVER, bodyFile, HOST, String(barePort)],
      process.env,
      /bare server ready/,
    );
    children.push(bare);
    const bareStream: Stream = {
      name: 'bare',
      url: `http://${HOST}:${barePort}`,
      headers: {},
      paths: ['/students'],
    };
    await measure(bareStream, CONNECTIONS, Math.min(5, LIMIT_SECONDS));
    const limit = await measure(bareStream, CONNECTIONS, LIMIT_SECONDS);
    await stopChild(bare);

    const third = Math.max(1, Math.floor(samples.length / 3));
    const firstThird = median(samples.slice(0, third).map(([, rss]) => rss));
    const lastThird = median(samples.slice(-third).map(([, rss]) => rss));
    const memoryRatio = lastThird / firstThird;
    const growth = slope(samples) * 60;
    const total = staffResult.requests + appResult.requests;
    const havenRps = staffResult.rps + appResult.rps;
    const p99 = Math.max(staffResult.p99, appResult.p99);
    const throughputRatio = havenRps / limit.rps;
    const failures: string[] = [];
    for (const [name, result] of [
      ['staff API', staffResult],
      ['app API', appResult],
    ] as const) {
      const wrong = unexpected(result);
      if (result.errors > 0 || result.timeouts > 0 || Object.keys(wrong).length > 0) {
        failures.push(
          `${name}: ${result.errors} errors, ${result.timeouts} timeouts, unexpected statuses ${JSON.stringify(wrong)}`,
        );
      }
    }
    if (!(memoryRatio <= MEMORY_TARGET)) {
      failures.push(
        `memory grew: last third ${lastThird.toFixed(0)} MB ÷ first third ${firstThird.toFixed(0)} MB = ${memoryRatio.toFixed(2)}`,
      );
    }

    const line = (name: string, result: Measured): string =>
      `${name}: ${result.requests} requests, ${result.rps.toFixed(0)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
      `statuses ${JSON.stringify(result.statuses)}, ${result.errors} errors, ${result.timeouts} timeouts`;
    console.log('');
    console.log(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.versions.node}; load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end`,
    );
    console.log(
      `${PUPILS} pupils; warm-up ${WARM_UP_SECONDS} s (${warm[0].requests + warm[1].requests} requests)`,
    );
    console.log(line('staff API', staffResult));
    console.log(line('app API  ', appResult));
    console.log(
      `bare Fastify route: ${limit.rps.toFixed(0)}/s, p50 ${limit.p50} ms, p99 ${limit.p99} ms (${LIMIT_SECONDS} s, ${CONNECTIONS} connections)`,
    );
    console.log(
      `Haven total: ${total} requests, ${havenRps.toFixed(0)}/s = ${throughputRatio.toFixed(3)}× the bare route; worst p99 ${p99} ms = ${(p99 / limit.p99).toFixed(1)}× the bare route's`,
    );
    console.log(
      `server RSS: first third ${firstThird.toFixed(0)} MB, last third ${lastThird.toFixed(0)} MB, ratio ${memoryRatio.toFixed(3)} (target ≤ ${MEMORY_TARGET}); trend ${growth.toFixed(1)} MB/min over ${samples.length} samples; max ${Math.max(...samples.map(([, rss]) => rss)).toFixed(0)} MB`,
    );
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      console.log(
        `PostgreSQL backends: ${(cpuAfter - cpuBefore).toFixed(1)} CPU s in the ${SECONDS} s of load`,
      );
    }
    console.log(
      JSON.stringify({
        seconds: SECONDS,
        connections: CONNECTIONS,
        staff: staffResult,
        app: appResult,
        bare: limit,
        throughputRatio,
        p99,
        memory: { firstThird, lastThird, memoryRatio, mbPerMinute: growth, samples: samples.length },
      }),
    );
    if (failures.length > 0) {
      console.error(`FAILED:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log('passed: no errors other than intended 429s, memory without a growth trend');
    }
  } finally {
    for (const child of children) {
      await stopChild(child);
    }
    await new Promise<void>((resolve) => client.server.close(() => resolve()));
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

await main();
