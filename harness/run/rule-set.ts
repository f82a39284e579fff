// The rules a run evaluates: every rule under detections/ (or a --rules glob), each compiled once
// with its view profiles and the way its rows name a DetectionType (detections/mappings/evaluation.yaml).
// A rule that does not compile stays in the set with its error, so verdicts can say ERROR (or
// KNOWN_GAP when that is expected) instead of dropping it.
import path from 'node:path';
import { languageOfFile } from '../../detections/engines/index.ts';
import type { CompiledRule, Language, ResultRow } from '../../detections/engines/types.ts';
import { DETECTIONS_DIR, compileRuleFile, labRuleFiles, readText } from '../../detections/rules.ts';
import { matchGlob } from '../core/glob.ts';
import { parseYamlFile } from '../core/yaml-file.ts';

export const REPO_ROOT = path.resolve(DETECTIONS_DIR, '..');
const EVALUATION_FILE = path.join(DETECTIONS_DIR, 'mappings', 'evaluation.yaml');

/** Where a rule's DetectionType comes from. */
export type TypeSource = { field: string } | { constant: string };

interface RuleSettings {
  profiles: string[];
  type: TypeSource;
}

interface EvaluationConfig {
  defaults: Record<Language, RuleSettings>;
  rules: ({ match: string } & Partial<RuleSettings>)[];
}

export interface RuleUnderTest {
  /** path relative to the repository root, forward slashes: detections/spl/x.spl */
  file: string;
  language: Language;
  profiles: string[];
  type: TypeSource;
  compiled?: CompiledRule;
  error?: Error;
}

export function loadEvaluationConfig(file = EVALUATION_FILE): EvaluationConfig {
  const y = parseYamlFile(readText(file, 'evaluation config'), file);
  const v = y.value as Partial<EvaluationConfig> | null;
  if (!v?.defaults) throw y.error('E_EVALUATION', "missing 'defaults'", []);
  return { defaults: v.defaults, rules: v.rules ?? [] } as EvaluationConfig;
}

export function settingsFor(config: EvaluationConfig, rule: string, language: Language): RuleSettings {
  const s: RuleSettings = { ...config.defaults[language] };
  for (const r of config.rules) {
    if (!matchGlob(r.match, rule)) continue;
    if (r.profiles) s.profiles = r.profiles;
    if (r.type) s.type = r.type;
  }
  return s;
}

export function relativeRulePath(file: string): string {
  return path.relative(REPO_ROOT, path.resolve(file)).split(path.sep).join('/');
}

/** Loads and compiles the rules; `glob` filters by repository-relative path. */
export async function loadRuleSet(glob?: string): Promise<RuleUnderTest[]> {
  const config = loadEvaluationConfig();
  const out: RuleUnderTest[] = [];
  for (const abs of labRuleFiles()) {
    const file = relativeRulePath(abs);
    if (glob && !matchGlob(glob, file)) continue;
    const language = languageOfFile(abs)!;
    const s = settingsFor(config, file, language);
    try {
      out.push({ file, language, ...s, compiled: await compileRuleFile(abs) });
    } catch (e) {
      out.push({ file, language, ...s, error: e as Error });
    }
  }
  return out;
}

/** The distinct DetectionTypes of a rule's rows. */
export function detectionTypes(rule: RuleUnderTest, rows: readonly ResultRow[]): string[] {
  if (rows.length === 0) return [];
  const t = rule.type;
  if ('constant' in t) return [t.constant];
  const seen = new Set<string>();
  for (const r of rows) {
    const v = r[t.field];
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) seen.add(x);
  }
  return [...seen].sort();
}
