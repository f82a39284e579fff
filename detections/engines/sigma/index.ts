// The embedded Sigma engine (specification v2.1): compile a rule file into a CompiledRule that
// evaluates Sigma-view events (flat objects with taxonomy / native field names).
import type { CompileOptions, Engine, Explanation } from '../types.ts';
import { RuleError } from '../../../harness/core/errors.ts';
import { SigmaCompiledRule } from './compiled-rule.ts';
import { loadText } from './load.ts';
import { problemToError, problemsToError } from './problems.ts';
import type { SigmaFilterDoc, SigmaRuleDoc } from './rule.ts';

export { checkRules, type CheckReport, type CheckProblem } from './check-rules.ts';
export { SigmaCompiledRule } from './compiled-rule.ts';
export { SigmaRuleSet, type SigmaMatch, type RuleSetStats } from './rule-set.ts';

/** Does this filter (meta rule) name the rule and share its logsource? (sigma-filters-specification) */
export function filterApplies(f: SigmaFilterDoc, rule: SigmaRuleDoc): boolean {
  const named = f.rules.some((r) => r === rule.meta.id || (rule.meta.name !== undefined && r === rule.meta.name));
  if (!named) return false;
  return (['product', 'category', 'service'] as const).every((k) => f.logsource[k] === undefined || f.logsource[k] === rule.logsource[k]);
}

export interface SigmaEngine extends Engine {
  analyze(text: string, options: CompileOptions): Explanation;
  compile(text: string, options: CompileOptions): SigmaCompiledRule;
  /** compile one rule, with filter documents from other files applied where they name it */
  compileWithFilters(text: string, options: CompileOptions, filterTexts: { text: string; file: string }[]): SigmaCompiledRule;
}

export const sigmaEngine: SigmaEngine = {
  language: 'sigma',
  extensions: ['.yml', '.yaml'],
  compile(text, options) {
    return sigmaEngine.compileWithFilters(text, options, []);
  },
  analyze(text, options) {
    // explain for a rule that does not compile: every problem becomes an error lint
    try {
      return sigmaEngine.compile(text, options).explain();
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      return {
        language: 'sigma',
        file: options.file,
        meta: {},
        stages: [],
        indicators: [],
        terms: [],
        lints: e.all().map((x) => ({ code: x.code, severity: 'error' as const, message: x.message, ...(x.position ? { position: x.position } : {}) })),
      };
    }
  },
  compileWithFilters(text, options, filterTexts) {
    const loaded = loadText(text, options.file);
    if (loaded.diag.failed) throw problemsToError(loaded.diag.problems);
    const rules = loaded.docs.filter((d): d is SigmaRuleDoc => d.kind === 'rule');
    const filters = loaded.docs.filter((d): d is SigmaFilterDoc => d.kind === 'filter');
    for (const ft of filterTexts) {
      const fl = loadText(ft.text, ft.file);
      if (fl.diag.failed) throw problemsToError(fl.diag.problems);
      filters.push(...fl.docs.filter((d): d is SigmaFilterDoc => d.kind === 'filter'));
    }
    if (rules.length !== 1) {
      throw problemToError({
        file: options.file,
        line: 1,
        column: 1,
        kind: rules.length === 0 ? 'unsupported' : 'error',
        code: 'E_SIGMA_SCHEMA',
        reason:
          rules.length === 0
            ? 'the file holds no detection rule (only filters or correlations), so there is nothing to evaluate on its own'
            : `the file holds ${rules.length} detection rules; atomic-lab compiles one rule per file`,
      });
    }
    const rule = rules[0]!;
    return new SigmaCompiledRule(options.file, rule, filters.filter((f) => filterApplies(f, rule)));
  },
};
