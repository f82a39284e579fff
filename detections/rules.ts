// Loading rule files: read the text, pick the engine, compile with the lab's macros. Shared by
// `detect`, `explain`, `check-rules` and the verdict code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, RuleError } from '../harness/core/errors.ts';
import { getEngine, languageOfFile, requireLanguage } from './engines/index.ts';
import type { CompiledRule, Explanation, Language, MacroDefinition } from './engines/types.ts';

export const DETECTIONS_DIR = fileURLToPath(new URL('./', import.meta.url));
export const MACROS_DIR = path.join(DETECTIONS_DIR, 'macros');

/** Folders under detections/ that hold rules (engines and mappings are not rules). */
const RULE_DIRS = ['spl', 'cql', 'sigma'];

export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError('E_READ', `cannot read ${what}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file });
  }
}

/** Macro files under detections/macros/ plus any given explicitly; later definitions win. */
export async function loadMacroFiles(extra: string[] = []): Promise<Map<string, MacroDefinition>> {
  const files: string[] = [];
  try {
    for (const f of readdirSync(MACROS_DIR).sort()) if (/\.(conf|ya?ml)$/.test(f)) files.push(path.join(MACROS_DIR, f));
  } catch {
    // no lab macros
  }
  files.push(...extra);
  const macros = new Map<string, MacroDefinition>();
  if (files.length === 0) return macros;
  const { loadMacros } = await import('./engines/spl/index.ts');
  for (const f of files) for (const [k, v] of loadMacros(readText(f, 'macro file'), f)) macros.set(k, v);
  return macros;
}

export interface LoadRuleOptions {
  language?: Language;
  macroFiles?: string[];
  settings?: Record<string, string>;
}

export async function compileRuleFile(file: string, options: LoadRuleOptions = {}): Promise<CompiledRule> {
  const language = requireLanguage(file, options.language);
  const text = readText(file, 'rule');
  const engine = await getEngine(language);
  return engine.compile(text, {
    file,
    ...(language === 'spl' ? { macros: await loadMacroFiles(options.macroFiles) } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
}

/** Folders that hold data or code next to rules, never rules (YAML mappings would look like Sigma). */
const NOT_RULE_DIRS = new Set(['engines', 'mappings', 'macros', 'node_modules', '.git']);

/** Every rule file under a folder (recursively), sorted, by extension. */
export function findRuleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) {
        if (!NOT_RULE_DIRS.has(name)) walk(p);
      }
      else if (languageOfFile(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The rules of the lab: detections/{spl,cql,sigma}/**. */
export function labRuleFiles(): string[] {
  return RULE_DIRS.flatMap((d) => {
    try {
      return findRuleFiles(path.join(DETECTIONS_DIR, d));
    } catch {
      return [];
    }
  });
}

export interface RuleAnalysis {
  explanation: Explanation;
  /** set when the rule does not compile; its errors also appear as 'error' lints */
  error?: RuleError;
}

/**
 * Static analysis for `explain`: compiles the rule, or — when the engine offers `analyze` and the
 * rule does not compile — explains it anyway with the compile errors as lints.
 */
export async function analyzeRuleFile(file: string, options: LoadRuleOptions = {}): Promise<RuleAnalysis> {
  try {
    return { explanation: (await compileRuleFile(file, options)).explain() };
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
    const language = requireLanguage(file, options.language);
    const engine = await getEngine(language);
    if (!engine.analyze) throw e;
    const explanation = engine.analyze(readText(file, 'rule'), {
      file,
      ...(language === 'spl' ? { macros: await loadMacroFiles(options.macroFiles) } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
    });
    const known = new Set(explanation.lints.map((l) => `${l.position?.line}:${l.position?.column}:${l.message}`));
    const missing = e
      .all()
      .filter((err) => !known.has(`${err.position?.line}:${err.position?.column}:${err.message}`))
      .map((err) => ({ code: err.code, severity: 'error' as const, message: err.message, ...(err.position ? { position: err.position } : {}) }));
    explanation.lints.unshift(...missing);
    return { explanation, error: e };
  }
}
