// Validation of one Atomic Red Team technique file, rule for rule as upstream's pydantic model
// (redcanaryco/atomic-red-team atomic_red_team/models.py, validator.py; reference/atomics.md §1),
// building the lab's model at the same time. Every finding carries pydantic's error type as its
// code (extra_forbidden, missing, unused_input_argument, ...) and the YAML position.
//
// Choices where upstream's behaviour is an accident of pydantic, written down here:
// - pydantic stops at the first unused argument of a test (one error per field); this reports
//   every unused and every undeclared one, with the same codes.
// - Only `Atomic` forbids unknown keys (`extra="forbid"`). `Technique`, the executors, the
//   dependencies and the argument TypedDicts ignore them, as pydantic's default does.
// - Lax coercion follows pydantic v2: str fields take only strings (a YAML integer is a
//   string_type error), bool takes true/false/yes/no/on/off/1/0/t/f/y/n as text, int takes
//   integral floats and decimal text, StrictFloat takes ints and floats only.
import type { SourcePosition } from '../core/errors.ts';
import {
  ARGUMENT_TYPES, EXECUTOR_NAMES, PLATFORMS,
  type ArgumentType, type AtomicTest, type Dependency, type Executor, type ExecutorName, type InputArgument,
  type Technique, type TestKind,
} from './model.ts';
import type { YamlFile } from '../core/yaml-file.ts';

export type Loc = readonly (string | number)[];

export interface Finding {
  /** pydantic error type or upstream custom error code */
  code: string;
  message: string;
  loc: Loc;
  position: SourcePosition;
}

const ATOMIC_KEYS = [
  'test_number', 'name', 'description', 'supported_platforms', 'executor', 'dependencies',
  'input_arguments', 'dependency_executor_name', 'auto_generated_guid',
];
/** `AttackTechniqueID`: pydantic `pattern` is a search, not a full match (reference/atomics.md §1.2). */
const TECHNIQUE_ID = /T\d{4}(?:\.\d{3})?/;
/** `DomainName` of models.py. */
const DOMAIN_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
/** argument names: constr(min_length=2, pattern=r"^[\w_-]+$"), Python's Unicode \w */
const ARGUMENT_NAME = /^[\p{L}\p{N}\p{Mn}\p{Pc}_-]+$/u;
/** placeholders as upstream's extract_mustached_keys finds them: `#{(.*?)}` */
export const PLACEHOLDER = /#\{(.*?)\}/g;
/** pydantic's UUID input forms: hyphenated, 32 hex digits, {braced}, urn:uuid: prefix */
const UUID_FORMS = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;
const BOOL_TEXT: Record<string, boolean> = {
  '0': false, off: false, f: false, false: false, n: false, no: false,
  '1': true, on: true, t: true, true: true, y: true, yes: true,
};

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export interface ValidateContext {
  yaml: YamlFile;
  atomicsDir: string;
  kind: TestKind;
}

export interface ValidationResult {
  /** undefined when the file is not a technique at all (not a mapping, no usable atomic_tests) */
  technique: Technique | undefined;
  findings: Finding[];
}

/** Validates and converts one parsed technique file. A test with findings is still returned as far as it could be built. */
export function validateTechnique(ctx: ValidateContext): ValidationResult {
  const findings: Finding[] = [];
  const add = (code: string, message: string, loc: Loc) =>
    findings.push({ code, message, loc, position: ctx.yaml.at(loc) });
  const data = ctx.yaml.value;
  if (!isDict(data)) {
    add('model_type', 'Input should be a valid dictionary or instance of Technique', []);
    return { technique: undefined, findings };
  }
  const attackTechnique = str(data, ['attack_technique'], add);
  if (attackTechnique !== undefined) {
    if (attackTechnique.length < 5) add('string_too_short', 'String should have at least 5 characters', ['attack_technique']);
    else if (!TECHNIQUE_ID.test(attackTechnique)) add('string_pattern_mismatch', `String should match pattern '${TECHNIQUE_ID.source}'`, ['attack_technique']);
  }
  const displayName = str(data, ['display_name'], add);
  if (displayName !== undefined && displayName.length < 5) add('string_too_short', 'String should have at least 5 characters', ['display_name']);

  const rawTests = data.atomic_tests;
  if (!('atomic_tests' in data)) add('missing', 'Field required', ['atomic_tests']);
  else if (!Array.isArray(rawTests)) add('list_type', 'Input should be a valid list', ['atomic_tests']);
  else if (rawTests.length === 0) add('too_short', 'List should have at least 1 item after validation, not 0', ['atomic_tests']);
  if (!Array.isArray(rawTests)) return { technique: undefined, findings };

  const technique: Technique = {
    attackTechnique: attackTechnique ?? '',
    displayName: displayName ?? '',
    file: ctx.yaml.file,
    kind: ctx.kind,
    tests: [],
  };
  rawTests.forEach((raw, index) => {
    const test = validateAtomic(raw, index, technique.attackTechnique, ctx, add);
    if (test) technique.tests.push(test);
  });
  return { technique, findings };
}

