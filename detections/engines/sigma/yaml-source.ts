// YAML access with positions: every Sigma problem names line:column, taken from the `yaml`
// package's node ranges through a LineCounter.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import type { Diagnostics, Pos } from './problems.ts';

export type YNode = Node | null | undefined;

export interface YamlSource {
  lines: LineCounter;
  docs: Document.Parsed[];
}

export function parseYaml(text: string, diag: Diagnostics): YamlSource {
  const lines = new LineCounter();
  // uniqueKeys: duplicate keys are an error in YAML 1.2 and pySigma (PyYAML would silently keep the
  // last one; a duplicated selection name is almost always a rule bug, so we report it).
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // an EmptyStream
    return { lines, docs: [] };
  }
  for (const d of list) {
    for (const e of d.errors) {
      const p = lines.linePos(e.pos[0]);
      diag.add('E_SIGMA_YAML', `YAML: ${e.message.split('\n')[0]}`, { line: p.line, column: p.col });
    }
  }
  return { lines, docs: list };
}

export function posOf(src: YamlSource, node: YNode | Pair): Pos | undefined {
  const range = node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node | null)?.range : undefined;
  if (!range) return undefined;
  const p = src.lines.linePos(range[0]);
  return { line: p.line, column: p.col };
}

/** Position of the key of a pair (where a person looks for `Image|endswith:`). */
export function keyPos(src: YamlSource, pair: Pair): Pos | undefined {
  return posOf(src, pair.key as Node | null) ?? posOf(src, pair.value as Node | null);
}

export function mapPairs(node: YNode): Pair<Node, Node | null>[] | undefined {
  return isMap(node) ? (node.items as Pair<Node, Node | null>[]) : undefined;
}

export function keyString(pair: Pair): string {
  const k = pair.key as Node | null;
  if (isScalar(k)) return String(k.value);
  return String(k);
}

export function getPair(node: YNode, key: string): Pair<Node, Node | null> | undefined {
  return mapPairs(node)?.find((p) => keyString(p) === key);
}

export function get(node: YNode, key: string): YNode {
  return getPair(node, key)?.value;
}

export { isMap, isScalar, isSeq };
