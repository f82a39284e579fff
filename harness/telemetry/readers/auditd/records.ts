// One auditd record line → fields (telemetry.md §5; auditd.conf(5), auditctl(8)).
//
//   [node=<host> ]type=<TYPE> msg=audit(<epoch>.<ms>:<serial>): key=value …[<0x1D>ENRICHED=value …]
//
// Values are `"quoted"` (printable, no spaces or quotes), `'single quoted'` (the nested msg of
// USER_* records), `{ … }` (enriched SADDR) or bare tokens. The kernel writes untrusted strings
// (comm, exe, cwd, name, EXECVE arguments, proctitle) as bare hex when they contain a space, a quote,
// a control or non-ASCII byte; `untrusted()` undoes that. With log_format=ENRICHED the interpreted
// upper-case fields follow a 0x1D byte; some exports (the Splunk samples) turned that byte into a
// space, so upper-case keys after the raw part are recognised either way.

export interface AuditRecord {
  type: string;
  /** `<epoch>.<ms>` as written */
  time: string;
  serial: number;
  node?: string;
  /** raw fields, tokens as written (quotes kept, so a quoted value can be told from hex) */
  fields: Map<string, string>;
  /** interpreted (enriched) fields, quotes removed */
  enriched: Map<string, string>;
  /** 1-based line in the file */
  line: number;
  text: string;
}

const HEADER = /^(?:node=(\S+) )?type=([A-Za-z0-9_]+) msg=audit\((\d+\.\d+):(\d+)\):/;
const ENRICHED_KEY = /^[A-Z][A-Z0-9_]*$/;

/** Tokenises `key=value …`; returns the index of a malformed token, or -1. */
function tokens(text: string, into: (key: string, value: string) => void): number {
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\x1d')) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) return i;
    const key = text.slice(i, eq);
    if (key.includes(' ')) return i;
    const j = eq + 1;
    const c = text[j];
    let end: number;
    if (c === '"' || c === "'") {
      end = text.indexOf(c, j + 1);
      if (end < 0) return i;
      end++;
    } else if (c === '{') {
      end = text.indexOf('}', j);
      if (end < 0) return i;
      end++;
    } else {
      end = j;
      while (end < n && text[end] !== ' ' && text[end] !== '\x1d') end++;
    }
    into(key, text.slice(j, end));
    i = end;
  }
  return -1;
}

export type RecordParse = { record: AuditRecord } | { error: string; column: number };

export function parseRecord(text: string, line: number): RecordParse {
  const m = HEADER.exec(text);
  if (!m) {
    if (/^(?:node=\S+ )?type=\S+ msg=audit\(/.test(text)) {
      return { error: 'the audit(...) time stamp is not <epoch>.<ms>:<serial>; interpreted `ausearch -i` output is not supported, use the raw log or `ausearch --raw`', column: text.indexOf('audit(') + 7 };
    }
    return { error: 'not an auditd record (expected `type=<TYPE> msg=audit(<time>:<serial>): …`)', column: 1 };
  }
  const record: AuditRecord = {
    type: m[2]!,
    time: m[3]!,
    serial: Number(m[4]),
    fields: new Map(),
    enriched: new Map(),
    line,
    text,
  };
  if (m[1] !== undefined) record.node = m[1];
  const body = text.slice(m[0].length);
  const sep = body.indexOf('\x1d');
  const raw = sep < 0 ? body : body.slice(0, sep);
  let inEnriched = false;
  const bad = tokens(raw, (k, v) => {
    // without the 0x1D byte, the first upper-case key starts the enriched part
    if (!inEnriched && sep < 0 && ENRICHED_KEY.test(k) && record.fields.size > 0) inEnriched = true;
    if (inEnriched) record.enriched.set(k, unquote(v));
    else record.fields.set(k, v);
  });
  if (bad >= 0) return { error: 'malformed key=value field', column: m[0].length + bad + 1 };
  if (sep >= 0) tokens(body.slice(sep + 1), (k, v) => record.enriched.set(k, unquote(v)));
  return { record };
}

function unquote(v: string): string {
  const c = v[0];
  return (c === '"' || c === "'") && v.length >= 2 && v.endsWith(c) ? v.slice(1, -1) : v;
}

/** A plain field: quotes removed. */
export function field(r: AuditRecord, key: string): string | undefined {
  const v = r.fields.get(key);
  return v === undefined ? undefined : unquote(v);
}

const HEX = /^(?:[0-9A-F]{2})+$/;

/** An untrusted-string field: quoted → as is; bare hex → decoded; `(null)` → undefined. */
export function untrusted(r: AuditRecord, key: string): string | undefined {
  const v = r.fields.get(key);
  return v === undefined ? undefined : decodeUntrusted(v);
}

export function decodeUntrusted(v: string): string | undefined {
  if (v.startsWith('"')) return unquote(v);
  if (v === '(null)' || v === '(none)') return undefined;
  if (HEX.test(v)) return Buffer.from(v, 'hex').toString('utf8');
  return v;
}
