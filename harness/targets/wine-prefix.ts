// The Wine prefix: built once per Wine version into the per-user cache (`wineboot -i`, about 15 s
// and 700 MB: lab-recipes §2.2), then used read-only: every test session sees it through the
// sandbox's overlay, so whatever a test does to it lands in the session's upper layer and
// vanishes with it (no per-run copy). Built inside a sandbox session with only the Wine cache
// writable, so the build's wineserver and temp files do not outlive it either.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '../core/errors.ts';
import { logger } from '../core/logger.ts';
import { wineCacheDir } from './cache.ts';
import { wineEnv } from './lab-session.ts';
import { SandboxSession } from './sandbox/session.ts';
import type { Requirement } from './types.ts';

const run = promisify(execFile);
const READY = '.atomic-lab-ready';

let versionCache: Promise<string | undefined> | undefined;

/** `wine --version` (e.g. "wine-8.0 (Debian 8.0~repack-4)"), or undefined when Wine is missing. */
export function wineVersion(): Promise<string | undefined> {
  versionCache ??= run('wine', ['--version'], { timeout: 30_000 }).then((r) => r.stdout.trim(), () => undefined);
  return versionCache;
}

export function resetWineVersionCache(): void {
  versionCache = undefined;
}

export function prefixDir(version: string): string {
  const slug = version.replace(/[^A-Za-z0-9.+-]+/g, '_').replace(/^_+|_+$/g, '');
  return path.join(wineCacheDir(), `prefix-${slug}`);
}

export function prefixReady(dir: string): boolean {
  return existsSync(path.join(dir, READY)) && existsSync(path.join(dir, 'drive_c', 'windows', 'system32', 'msiexec.exe'));
}

export async function buildPrefix(dir: string): Promise<void> {
  const cache = path.dirname(dir);
  mkdirSync(cache, { recursive: true });
  // built in place; the ready file written last tells a complete prefix from an interrupted build
  rmSync(dir, { recursive: true, force: true });
  const work = mkdtempSync(path.join(cache, '.session-'));
  logger.info(`building the Wine prefix ${dir} (once per Wine version, about 15 s)`);
  const session = await SandboxSession.start({ workDir: work, binds: [{ mode: 'rw', source: cache, target: cache }], hostname: 'atomic-lab-wine' });
  try {
    const r = await session.run(['sh', '-c', `wineboot -i && wineserver -w && touch "$WINEPREFIX/${READY}"`],
      { name: 'wineboot', timeoutMs: 300_000, env: { ...wineEnv(dir) } });
    if (r.failed) throw new LabError('E_WINE_PREFIX', `wineboot failed (${r.error ?? `exit ${r.exitCode}`}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  } finally {
    await session.dispose();
    session.removeWorkDir();
  }
  if (!prefixReady(dir)) throw new LabError('E_WINE_PREFIX', `the Wine prefix ${dir} was built but is incomplete`);
}

export async function prefixRequirement(): Promise<Requirement> {
  const version = await wineVersion();
  if (!version) {
    return { id: 'wine-prefix', description: 'Wine prefix', met: false, install: 'install Wine first, then: atomic-lab run --get-prereqs', detail: 'wine is not installed' };
  }
  const dir = prefixDir(version);
  return {
    id: 'wine-prefix',
    description: `Wine prefix for ${version}`,
    met: prefixReady(dir),
    install: 'atomic-lab run --get-prereqs (builds it with wineboot -i in the per-user cache)',
    detail: dir,
    installer: () => buildPrefix(dir),
  };
}
