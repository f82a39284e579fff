// The reader seam: one raw format in, canonical events out, streaming.
import type { CanonicalEvent, SourceFormat } from '../model.ts';

export interface ReadOptions {
  /** path shown in messages and kept in each event's origin */
  file: string;
  /**
   * 'view': flat JSON objects are kept as-is (kind 'raw', record.type 'flat'): `detect` semantics.
   * 'normalize': flat shapes that are recognisably a dataset format (OTRF/nxlog, Falcon FDR) are
   * parsed into canonical events: `events`, `replay` semantics.
   */
  flatJson?: 'view' | 'normalize';
  /** called for a recoverable problem: the readable part is still returned */
  onWarning?: (message: string) => void;
}

export interface Reader {
  format: SourceFormat | 'json';
  /** true when the first bytes of a file look like this format */
  sniff(head: Buffer): boolean;
  read(file: string, options: ReadOptions): AsyncIterable<CanonicalEvent>;
}
