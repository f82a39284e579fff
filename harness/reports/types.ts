// The writer seam (as vitest's reporters): a writer is a pure function of a results file and
// options that returns the files it wants written, relative to the report directory.
import type { ResultsFile } from '../verdicts/results.ts';

export interface ReportFile {
  /** relative to the report directory, '/'-separated */
  path: string;
  content: string;
}

export interface WriterOptions {
  /** an earlier run to diff against (history section of every report) */
  baseline?: ResultsFile;
}

export type Writer = (results: ResultsFile, options: WriterOptions) => ReportFile[];
