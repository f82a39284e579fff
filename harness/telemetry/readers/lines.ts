// Text lines out of a stream of UTF-8 chunks, in batches (one per chunk), CR before LF removed.

export interface LineBatch {
  lines: string[];
  /** 1-based line number of lines[0] */
  first: number;
}

export async function* lineBatches(chunks: AsyncIterable<Buffer>): AsyncGenerator<LineBatch> {
  let next = 1;
  let carry: Buffer[] = [];
  const split = (text: string): LineBatch => {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
    }
    const batch = { lines, first: next };
    next += lines.length;
    return batch;
  };
  for await (const chunk of chunks) {
    if (chunk.indexOf(0x0a) < 0) {
      carry.push(chunk);
      continue;
    }
    const buf = carry.length ? Buffer.concat([...carry, chunk]) : chunk;
    const last = buf.lastIndexOf(0x0a);
    carry = last + 1 < buf.length ? [buf.subarray(last + 1)] : [];
    yield split(buf.toString('utf8', 0, last));
  }
  if (carry.length) yield split(Buffer.concat(carry).toString('utf8'));
}
