// The QEMU lab image recipe (lab/qemu/recipe.yaml): what debootstrap installs and what is baked in.
// Its cache key hashes the recipe text, the baked files and IMAGE_FORMAT, so any change to them
// builds a new image next to the old one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.ts';
import { parseYamlFile, type YamlFile } from '../../core/yaml-file.ts';

/** Bump when image.ts changes what it writes into an image (forces a rebuild everywhere). */
export const IMAGE_FORMAT = 1;

export interface BakedFile {
  /** absolute host path */
  source: string;
  /** absolute guest path */
  target: string;
  mode: number;
}

export interface ImageRecipe {
  file: string;
  suite: string;
  mirror: string;
  variant: string;
  kernel: string;
  packages: string[];
  hostname: string;
  diskSizeMb: number;
  venvs: string[];
  files: BakedFile[];
  /** hex sha256 prefix over everything above that shapes the image */
  key: string;
}

const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
const KEYS = ['suite', 'mirror', 'variant', 'kernel', 'packages', 'hostname', 'disk_size_mb', 'venvs', 'files'];

function str(y: YamlFile, doc: Record<string, unknown>, key: string, pattern?: RegExp): string {
  const v = doc[key];
  if (typeof v !== 'string' || v === '' || (pattern && !pattern.test(v))) {
    throw y.error('E_RECIPE', `${key}: expected ${pattern ? `a value matching ${pattern}` : 'a non-empty string'}, got ${JSON.stringify(v)}`, [key]);
  }
  return v;
}

function list(y: YamlFile, doc: Record<string, unknown>, key: string, pattern: RegExp): string[] {
  const v = doc[key] ?? [];
  if (!Array.isArray(v)) throw y.error('E_RECIPE', `${key}: expected a list`, [key]);
  return v.map((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) throw y.error('E_RECIPE', `${key}: ${JSON.stringify(item)} does not match ${pattern}`, [key, i]);
    return item;
  });
}

export function parseRecipe(text: string, file: string): ImageRecipe {
  const y = parseYamlFile(text, file);
  const doc = y.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw y.error('E_RECIPE', 'a recipe is a mapping', []);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!KEYS.includes(k)) throw y.error('E_RECIPE', `unknown key '${k}' (allowed: ${KEYS.join(', ')})`, [k]);
  const recipeDir = path.dirname(path.resolve(file));
  const size = d.disk_size_mb;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 512) throw y.error('E_RECIPE', 'disk_size_mb: expected a whole number ≥ 512', ['disk_size_mb']);
  const rawFiles = d.files ?? [];
  if (!Array.isArray(rawFiles)) throw y.error('E_RECIPE', 'files: expected a list', ['files']);
  const files = rawFiles.map((f: unknown, i): BakedFile => {
    const e = f as Record<string, unknown>;
    const ok = typeof e?.source === 'string' && typeof e.target === 'string' && e.target.startsWith('/') && typeof e.mode === 'string' && /^0?[0-7]{3}$/.test(e.mode);
    if (!ok) throw y.error('E_RECIPE', "files: each entry is { source: <path relative to the recipe>, target: /abs/guest/path, mode: '0755' }", ['files', i]);
    return { source: path.resolve(recipeDir, e.source as string), target: e.target as string, mode: parseInt(e.mode as string, 8) };
  });
  const recipe: Omit<ImageRecipe, 'key'> = {
    file: path.resolve(file),
    suite: str(y, d, 'suite', /^[a-z]+$/),
    mirror: str(y, d, 'mirror', /^https?:\/\/\S+$/),
    variant: str(y, d, 'variant', /^(minbase|buildd|fakechroot|-)$/),
    kernel: str(y, d, 'kernel', PACKAGE),
    packages: list(y, d, 'packages', PACKAGE),
    hostname: str(y, d, 'hostname', /^[a-z0-9-]{1,63}$/),
    diskSizeMb: size,
    venvs: list(y, d, 'venvs', /^\/[\w./-]+$/),
    files,
  };
  const hash = createHash('sha256').update(`format ${IMAGE_FORMAT}\n`).update(text);
  for (const f of files) {
    let content: Buffer;
    try {
      content = readFileSync(f.source);
    } catch (e) {
      throw new InputError('E_RECIPE', `baked file ${f.source} cannot be read: ${(e as Error).message}`, y.at(['files']));
    }
    hash.update(`\nfile ${f.target} ${f.mode}\n`).update(content);
  }
  return { ...recipe, key: hash.digest('hex').slice(0, 16) };
}

export function loadRecipe(file: string): ImageRecipe {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError('E_RECIPE', `cannot read the QEMU image recipe: ${(e as Error).message}`, { file });
  }
  return parseRecipe(text, file);
}
