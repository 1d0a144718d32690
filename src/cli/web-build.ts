import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WEB_DIST } from '../platform/http/web-app.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WEB = path.join(ROOT, 'web');
const STAMP = '.haven-build';

/** Every file the built app depends on, with its size and modification time. */
function* inputs(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* inputs(full);
    } else {
      yield full;
    }
  }
}

/** A fingerprint of the web app's sources and the locked dependencies: a change means a rebuild. */
export function webFingerprint(): string {
  const hash = createHash('sha256');
  const files = [
    ...inputs(path.join(WEB, 'src')),
    ...inputs(path.join(WEB, 'public')),
    path.join(WEB, 'index.html'),
    path.join(WEB, 'vite.config.ts'),
    path.join(ROOT, 'package-lock.json'),
  ].toSorted();
  for (const file of files) {
    const stat = statSync(file);
    hash.update(`${path.relative(ROOT, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

export function webBuildIsCurrent(dist = WEB_DIST): boolean {
  const stamp = path.join(dist, STAMP);
  return (
    existsSync(path.join(dist, 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === webFingerprint()
  );
}

/**
 * Builds web/ into web/dist when it is missing or older than its sources (so `./haven start` always serves
 * the app that matches the code). Builds into a fresh folder and swaps it in, so a server already running,
 * or another process building at the same time, never sees half a build.
 */
export async function ensureWebBuilt(
  log: (message: string) => void = () => {},
): Promise<'current' | 'built'> {
  if (webBuildIsCurrent()) {
    return 'current';
  }
  log('building the web app (once after each change, about 20 s)...');
  const fingerprint = webFingerprint();
  const staging = `${WEB_DIST}.${process.pid}.tmp`;
  // Imported only when needed: Vite is large and most starts do not build.
  const { build } = await import('vite');
  const { default: config } = await import('../../web/vite.config.ts');
  // React picks its development or production build from NODE_ENV, which the test runner sets to "test":
  // what is served is always the production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      ...config,
      configFile: false,
      mode: 'production',
      logLevel: 'warn',
      build: { ...config.build, outDir: staging },
    });
  } finally {
    if (nodeEnv === undefined) {
      delete process.env.NODE_ENV;
    } else {
      process.env.NODE_ENV = nodeEnv;
    }
  }
  writeFileSync(path.join(staging, STAMP), fingerprint);
  const previous = `${WEB_DIST}.${process.pid}.old`;
  if (existsSync(WEB_DIST)) {
    renameSync(WEB_DIST, previous);
  }
  renameSync(staging, WEB_DIST);
  rmSync(previous, { recursive: true, force: true });
  return 'built';
}
