// The Atomic Red Team test model as the loader returns it: upstream's pydantic model
// (atomic_red_team/models.py: Technique, Atomic, CommandExecutor, ManualExecutor, Dependency,
// StringArg/IntArg/FloatArg/UrlArg) in TypeScript, plus where each test came from.

/** `ExecutorType` of models.py. */
export const EXECUTOR_NAMES = ['manual', 'powershell', 'sh', 'bash', 'command_prompt'] as const;
export type ExecutorName = (typeof EXECUTOR_NAMES)[number];
export type CommandExecutorName = Exclude<ExecutorName, 'manual'>;

/** `Platform` of models.py. */
export const PLATFORMS = [
  'windows', 'macos', 'linux', 'office-365', 'azure-ad', 'google-workspace', 'saas', 'iaas',
  'containers', 'iaas:gcp', 'iaas:azure', 'iaas:aws', 'esxi',
] as const;
export type AtomicPlatform = (typeof PLATFORMS)[number];

/** Argument `type` literals (StringArg, IntArg, FloatArg, UrlArg; title case is legacy). */
export const ARGUMENT_TYPES = ['string', 'String', 'path', 'Path', 'integer', 'Integer', 'float', 'Float', 'url', 'Url'] as const;
export type ArgumentType = (typeof ARGUMENT_TYPES)[number];

export interface InputArgument {
  name: string;
  description: string;
  type: ArgumentType;
  /** as written in YAML: 51 corpus defaults are integers, 1 a float, 45 null */
  default: string | number | null;
}

export interface Dependency {
  description: string;
  prereqCommand: string;
  /** the key is required upstream, its value may be null */
  getPrereqCommand: string | null;
}

export interface CommandExecutor {
  name: CommandExecutorName;
  command: string;
  cleanupCommand: string | null;
  elevationRequired: boolean;
}

export interface ManualExecutor {
  name: 'manual';
  steps: string;
  elevationRequired: boolean;
}

export type Executor = CommandExecutor | ManualExecutor;

/** Whether a test is an attack (the technique's atomics) or a benign look-alike scenario. */
export type TestKind = 'attack' | 'benign';

/** Where a test was defined: file and 1-based line:column of its list item. */
export interface TestSource {
  file: string;
  line: number;
  column: number;
  /** the atomics folder the file was loaded from (the PathToAtomicsFolder of a local run) */
  atomicsDir: string;
}

export interface AtomicTest {
  /** `attack_technique` of the file */
  technique: string;
  /** 1-based position in the file (upstream's test_number without the technique) */
  number: number;
  /** `T1546.016-1` for attacks, `T1546.016-benign-1` for benign scenarios */
  id: string;
  /** `auto_generated_guid`, lower case: the stable id (numbers shift when tests are inserted) */
  guid: string | null;
  name: string;
  description: string;
  platforms: string[];
  /** in file order */
  inputArguments: InputArgument[];
  /** null: prerequisite commands use the test's own executor */
  dependencyExecutorName: ExecutorName | null;
  dependencies: Dependency[];
  executor: Executor;
  kind: TestKind;
  source: TestSource;
}

export interface Technique {
  attackTechnique: string;
  displayName: string;
  file: string;
  kind: TestKind;
  tests: AtomicTest[];
}

/** The executor that runs a test's prerequisite commands. */
export function dependencyExecutor(test: AtomicTest): ExecutorName {
  return test.dependencyExecutorName ?? test.executor.name;
}
