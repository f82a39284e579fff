// <Event> element tree → WinEvent, through the same WinEventBuilder the text reader uses, so the
// EVTX reader (which builds a tree from Binary XML) and the Event XML reader map identically.
import type { WinEvent } from '../../model.ts';
import { WinEventBuilder } from './builder.ts';
import type { XElement } from './tree.ts';

export { EVENT_NS, EventShapeError } from './builder.ts';

const builder = new WinEventBuilder();

function flatAttrs(el: XElement): string[] {
  const out: string[] = [];
  for (const a of el.attrs) out.push(a.name, a.value);
  return out;
}

function walk(el: XElement): void {
  for (const c of el.children) {
    if (typeof c === 'string') builder.text(c);
    else {
      builder.start(c.name, flatAttrs(c), c.attrs.length);
      walk(c);
      builder.end();
    }
  }
}

/** Throws EventShapeError when the element is not a Windows event (no System, no EventID). */
export function winEventFromElement(ev: XElement): WinEvent {
  builder.begin(flatAttrs(ev), ev.attrs.length);
  walk(ev);
  return builder.finish();
}
