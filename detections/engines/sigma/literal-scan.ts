// Multi-literal search (Aho–Corasick): one pass over a value reports every literal of a set that
// occurs in it, in time linear in the value plus the number of occurrences, whatever the number of
// literals (SigmaHQ's process_creation rules hold ~8,700 distinct CommandLine literals).
//
// Layout for speed and memory: the trie's edges as sorted flat arrays per state (most states have
// one child), a dense table for the root (one lookup for any UTF-16 code unit), failure links and
// dictionary-suffix links so each position reports its matches without scanning the literal set.

export interface HitSink {
  add(id: number): void;
}

/** Start offsets of consecutive runs of the given sizes, and the total at the end. */
function offsets(sizes: readonly number[]): Int32Array {
  const out = new Int32Array(sizes.length + 1);
  for (let q = 0; q < sizes.length; q++) out[q + 1] = out[q]! + sizes[q]!;
  return out;
}

export class LiteralScanner {
  private readonly edgeStart: Int32Array;
  private readonly edgeChar: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly root: Int32Array;
  private readonly fail: Int32Array;
  /** nearest state on the failure chain (excluding itself) that ends a literal, or -1 */
  private readonly dict: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;

  /** literals[i] (non-empty) is reported as ids[i]; equal texts may carry different ids */
  constructor(literals: readonly string[], ids: readonly number[]) {
    // 1. the trie, with Map children while building
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    literals.forEach((text, i) => {
      let q = 0;
      for (let k = 0; k < text.length; k++) {
        const c = text.charCodeAt(k);
        let next = children[q]!.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ends.push([]);
          children[q]!.set(c, next);
        }
        q = next;
      }
      ends[q]!.push(ids[i]!);
    });
    const n = children.length;

    // 2. flat, sorted edges
    this.edgeStart = offsets(children.map((m) => m.size));
    this.edgeChar = new Uint16Array(this.edgeStart[n]!);
    this.edgeTarget = new Int32Array(this.edgeStart[n]!);
    for (let q = 0; q < n; q++) {
      let e = this.edgeStart[q]!;
      for (const [c, t] of [...children[q]!].sort((a, b) => a[0] - b[0])) {
        this.edgeChar[e] = c;
        this.edgeTarget[e++] = t;
      }
    }
    this.root = new Int32Array(0x10000);
    for (const [c, t] of children[0]!) this.root[c] = t;

    // 3. failure and dictionary links, breadth first
    this.fail = new Int32Array(n);
    this.dict = new Int32Array(n).fill(-1);
    const queue: number[] = [...children[0]!.values()];
    for (let h = 0; h < queue.length; h++) {
      const q = queue[h]!;
      for (const [c, t] of children[q]!) {
        this.fail[t] = this.step(this.fail[q]!, c);
        const f = this.fail[t]!;
        this.dict[t] = ends[f]!.length > 0 ? f : this.dict[f]!;
        queue.push(t);
      }
    }

    // 4. outputs
    this.outStart = offsets(ends.map((e) => e.length));
    this.outIds = Int32Array.from(ends.flat());
  }

  /** The state after reading code unit c in state q (following failure links). */
  private step(q: number, c: number): number {
    for (;;) {
      if (q === 0) return this.root[c]!;
      const end = this.edgeStart[q + 1]!;
      for (let e = this.edgeStart[q]!; e < end; e++) {
        const ec = this.edgeChar[e]!;
        if (ec === c) return this.edgeTarget[e]!;
        if (ec > c) break;
      }
      q = this.fail[q]!;
    }
  }

  /** Reports the id of every literal occurring in s (an id may be reported more than once). */
  scan(s: string, sink: HitSink): void {
    const outStart = this.outStart;
    const outIds = this.outIds;
    const dict = this.dict;
    let q = 0;
    for (let i = 0; i < s.length; i++) {
      q = this.step(q, s.charCodeAt(i));
      if (q === 0) continue;
      let d = outStart[q]! < outStart[q + 1]! ? q : dict[q]!;
      while (d >= 0) {
        for (let o = outStart[d]!, end = outStart[d + 1]!; o < end; o++) sink.add(outIds[o]!);
        d = dict[d]!;
      }
    }
  }
}
