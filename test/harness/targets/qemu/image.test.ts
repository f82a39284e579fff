import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedImage, imageDir, pruneOlderImages, qemuCacheDir } from '../../../../harness/targets/qemu/image.ts';
import { loadRecipe } from '../../../../harness/targets/qemu/recipe.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';

const recipe = loadRecipe(path.join(REPO_ROOT, 'lab/qemu/recipe.yaml'));
let cache: string;
let saved: string | undefined;
beforeEach(() => {
  cache = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-cache-'));
  saved = process.env.ATOMIC_LAB_CACHE;
  process.env.ATOMIC_LAB_CACHE = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.ATOMIC_LAB_CACHE;
  else process.env.ATOMIC_LAB_CACHE = saved;
  rmSync(cache, { recursive: true, force: true });
});

function fakeImage(dir: string, recipeFile: string, complete = true): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ key: path.basename(dir).slice(6), recipe: recipeFile, built: '', kernelVersion: '6.1', buildSeconds: 1, steps: {} }));
  for (const f of complete ? ['base.img', 'vmlinuz', 'initrd.img'] : ['base.img']) writeFileSync(path.join(dir, f), '');
}

describe('QEMU image cache ($ATOMIC_LAB_CACHE, else $XDG_CACHE_HOME/atomic-lab or ~/.cache/atomic-lab)', () => {
  it('keyed by the recipe hash, outside the repo; an image is cached only when the manifest and all three files are there', () => {
    expect(imageDir(recipe)).toBe(path.join(cache, 'qemu', `image-${recipe.key}`));
    expect(cachedImage(recipe)).toBeUndefined();
    fakeImage(imageDir(recipe), recipe.file, false);
    expect(cachedImage(recipe)).toBeUndefined();
    fakeImage(imageDir(recipe), recipe.file);
    expect(cachedImage(recipe)).toMatchObject({ kernel: path.join(imageDir(recipe), 'vmlinuz'), manifest: { kernelVersion: '6.1' } });
  });

  it('a new build removes the images of earlier versions of the same recipe file, not those of other checkouts', () => {
    fakeImage(imageDir(recipe), recipe.file);
    fakeImage(path.join(qemuCacheDir(), 'image-0000000000000001'), recipe.file);
    fakeImage(path.join(qemuCacheDir(), 'image-0000000000000002'), '/other/checkout/lab/qemu/recipe.yaml');
    expect(pruneOlderImages(recipe)).toEqual([path.join(qemuCacheDir(), 'image-0000000000000001')]);
    expect(existsSync(imageDir(recipe))).toBe(true);
    expect(existsSync(path.join(qemuCacheDir(), 'image-0000000000000002'))).toBe(true);
  });
});
