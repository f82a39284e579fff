// strace output as a reader (the Reader seam of readers/types.ts): `strace -f -ttt` lines,
// `<pid> <epoch>.<micro> <call>(…`. Times are wall-clock already.
import { readFileSync } from 'node:fs';
import type { CanonicalEvent } from '../../model.ts';
import type { Reader, ReadOptions } from '../types.ts';
import { parseStrace } from './parse.ts';

const STRACE_LINE = /^\d+\s+\d+\.\d+ (\w+\(|<\.\.\. \w+ resumed>|\+\+\+ |--- )/m;

export const straceReader: Reader = {
  format: 'strace',
  sniff: (head) => STRACE_LINE.test(head.toString('utf8')),
  async *read(file: string, options: ReadOptions): AsyncIterable<CanonicalEvent> {
    yield* parseStrace(readFileSync(file, 'utf8'), { file: options.file, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  },
};
