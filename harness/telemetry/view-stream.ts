// Event files → one product view, streaming: what `detect` and the verdict code feed to engines.
import { readEvents } from './readers/index.ts';
import type { View, ViewEvent } from './views/types.ts';

export interface ViewStreamOptions {
  /** 'view' keeps flat JSON objects as the product's own fields (CONTRACTS.md `detect`) */
  flatJson?: 'view' | 'normalize';
  onWarning?: (message: string) => void;
}

export async function* viewEvents(files: readonly string[], view: View, options: ViewStreamOptions = {}): AsyncGenerator<ViewEvent> {
  for (const file of files) {
    for await (const event of readEvents(file, { flatJson: options.flatJson ?? 'view', ...(options.onWarning ? { onWarning: options.onWarning } : {}) })) {
      const rendered = view.render(event);
      if (rendered) yield rendered;
    }
  }
}