type Add = (code: string, message: string, loc: Loc) => void;

function validateAtomic(raw: unknown, index: number, techniqueId: string, ctx: ValidateContext, add: Add): AtomicTest | undefined {
  const base: Loc = ['atomic_tests', index];
  if (!isDict(raw)) {
    add('model_type', 'Input should be a valid dictionary or instance of Atomic', base);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!ATOMIC_KEYS.includes(key)) add('extra_forbidden', `Extra inputs are not permitted: '${key}'`, [...base, key]);
  }
  // Technique's model_validator(mode="before"): an explicit empty dependency_executor_name.
  if ('dependency_executor_name' in raw && (raw.dependency_executor_name === null || raw.dependency_executor_name === '')) {
    add('empty_dependency_executor_name',
      "'dependency_executor_name' shouldn't be empty. Provide a valid value ['manual','powershell', 'sh', 'bash', 'command_prompt'] or remove the key from YAML",
      [...base, 'dependency_executor_name']);
  }
  const name = str(raw, [...base, 'name'], add, 1);
  const description = str(raw, [...base, 'description'], add, 1);
  const platforms = validatePlatforms(raw, base, add);
  const executor = validateExecutor(raw.executor, 'executor' in raw, [...base, 'executor'], add);
  const dependencies = validateDependencies(raw, base, add);
  const inputArguments = validateArguments(raw, base, add);
  const dependencyExecutorName = validateDependencyExecutorName(raw, base, dependencies, add);
  const guid = validateGuid(raw, base, add);

  if (executor && inputArguments) checkPlaceholders(raw, executor, dependencies ?? [], inputArguments, base, add);
  if (executor && executor.name !== 'manual' && platforms && !executor.elevationRequired
    && (platforms.includes('linux') || platforms.includes('macos'))
    && [executor.command, executor.cleanupCommand ?? ''].some((c) => c.includes('sudo'))) {
    add('elevation_required_but_not_provided',
      "'elevation_required' shouldn't be empty/false. Since `sudo` is used, set `elevation_required` to true`",
      [...base, 'executor', 'elevation_required']);
  }
  if (name === undefined || !executor) return undefined;
  const number = index + 1;
  const pos = ctx.yaml.at(base);
  return {
    technique: techniqueId,
    number,
    id: ctx.kind === 'benign' ? `${techniqueId}-benign-${number}` : `${techniqueId}-${number}`,
    guid,
    name,
    description: description ?? '',
    platforms: platforms ?? [],
    inputArguments: inputArguments ?? [],
    dependencyExecutorName,
    dependencies: dependencies ?? [],
    executor,
    kind: ctx.kind,
    source: { file: ctx.yaml.file, line: pos.line ?? 1, column: pos.column ?? 1, atomicsDir: ctx.atomicsDir },
  };
}

/** A required str field (lax str: only strings), optionally with min_length. */
function str(obj: Dict, loc: Loc, add: Add, minLength = 0): string | undefined {
  const key = loc[loc.length - 1] as string;
  if (!(key in obj)) {
    add('missing', 'Field required', loc);
    return undefined;
  }
  return strValue(obj[key], loc, add, minLength);
}

function strValue(v: unknown, loc: Loc, add: Add, minLength = 0): string | undefined {
  if (typeof v !== 'string') {
    add('string_type', 'Input should be a valid string', loc);
    return undefined;
  }
  if (v.length < minLength) add('string_too_short', `String should have at least ${minLength} character${minLength === 1 ? '' : 's'}`, loc);
  return v;
}

function optionalStr(obj: Dict, key: string, loc: Loc, add: Add): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  return strValue(v, loc, add) ?? null;
}

function boolValue(v: unknown, loc: Loc, add: Add): boolean {
  if (v === undefined || v === null) {
    if (v === null) add('bool_type', 'Input should be a valid boolean', loc);
    return false;
  }
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v === 'string' && v.trim().toLowerCase() in BOOL_TEXT) return BOOL_TEXT[v.trim().toLowerCase()]!;
  add('bool_parsing', 'Input should be a valid boolean, unable to interpret input', loc);
  return false;
}

function validatePlatforms(raw: Dict, base: Loc, add: Add): string[] | undefined {
  const loc = [...base, 'supported_platforms'];
  if (!('supported_platforms' in raw)) {
    add('missing', 'Field required', loc);
    return undefined;
  }
  const v = raw.supported_platforms;
  if (!Array.isArray(v)) {
    add('list_type', 'Input should be a valid list', loc);
    return undefined;
  }
  if (v.length === 0) add('too_short', 'List should have at least 1 item after validation, not 0', loc);
  v.forEach((p, i) => {
    if (!(PLATFORMS as readonly unknown[]).includes(p)) {
      add('literal_error', `Input should be ${PLATFORMS.map((x) => `'${x}'`).join(', ')}`, [...loc, i]);
    }
  });
  return v.map(String);
}

