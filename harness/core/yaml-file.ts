// YAML files with positions: parse once, then ask where any path of keys sits (line:column), so
// validation errors name the exact place (InputError, exit 2).
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { InputError, type SourcePosition } from './errors.ts';

export interface YamlFile {
  file: string;
  value: unknown;
  /** position of the node at `path` (keys and indexes), or of the nearest existing parent */
  at(path: readonly (string | number)[]): SourcePosition;
  /** an InputError for the node at `path` */
  error(code: string, message: string, path: readonly (string | number)[]): InputError;
}

export function parseYamlFile(text: string, file: string): YamlFile {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const p = lines.linePos(first.pos[0]);
    throw new InputError('E_YAML', first.message.split('\n')[0] ?? 'malformed YAML', { file, line: p.line, column: p.col });
  }
  const posOf = (node: Node | null | undefined): SourcePosition => {
    const start = node?.range?.[0] ?? 0;
    const p = lines.linePos(start);
    return { file, line: p.line, column: p.col };
  };
  // A path that ends on a mapping key points at the key itself (`expct:` rather than its value).
  const at = (path: readonly (string | number)[]): SourcePosition => {
    let node: unknown = doc.contents;
    let last: unknown = node;
    for (const k of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === k);
        if (!pair) break;
        node = pair.value;
        last = pair.key;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.get(k, true);
        if (node === undefined) break;
        last = node;
      } else break;
    }
    return posOf(last as Node);
  };
  return {
    file,
    value: doc.toJS(),
    at,
    error: (code, message, path) => new InputError(code, message, at(path)),
  };
}
