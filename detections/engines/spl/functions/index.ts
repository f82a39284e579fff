// The eval function table. A name not in it is "unsupported or undefined" (Splunk's wording).
import { conditionalFunctions } from './conditional.ts';
import { mathTimeFunctions } from './math-time.ts';
import { multivalueFunctions } from './multivalue.ts';
import { textFunctions } from './text.ts';
import type { FnSpec } from './types.ts';

export const FUNCTIONS: ReadonlyMap<string, FnSpec> = new Map(
  Object.entries({ ...conditionalFunctions, ...textFunctions, ...multivalueFunctions, ...mathTimeFunctions }),
);

export type { CallInfo, FnSpec, Runtime, Thunk } from './types.ts';