function validateExecutor(v: unknown, present: boolean, loc: Loc, add: Add): Executor | undefined {
  if (!present) {
    add('missing', 'Field required', loc);
    return undefined;
  }
  if (!isDict(v)) {
    add('model_attributes_type', 'Input should be a valid dictionary or object to extract fields from', loc);
    return undefined;
  }
  if (!('name' in v)) {
    add('union_tag_not_found', "Unable to extract tag using discriminator 'name'", loc);
    return undefined;
  }
  const name = v.name;
  if (!(EXECUTOR_NAMES as readonly unknown[]).includes(name)) {
    add('union_tag_invalid',
      `Input tag '${String(name)}' found using 'name' does not match any of the expected tags: 'manual', 'powershell', 'sh', 'bash', 'command_prompt'`,
      [...loc, 'name']);
    return undefined;
  }
  const elevationRequired = 'elevation_required' in v ? boolValue(v.elevation_required, [...loc, 'elevation_required'], add) : false;
  if (name === 'manual') {
    const steps = 'steps' in v ? strValue(v.steps, [...loc, 'steps'], add, 10) : (add('missing', 'Field required', [...loc, 'steps']), undefined);
    return steps === undefined ? undefined : { name, steps, elevationRequired };
  }
  const command = 'command' in v ? strValue(v.command, [...loc, 'command'], add, 1) : (add('missing', 'Field required', [...loc, 'command']), undefined);
  const cleanupCommand = optionalStr(v, 'cleanup_command', [...loc, 'cleanup_command'], add);
  return command === undefined ? undefined : { name: name as Exclude<ExecutorName, 'manual'>, command, cleanupCommand, elevationRequired };
}

function validateDependencies(raw: Dict, base: Loc, add: Add): Dependency[] | null {
  const loc = [...base, 'dependencies'];
  if (!('dependencies' in raw)) return [];
  const v = raw.dependencies;
  if (v === null) return null;
  if (!Array.isArray(v)) {
    add('list_type', 'Input should be a valid list', loc);
    return null;
  }
  const out: Dependency[] = [];
  v.forEach((d, i) => {
    const dl = [...loc, i];
    if (!isDict(d)) {
      add('model_type', 'Input should be a valid dictionary or instance of Dependency', dl);
      return;
    }
    const description = str(d, [...dl, 'description'], add, 1);
    const prereqCommand = str(d, [...dl, 'prereq_command'], add, 1);
    let getPrereqCommand: string | null = null;
    if (!('get_prereq_command' in d)) add('missing', 'Field required', [...dl, 'get_prereq_command']);
    else getPrereqCommand = optionalStr(d, 'get_prereq_command', [...dl, 'get_prereq_command'], add);
    if (description !== undefined && prereqCommand !== undefined) out.push({ description, prereqCommand, getPrereqCommand });
  });
  return out;
}

function validateArguments(raw: Dict, base: Loc, add: Add): InputArgument[] | undefined {
  const loc = [...base, 'input_arguments'];
  if (!('input_arguments' in raw)) return [];
  const v = raw.input_arguments;
  if (v === null) {
    add('empty_input_arguments', "'input_arguments' shouldn't be empty. Provide a valid value or remove the key from YAML", loc);
    return undefined;
  }
  if (!isDict(v)) {
    add('dict_type', 'Input should be a valid dictionary', loc);
    return undefined;
  }
  const out: InputArgument[] = [];
  for (const [name, arg] of Object.entries(v)) {
    const al = [...loc, name];
    if (name.length < 2) add('string_too_short', 'String should have at least 2 characters', al);
    else if (!ARGUMENT_NAME.test(name)) add('string_pattern_mismatch', "String should match pattern '^[\\w_-]+$'", al);
    const parsed = validateArgument(name, arg, al, add);
    if (parsed) out.push(parsed);
  }
  return out;
}

function validateArgument(name: string, arg: unknown, loc: Loc, add: Add): InputArgument | undefined {
  if (!isDict(arg)) {
    add('model_attributes_type', 'Input should be a valid dictionary or object to extract fields from', loc);
    return undefined;
  }
  if (!('type' in arg)) {
    add('union_tag_not_found', "Unable to extract tag using discriminator 'type'", loc);
    return undefined;
  }
  const type = arg.type;
  if (!(ARGUMENT_TYPES as readonly unknown[]).includes(type)) {
    add('union_tag_invalid',
      `Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${ARGUMENT_TYPES.map((t) => `'${t}'`).join(', ')}`,
      [...loc, 'type']);
    return undefined;
  }
  const description = str(arg, [...loc, 'description'], add);
  if (!('default' in arg)) {
    add('missing', 'Field required', [...loc, 'default']);
    return undefined;
  }
  const value = validateDefault(type as ArgumentType, arg.default, [...loc, 'default'], add);
  if (value === undefined || description === undefined) return undefined;
  return { name, description, type: type as ArgumentType, default: value };
}

