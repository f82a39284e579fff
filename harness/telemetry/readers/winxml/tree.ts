// The element tree the EVTX reader builds from Binary XML for one event (event.ts maps it to a
// WinEvent). Comments and processing instructions are not kept; text has entities decoded.

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
