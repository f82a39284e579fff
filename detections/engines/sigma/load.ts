// From rule text to loaded documents, collecting every problem (collect-all-errors mode).
import { getPipeline } from './logsource.ts';
import { Diagnostics } from './problems.ts';
import { type SigmaDoc, loadDocument } from './rule.ts';
import { parseYaml, posOf } from './yaml-source.ts';

export interface LoadedFile {
  docs: SigmaDoc[];
  /** documents that did not load */
  failedDocs: number;
  diag: Diagnostics;
}

export function loadText(text: string, file: string): LoadedFile {
  const diag = new Diagnostics(file);
  const src = parseYaml(text, diag);
  const docs: SigmaDoc[] = [];
  let failedDocs = 0;
  if (diag.failed) return { docs, failedDocs: Math.max(1, src.docs.length), diag };
  const ctx = { src, diag, placeholders: getPipeline().placeholders };
  for (const d of src.docs) {
    if (d.contents === null) continue; // an empty document (e.g. a trailing `---`)
    const before = diag.problems.length;
    const doc = loadDocument(ctx, d.contents);
    if (doc && diag.problems.length === before) docs.push(doc);
    else failedDocs++;
    if (doc?.kind === 'correlation') {
      diag.unsupported(
        `correlation rules (type ${doc.type}) are not evaluated: the embedded engine evaluates one event at a time, and a correlation needs counting over time windows`,
        doc.pos,
      );
    }
  }
  if (docs.length === 0 && failedDocs === 0) diag.add('E_SIGMA_SCHEMA', 'the file holds no Sigma document', posOf(src, null) ?? { line: 1, column: 1 });
  return { docs, failedDocs, diag };
}
