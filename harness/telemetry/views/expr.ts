// The small expression language of the view mappings (detections/mappings/views/*.yml):
//   Field | 'literal' | basename(F) | dirname(F) | hex2dec(F) | lower(F) | first(A, B, ...)
//   | "text with {Field} placeholders"
// Compiled once per mapping entry; evaluated against a flat field map.

export type FieldMap = Record<string, string | string[] | undefined>;
export type Expr = (fields: FieldMap) => string | undefined;

function scalar(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i < 0 ? path : path.slice(i + 1);
}

function dirName(path: string): string | undefined {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i < 0 ? undefined : path.slice(0, i + 1);
}

const FUNCTIONS: Record<string, (args: (string | undefined)[]) => string | undefined> = {
  basename: ([v]) => (v === undefined ? undefined : baseName(v)),
  dirname: ([v]) => (v === undefined ? undefined : dirName(v)),
  lower: ([v]) => v?.toLowerCase(),
  hex2dec: ([v]) => {
    if (v === undefined) return undefined;
    const n = /^0x[0-9a-f]+$/i.test(v) ? Number.parseInt(v.slice(2), 16) : Number.NaN;
    return Number.isNaN(n) ? v : String(n);
  },
  first: (args) => args.find((a) => a !== undefined && a !== ''),
};

function splitArgs(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

export function compileExpr(source: string): Expr {
  const text = source.trim();
  const lit = /^'(.*)'$/s.exec(text);
  if (lit) {
    const value = lit[1] ?? '';
    return () => value;
  }
  const call = /^([a-z0-9]+)\((.*)\)$/s.exec(text);
  if (call) {
    const fn = FUNCTIONS[call[1] ?? ''];
    if (!fn) throw new Error(`unknown mapping function '${call[1]}' in '${source}'`);
    const args = splitArgs(call[2] ?? '').map(compileExpr);
    return (f) => fn(args.map((a) => a(f)));
  }
  if (text.includes('{')) {
    const parts = text.split(/(\{[^}]+\})/);
    return (f) => {
      let out = '';
      for (const p of parts) {
        if (p.startsWith('{') && p.endsWith('}')) {
          const v = scalar(f[p.slice(1, -1)]);
          if (v === undefined) return undefined;
          out += v;
        } else out += p;
      }
      return out;
    };
  }
  if (!/^[A-Za-z_][\w.]*$/.test(text)) throw new Error(`bad mapping expression '${source}'`);
  return (f) => scalar(f[text]);
}

export { baseName };
