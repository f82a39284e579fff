// Builds the QEMU lab image from Debian packages and caches it outside the repo:
//   <cache>/qemu/image-<recipe key>/ base.img (raw ext4, read-only backing file), vmlinuz,
//   initrd.img, manifest.json, build.log
// Steps (lab-recipes §6.1-6.2): debootstrap the recipe's packages plus a Debian kernel into a
// rootfs, configure it (hostname, baked files, venvs created in the chroot), `mkfs.ext4 -d` the
// rootfs into a raw image without mounting anything, copy the kernel and initrd out. The build runs
// in a private temporary folder that is renamed into place at the end, so a crash or a concurrent
// build never leaves a half-made image under the final name.
import { execa } from 'execa';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { Progress } from '../../core/progress.ts';
import { labCacheDir } from '../cache.ts';
import type { ImageRecipe } from './recipe.ts';

export interface LabImage {
  dir: string;
  baseImage: string;
  kernel: string;
  initrd: string;
  manifest: ImageManifest;
}

export interface ImageManifest {
  key: string;
  recipe: string;
  built: string;
  kernelVersion: string;
  buildSeconds: number;
  steps: Record<string, number>;
}

const DEBOOTSTRAP_TIMEOUT_MS = 30 * 60_000;
const STEP_TIMEOUT_MS = 10 * 60_000;

export function qemuCacheDir(): string {
  return path.join(labCacheDir(), 'qemu');
}

export function imageDir(recipe: ImageRecipe): string {
  return path.join(qemuCacheDir(), `image-${recipe.key}`);
}

/** The cached image for `recipe`, or undefined when it has not been built. */
export function cachedImage(recipe: ImageRecipe): LabImage | undefined {
  const dir = imageDir(recipe);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ImageManifest;
  const image = { dir, baseImage: path.join(dir, 'base.img'), kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img'), manifest };
  return [image.baseImage, image.kernel, image.initrd].every((f) => existsSync(f)) ? image : undefined;
}

/** What building needs on this host; each entry is a problem with the command that fixes it. */
export async function buildPrerequisites(): Promise<{ problem: string; fix: string }[]> {
  const out: { problem: string; fix: string }[] = [];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    out.push({
      problem: 'building the image needs root (debootstrap and chroot)',
      fix: `sudo env ATOMIC_LAB_CACHE=${labCacheDir()} npx atomic-lab doctor --build-image   # once; runs use the cached image as this user`,
    });
  }
  for (const [tool, pkg] of [['debootstrap', 'debootstrap'], ['mkfs.ext4', 'e2fsprogs'], ['chroot', 'coreutils']] as const) {
    if (!(await onPath(tool))) out.push({ problem: `${tool} is not installed`, fix: `sudo apt-get install -y ${pkg}` });
  }
  return out;
}

export async function onPath(tool: string): Promise<boolean> {
  const r = await execa('sh', ['-c', 'command -v "$1"', 'sh', tool], { reject: false, env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } });
  return r.exitCode === 0;
}

/** The cached image, built first when missing. */
export async function ensureImage(recipe: ImageRecipe, progress = new Progress()): Promise<LabImage> {
  return cachedImage(recipe) ?? buildImage(recipe, progress);
}

