// The process tree of a test's telemetry, for reports: one node per process creation, linked to
// its parent by pid (the latest earlier creation of that pid on the same host, so pid reuse is
// handled), with a node made up from the child's parent fields when the parent's own creation was
// not captured (e.g. msiexec started before the sensor).
import type { CanonicalEvent } from '../telemetry/model.ts';
import type { ProcessNode } from '../verdicts/results.ts';

export interface TreeNode extends ProcessNode {
  /** index of the canonical event that created this process, when captured */
  eventIndex?: number;
}

export function processTree(events: readonly CanonicalEvent[]): TreeNode[] {
  const nodes: TreeNode[] = [];
  const byPid = new Map<string, TreeNode>();
  const key = (host: string | undefined, pid: string) => `${host ?? ''}\0${pid}`;
  events.forEach((e, i) => {
    if (e.kind !== 'process_creation' || !e.process) return;
    let parentId: string | undefined;
    const pp = e.parent?.pid;
    if (pp !== undefined) {
      let parent = byPid.get(key(e.host, pp));
      if (!parent) {
        parent = {
          id: `p${nodes.length}`,
          pid: pp,
          ...(e.parent?.image ?? e.parent?.name ? { image: e.parent?.image ?? e.parent?.name } : {}),
          ...(e.parent?.commandLine ? { commandLine: e.parent.commandLine } : {}),
        };
        nodes.push(parent);
        byPid.set(key(e.host, pp), parent);
      }
      parentId = parent.id;
    }
    const node: TreeNode = {
      id: `p${nodes.length}`,
      ...(parentId ? { parentId } : {}),
      ...(e.process.pid ? { pid: e.process.pid } : {}),
      ...(e.process.image ?? e.process.name ? { image: e.process.image ?? e.process.name } : {}),
      ...(e.process.commandLine ? { commandLine: e.process.commandLine } : {}),
      time: e.time,
      eventIndex: i,
    };
    nodes.push(node);
    if (e.process.pid) byPid.set(key(e.host, e.process.pid), node);
  });
  return nodes;
}
