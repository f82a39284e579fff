// The small element tree both Windows readers build for one event: the Event XML parser from
// text, the EVTX reader from Binary XML. winEventFromElement() (event.ts) reads it. Comments and
// processing instructions are not kept; text is kept with entities already decoded.

export interface XAttr {
  /** qualified name as written (`xmlns`, `Name`, `xmlns:auto-ns3`) */
  name: string;
  value: string;
}

export interface XElement {
  /** qualified name as written (`Event`, `e:Event`) */
  name: string;
  attrs: XAttr[];
  children: XNode[];
}

export type XNode = XElement | string;

export function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** The value of the attribute whose local name is `local` (namespace declarations excluded). */
export function attrValue(el: XElement, local: string): string | undefined {
  for (const a of el.attrs) {
    if (a.name === local) return a.value;
  }
  for (const a of el.attrs) {
    if (a.name.startsWith('xmlns')) continue;
    if (localName(a.name) === local) return a.value;
  }
  return undefined;
}

/** Concatenated text children of an element (child elements are skipped). */
export function textOf(el: XElement): string {
  const c = el.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  let s = '';
  for (const n of c) if (typeof n === 'string') s += n;
  return s;
}

export function hasElementChild(el: XElement): boolean {
  for (const n of el.children) if (typeof n !== 'string') return true;
  return false;
}
