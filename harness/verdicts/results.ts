// The results.json model (CONTRACTS.md `results.json`), with the lab's additions. The contract's
// fields are never removed or renamed; everything marked "extension" is optional for readers.

export type Verdict = 'PASS' | 'FAIL' | 'KNOWN_GAP' | 'NO_TELEMETRY' | 'ERROR';

export type Provenance = 'executed' | 'replayed';

/** Status ladder per test, in the spirit of Secureworks atomic-harness (extension). */
export type TestStatus =
  | 'prereq_failed'
  | 'execution_failed'
  | 'ran'
  | 'effect_proven'
  | 'telemetry_present'
  | 'detected';

export interface TestRef {
  technique: string;
  number: number;
  guid: string;
  name: string;
  /** extension: 'attack' for atomics, 'benign' for false-positive scenarios */
  kind?: 'attack' | 'benign';
}

export interface Signal {
  description: string;
  found: boolean;
  /** extension: false when the target cannot observe it (e.g. MsiInstaller events under Wine) */
  observable?: boolean;
  /** extension: what was found, or why not */
  detail?: string;
}

/** extension: one piece of proof that the test really ran (callback received, file present, ...) */
export interface Proof {
  description: string;
  ok: boolean;
  detail?: string;
}

/** extension: a process of the captured telemetry, for drawing the process tree */
export interface ProcessNode {
  /** unique within the test result */
  id: string;
  parentId?: string;
  pid?: string;
  image?: string;
  commandLine?: string;
  time?: string;
  /** rules (paths) whose matching rows came from this process's event */
  matchedBy?: string[];
}

/** extension: one command the target ran for the test (ATTiRe steps, HTML report) */
export interface ExecutionStep {
  phase: 'prereq' | 'test' | 'cleanup';
  /** the command as executed, #{args} substituted */
  command: string;
  /** ART executor name: command_prompt, powershell, sh, bash, manual */
  executor?: string;
  /** ISO-8601 */
  started?: string;
  /** ISO-8601 */
  finished?: string;
  exitCode?: number;
  timedOut?: boolean;
}

export interface DetectionResult {
  /** path of the rule, relative to the repository root: detections/... */
  rule: string;
  language: 'spl' | 'cql' | 'sigma';
  /** a DetectionType, or null when the rule is expected not to fire (benign scenarios) */
  expected: string | null;
  observed: string[];
  verdict: Verdict;
  /** for a miss: the predicates that were false on the nearest events; for ERROR: the error */
  why?: string;
  /** extension: view profile the rule was evaluated on (splunk, splunk-legacy, falcon, ...) */
  profile?: string;
  /** extension: the rule's title */
  title?: string;
  /** extension: the expectation's reason, for KNOWN_GAP and known false positives */
  reason?: string;
  /** extension: number of result rows */
  rows?: number;
}

export interface TestResult {
  test: TestRef;
  target: string;
  provenance: Provenance;
  /** capture bundle or recorded file path, for replayed results */
  source?: string;
  /** extension: the run marker (GUID) put into every executed command */
  marker?: string;
  /** extension */
  status?: TestStatus;
  /** extension */
  proof?: Proof[];
  /** extension: a lab error that stopped the test (exit 3 material, never a detection miss) */
  error?: string;
  /** extension: the commands run, in order */
  execution?: ExecutionStep[];
  telemetry: {
    events: number;
    signals: Signal[];
    /** extension */
    processes?: ProcessNode[];
  };
  detections: DetectionResult[];
}

export interface RunInfo {
  id: string;
  started: string;
  finished: string;
  version: string;
  commit: string;
  /** extension: the command line that produced the run */
  command?: string[];
  /** extension: host name of the machine that ran the lab */
  host?: string;
}

export interface ResultsFile {
  run: RunInfo;
  results: TestResult[];
}