export async function buildImage(recipe: ImageRecipe, progress = new Progress()): Promise<LabImage> {
  const missing = await buildPrerequisites();
  if (missing.length) {
    throw new LabError('E_QEMU_IMAGE_PREREQ',
      `cannot build the QEMU lab image:\n${missing.map((m) => `  - ${m.problem}: ${m.fix}`).join('\n')}`);
  }
  const finalDir = imageDir(recipe);
  mkdirSync(qemuCacheDir(), { recursive: true });
  const work = mkdtempSync(path.join(qemuCacheDir(), `build-${recipe.key}-`));
  const rootfs = path.join(work, 'rootfs');
  // outside the work folder, so it survives a failed build for the error message to point at
  const log = path.join(qemuCacheDir(), `build-${recipe.key}.log`);
  writeFileSync(log, `atomic-lab QEMU image build ${recipe.key} (${recipe.file}) ${new Date().toISOString()}\n`);
  const started = Date.now();
  const steps: Record<string, number> = {};
  const run = async (name: string, file: string, args: string[], timeoutMs: number, env?: Record<string, string>) => {
    const step = progress.step(name);
    const t0 = Date.now();
    appendFileSync(log, `\n$ ${file} ${args.join(' ')}\n`);
    const r = await execa(file, args, {
      reject: false, all: true, timeout: timeoutMs, forceKillAfterDelay: 5000, stdin: 'ignore',
      ...(env ? { env, extendEnv: false } : {}),
    });
    appendFileSync(log, r.all ?? '');
    steps[name] = (Date.now() - t0) / 1000;
    if (r.exitCode !== 0) {
      step.end('failed');
      const tail = String(r.all ?? '').trim().split('\n').slice(-8).join('\n');
      const why = r.timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit code ${r.exitCode ?? r.signal}`;
      throw new LabError(`E_QEMU_BUILD_${name.toUpperCase().replace(/\W+/g, '_')}`,
        `building the QEMU lab image failed at '${name}' (${why}); full log: ${log}\n${tail}` +
        (name === 'debootstrap' ? `\nCheck that ${recipe.mirror} is reachable (debootstrap downloads the packages), then run again.` : ''));
    }
    step.end('ok');
  };
  try {
    logger.info(`building the QEMU lab image ${recipe.key} from Debian packages (${recipe.suite}; about 1-2 minutes, once)`);
    await run('debootstrap', 'debootstrap', [
      `--variant=${recipe.variant}`, `--include=${[recipe.kernel, ...recipe.packages].join(',')}`,
      recipe.suite, rootfs, recipe.mirror,
    ], DEBOOTSTRAP_TIMEOUT_MS);
    configureRootfs(rootfs, recipe);
    const chrootEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' };
    for (const venv of recipe.venvs) {
      await run('venv', 'chroot', [rootfs, 'python3', '-m', 'venv', venv], STEP_TIMEOUT_MS, chrootEnv);
    }
    const { kernel, initrd, version } = findKernel(rootfs, recipe);
    const staged = path.join(work, 'image');
    mkdirSync(staged);
    const base = path.join(staged, 'base.img');
    writeFileSync(base, '');
    await run('truncate', 'truncate', ['-s', `${recipe.diskSizeMb}M`, base], STEP_TIMEOUT_MS);
    await run('mkfs.ext4', 'mkfs.ext4', ['-q', '-F', '-L', 'labroot', '-d', rootfs, base], STEP_TIMEOUT_MS);
    copyFileSync(kernel, path.join(staged, 'vmlinuz'));
    copyFileSync(initrd, path.join(staged, 'initrd.img'));
    // readable by the (possibly non-root) users who boot it; written only through overlays
    for (const f of ['base.img', 'vmlinuz', 'initrd.img']) chmodSync(path.join(staged, f), 0o644);
    const manifest: ImageManifest = {
      key: recipe.key, recipe: recipe.file, built: new Date().toISOString(), kernelVersion: version,
      buildSeconds: (Date.now() - started) / 1000, steps,
    };
    writeFileSync(path.join(staged, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    renameSync(log, path.join(staged, 'build.log'));
    try {
      renameSync(staged, finalDir);
    } catch (e) {
      // another build finished first: keep theirs
      if (!cachedImage(recipe)) throw e;
    }
    logger.info(`QEMU lab image ready in ${manifest.buildSeconds.toFixed(1)} s: ${finalDir}`);
    pruneOlderImages(recipe);
    return cachedImage(recipe)!;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Removes images built from earlier versions of the same recipe file (each is about 600 MB).
 * Images of other recipe files (another checkout sharing the cache) are left alone.
 */
export function pruneOlderImages(recipe: ImageRecipe): string[] {
  const removed: string[] = [];
  for (const d of readdirSync(qemuCacheDir())) {
    if (!d.startsWith('image-') || d === `image-${recipe.key}`) continue;
    const dir = path.join(qemuCacheDir(), d);
    try {
      const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ImageManifest;
      if (m.recipe !== recipe.file) continue;
    } catch {
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  if (removed.length) logger.info(`removed ${removed.length} image(s) of earlier versions of ${recipe.file}`);
  return removed;
}

function configureRootfs(rootfs: string, recipe: ImageRecipe): void {
  writeFileSync(path.join(rootfs, 'etc/hostname'), `${recipe.hostname}\n`);
  writeFileSync(path.join(rootfs, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${recipe.hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
  writeFileSync(path.join(rootfs, 'etc/fstab'), 'LABEL=labroot / ext4 rw,relatime 0 1\n');
  for (const f of recipe.files) {
    const dest = path.join(rootfs, f.target);
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(f.source, dest);
    chmodSync(dest, f.mode);
  }
}

function findKernel(rootfs: string, recipe: ImageRecipe): { kernel: string; initrd: string; version: string } {
  const boot = path.join(rootfs, 'boot');
  const kernels = existsSync(boot) ? readdirSync(boot).filter((f) => f.startsWith('vmlinuz-')).sort() : [];
  const latest = kernels.at(-1);
  if (!latest) {
    throw new LabError('E_QEMU_NO_KERNEL', `debootstrap installed no kernel into ${boot}: check that the recipe's kernel package '${recipe.kernel}' exists in ${recipe.suite}`);
  }
  const version = latest.slice('vmlinuz-'.length);
  const initrd = path.join(boot, `initrd.img-${version}`);
  if (!existsSync(initrd)) {
    throw new LabError('E_QEMU_NO_INITRD', `no initrd for kernel ${version} in ${boot}: initramfs-tools did not run in the chroot (see the build log)`);
  }
  return { kernel: path.join(boot, latest), initrd, version };
}
