// The captured processes of one test drawn as an SVG tree: installer → child → grandchild, one row
// per process, indented by depth, elbow connectors from parent to child (the layout of process-tree
// views such as Process Explorer's: command lines are long, so depth goes right and time goes down).
// Processes whose events matched a rule are outlined in red and name the rules.
import type { ProcessNode } from '../../verdicts/results.ts';
import { clip, esc } from './escape.ts';

const ROW_H = 48;
const BOX_H = 40;
const INDENT = 30;
const PAD = 10;
const CHAR_W = 7.3; // 12px monospace, measured width of Chromium's default monospace ~7.2px
const MAX_CMD = 120;

interface Placed {
  node: ProcessNode;
  depth: number;
  row: number;
  parentRow?: number;
}

const basename = (p: string): string => p.split(/[\\/]/).pop() ?? p;

/** Depth-first order: roots (no parent, or a parent not captured) in input order, children by time. */
export function layoutProcesses(nodes: readonly ProcessNode[]): Placed[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<string, ProcessNode[]>();
  for (const n of nodes) {
    if (n.parentId !== undefined && byId.has(n.parentId) && n.parentId !== n.id) {
      children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
    }
  }
  const order = (a: ProcessNode, b: ProcessNode): number => (a.time ?? '') < (b.time ?? '') ? -1 : (a.time ?? '') > (b.time ?? '') ? 1 : 0;
  const placed: Placed[] = [];
  const seen = new Set<string>();
  const visit = (n: ProcessNode, depth: number, parentRow: number | undefined): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    const row = placed.length;
    placed.push({ node: n, depth, row, ...(parentRow !== undefined ? { parentRow } : {}) });
    for (const c of [...(children.get(n.id) ?? [])].sort(order)) visit(c, depth + 1, row);
  };
  for (const n of nodes) if (n.parentId === undefined || !byId.has(n.parentId) || n.parentId === n.id) visit(n, 0, undefined);
  // a parent cycle leaves nodes unreached: draw them as roots rather than drop them
  for (const n of nodes) visit(n, 0, undefined);
  return placed;
}

/** SVG of the process tree; `ruleName` turns a matchedBy rule path into the label shown. */
export function processTreeSvg(nodes: readonly ProcessNode[], title: string, ruleName: (rule: string) => string): string {
  const placed = layoutProcesses(nodes);
  if (placed.length === 0) return '';
  const parts: string[] = [];
  let width = 0;
  for (const p of placed) {
    const x = PAD + p.depth * INDENT;
    const y = PAD + p.row * ROW_H;
    const n = p.node;
    const matched = (n.matchedBy ?? []).map(ruleName);
    const line1 = `${basename(n.image ?? '(unknown image)')}${n.pid ? `  pid ${n.pid}` : ''}${n.time ? `  ${n.time}` : ''}`;
    const cmd = clip(n.commandLine ?? '', MAX_CMD);
    const badge = matched.length ? `  ◀ matched by ${matched.join(', ')}` : '';
    const w = Math.ceil(Math.max((line1 + badge).length, cmd.length) * CHAR_W) + 16;
    width = Math.max(width, x + w + PAD);
    if (p.parentRow !== undefined) {
      const px = PAD + (p.depth - 1) * INDENT + 10;
      const py = PAD + p.parentRow * ROW_H + BOX_H;
      const cy = y + BOX_H / 2;
      parts.push(`<path class="edge" d="M${px},${py} V${cy} H${x}"/>`);
    }
    const tip = [n.image ?? '', n.commandLine ?? '', matched.length ? `matched by: ${matched.join(', ')}` : ''].filter(Boolean).join('\n');
    parts.push(
      `<g class="proc${matched.length ? ' matched' : ''}" data-process="${esc(n.id)}"><title>${esc(tip)}</title>` +
        `<rect x="${x}" y="${y}" width="${w}" height="${BOX_H}" rx="5"/>` +
        `<text x="${x + 8}" y="${y + 16}" class="img">${esc(line1)}${badge ? `<tspan class="badge">${esc(badge)}</tspan>` : ''}</text>` +
        `<text x="${x + 8}" y="${y + 32}" class="cmd">${esc(cmd)}</text></g>`,
    );
  }
  const height = PAD * 2 + placed.length * ROW_H - (ROW_H - BOX_H);
  return (
    `<svg class="tree" xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${esc(title)}</title>${parts.join('')}</svg>`
  );
}