/** The default's type per argument type: StringArg str, IntArg int (lax), FloatArg StrictFloat, UrlArg DomainName | AnyUrl | IPvAnyAddress; all nullable. */
function validateDefault(type: ArgumentType, v: unknown, loc: Loc, add: Add): string | number | null | undefined {
  if (v === null) return null;
  switch (type.toLowerCase()) {
    case 'string':
    case 'path':
      return strValue(v, loc, add);
    case 'integer':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number') {
        add('int_from_float', 'Input should be a valid integer, got a number with a fractional part', loc);
        return undefined;
      }
      if (typeof v === 'string' && /^\s*[-+]?\d+(_\d+)*\s*$/.test(v)) return Number(v.replace(/_/g, ''));
      add(typeof v === 'string' ? 'int_parsing' : 'int_type',
        typeof v === 'string' ? 'Input should be a valid integer, unable to parse string as an integer' : 'Input should be a valid integer', loc);
      return undefined;
    case 'float':
      if (typeof v === 'number') return v;
      add('float_type', 'Input should be a valid number', loc);
      return undefined;
    default: // url
      if (typeof v === 'string' && (DOMAIN_NAME.test(v) || isUrl(v) || isIpAddress(v))) return v;
      add('url_parsing', typeof v === 'string'
        ? `Input should be a domain name, a URL with a scheme, or an IP address (got '${v}')`
        : 'Input should be a valid string', loc);
      return undefined;
  }
}

function isUrl(v: string): boolean {
  // pydantic's AnyUrl is the WHATWG-conformant Rust url crate; WHATWG URL here. A scheme is required.
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

function isIpAddress(v: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(v)) return true;
  if (!v.includes(':')) return false;
  try {
    return new URL(`http://[${v}]/`).hostname.length > 0;
  } catch {
    return false;
  }
}

function validateDependencyExecutorName(raw: Dict, base: Loc, dependencies: Dependency[] | null, add: Add): ExecutorName | null {
  const loc = [...base, 'dependency_executor_name'];
  const v = raw.dependency_executor_name;
  if (v === undefined || v === null) return null;
  if (!(EXECUTOR_NAMES as readonly unknown[]).includes(v)) {
    if (v !== '') add('literal_error', "Input should be 'manual', 'powershell', 'sh', 'bash' or 'command_prompt'", loc);
    return null;
  }
  if (dependencies !== null && dependencies.length === 0) {
    add('invalid_dependency_executor_name',
      "'dependency_executor_name' is not needed if there are no dependencies. Remove the key from YAML", loc);
  }
  return v as ExecutorName;
}

function validateGuid(raw: Dict, base: Loc, add: Add): string | null {
  const v = raw.auto_generated_guid;
  if (v === undefined || v === null) return null;
  const m = typeof v === 'string' ? UUID_FORMS.exec(v.trim()) : null;
  if (!m) {
    add(typeof v === 'string' ? 'uuid_parsing' : 'uuid_type',
      typeof v === 'string' ? 'Input should be a valid UUID, unable to parse string as a UUID' : 'UUID input should be a string, bytes or UUID object',
      [...base, 'auto_generated_guid']);
    return null;
  }
  return m.slice(1, 6).join('-').toLowerCase();
}

/** The placeholder names used in the commands upstream checks (command, cleanup or steps; dependency commands). */
export function placeholderNames(executor: Executor, dependencies: readonly Dependency[]): Set<string> {
  const texts = executor.name === 'manual' ? [executor.steps] : [executor.command, executor.cleanupCommand];
  for (const d of dependencies) texts.push(d.getPrereqCommand, d.prereqCommand);
  const names = new Set<string>();
  for (const t of texts) if (t) for (const m of t.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return names;
}

function checkPlaceholders(raw: Dict, executor: Executor, dependencies: Dependency[], args: InputArgument[], base: Loc, add: Add): void {
  const used = placeholderNames(executor, dependencies);
  for (const a of args) {
    if (!used.has(a.name)) add('unused_input_argument', `'${a.name}' is not used in any of the commands`, [...base, 'input_arguments', a.name]);
    used.delete(a.name);
  }
  const where: Loc = 'input_arguments' in raw ? [...base, 'input_arguments'] : [...base, 'executor'];
  for (const name of used) add('missing_input_argument', `${name} is not defined in input_arguments`, where);
}
