import { describe, expect, it } from 'vitest';
import { layoutProcesses, processTreeSvg } from '../../../../harness/reports/html/process-tree.ts';
import type { ProcessNode } from '../../../../harness/verdicts/results.ts';

const nodes: ProcessNode[] = [
  { id: 'a', image: 'C:\\w\\msiexec.exe', commandLine: 'msiexec /i x.msi', time: '1' },
  { id: 'c2', parentId: 'b', image: 'C:\\w\\conhost.exe', time: '4' },
  { id: 'b', parentId: 'a', image: 'C:\\w\\msiexec.exe', commandLine: 'msiexec -Embedding', time: '2' },
  { id: 'c1', parentId: 'b', image: 'C:\\w\\powershell.exe', commandLine: 'powershell -nop <x & "y">', time: '3', matchedBy: ['detections/sigma/p.yml'] },
];

describe('process tree (installer → child → grandchild)', () => {
  it('lays processes out depth-first, children by time, depth by ancestry', () => {
    expect(layoutProcesses(nodes).map((p) => [p.node.id, p.depth, p.parentRow])).toEqual([
      ['a', 0, undefined],
      ['b', 1, 0],
      ['c1', 2, 1],
      ['c2', 2, 1],
    ]);
  });

  it('draws processes whose parent was not captured, and parent cycles, as roots instead of dropping them', () => {
    const odd: ProcessNode[] = [
      { id: 'x', parentId: 'missing' },
      { id: 'p', parentId: 'q' },
      { id: 'q', parentId: 'p' },
      { id: 's', parentId: 's' },
    ];
    expect(layoutProcesses(odd).map((p) => [p.node.id, p.depth])).toEqual([['x', 0], ['s', 0], ['p', 0], ['q', 1]]);
  });

  it('draws an SVG with one box per process, elbow edges, escaped command lines and the matched process outlined with its rules', () => {
    const svg = processTreeSvg(nodes, 'tree', (r) => r.replace('detections/sigma/', 'sigma '));
    expect(svg.match(/<g class="proc/g)).toHaveLength(4);
    expect(svg.match(/<path class="edge"/g)).toHaveLength(3);
    expect(svg).toContain('<g class="proc matched" data-process="c1">');
    expect(svg).toContain('◀ matched by sigma p.yml');
    expect(svg).toContain('powershell -nop &lt;x &amp; &quot;y&quot;&gt;');
    expect(svg).not.toContain('<x &');
    expect(processTreeSvg([], 't', (r) => r)).toBe('');
  });
});
