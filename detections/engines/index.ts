// Engines by language, loaded on demand so that a missing or broken engine is an error for the
// rules of that language only (reported as ERROR by verdicts, never as PASS).
import { extname } from 'node:path';
import { UsageError } from '../../harness/core/errors.ts';
import type { Engine, Language } from './types.ts';

const EXTENSIONS: Record<string, Language> = {
  '.spl': 'spl',
  '.cql': 'cql',
  '.logscale': 'cql',
  '.yml': 'sigma',
  '.yaml': 'sigma',
};

export const LANGUAGES: readonly Language[] = ['spl', 'cql', 'sigma'];

/** Language of a rule file from its extension (CONTRACTS.md `detect`), or undefined. */
export function languageOfFile(file: string): Language | undefined {
  return EXTENSIONS[extname(file).toLowerCase()];
}

/** Like languageOfFile, but a usage error naming the file when the extension says nothing. */
export function requireLanguage(file: string, explicit?: string): Language {
  if (explicit !== undefined) return explicit as Language;
  const lang = languageOfFile(file);
  if (!lang) {
    throw new UsageError(`cannot tell the language of ${file} from its extension (.spl, .cql, .logscale, .yml, .yaml); use --language`);
  }
  return lang;
}

const LOADERS: Record<Language, () => Promise<Engine>> = {
  spl: async () => (await import('./spl/index.ts')).splEngine,
  cql: async () => (await import('./cql/index.ts')).cqlEngine,
  sigma: async () => (await import('./sigma/index.ts')).sigmaEngine,
};

const loaded = new Map<Language, Promise<Engine>>();

export function getEngine(language: Language): Promise<Engine> {
  let p = loaded.get(language);
  if (!p) {
    p = LOADERS[language]();
    loaded.set(language, p);
  }
  return p;
}
