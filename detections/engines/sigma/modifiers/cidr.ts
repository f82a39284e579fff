// cidr: the field holds an IPv4 or IPv6 address inside the network (spec appendix "IP Modifiers").
import { isIP } from 'node:net';
import type { ValueTest } from './values.ts';

function ipToBigInt(ip: string): { v: bigint; bits: 32 | 128 } | undefined {
  const kind = isIP(ip);
  if (kind === 4) {
    return { v: ip.split('.').reduce((a, o) => (a << 8n) + BigInt(Number(o)), 0n), bits: 32 };
  }
  if (kind === 6) {
    let text = ip.replace(/%.*$/, '');
    // embedded IPv4 tail (::ffff:1.2.3.4)
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const n = ipToBigInt(v4[1]!)!.v;
      text = text.slice(0, -v4[1]!.length) + ((n >> 16n) & 0xffffn).toString(16) + ':' + (n & 0xffffn).toString(16);
    }
    const [head, tail] = text.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return { v: groups.reduce((a, g) => (a << 16n) + BigInt(parseInt(g || '0', 16)), 0n), bits: 128 };
  }
  return undefined;
}

export function cidrTest(text: string): { test: ValueTest } | { error: string } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  const net = m ? ipToBigInt(m[1]!) : ipToBigInt(text.trim());
  if (!net) return { error: `cidr: '${text}' is not an IPv4 or IPv6 network` };
  const prefix = m ? Number(m[2]) : net.bits;
  if (prefix > net.bits) return { error: `cidr: prefix /${prefix} is longer than ${net.bits} bits` };
  const shift = BigInt(net.bits - prefix);
  const base = net.v >> shift;
  return {
    test: (fv) =>
      fv.strs.some((s) => {
        const ip = ipToBigInt(s.trim());
        return ip !== undefined && ip.bits === net.bits && ip.v >> shift === base;
      }),
  };
}
