// The layering of srp-daemon's src/: no import cycle between its top-level folders (files
// directly in src/ are the folder "."), and no file-level cycle inside hardware/. Every relative
// import counts, type-only and dynamic ones included. A failure names the cycle and, for each
// hop, one import that makes it.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, describeCycle, folderOf, importEdges, type ImportEdge } from './helpers/import-graph.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

describe('import cycles in srp-daemon/src', () => {
  const edges = importEdges(SRC);

  it('reads the imports of the whole tree', () => {
    // A floor, so a scanner that silently reads nothing cannot pass the checks below.
    expect(edges.length).toBeGreaterThan(300);
    const folders = new Set(edges.map((e) => folderOf(e.from)));
    for (const f of ['.', 'cli', 'config', 'fsm', 'hardware', 'link', 'management', 'replication', 'runtime']) {
      expect(folders).toContain(f);
    }
  });

  it('has no cycle between top-level folders', () => {
    expect(cycles(edges, folderOf).map(describeCycle)).toEqual([]);
  });

  it('has no file-level cycle inside hardware/', () => {
    const inside = edges.filter((e) => e.from.startsWith('hardware/') && e.to.startsWith('hardware/'));
    expect(inside.length).toBeGreaterThan(0);
    expect(cycles(inside, (f) => f).map(describeCycle)).toEqual([]);
  });
});

describe('the cycle finder', () => {
  const e = (from: string, to: string): ImportEdge => ({ from, to });

  it('names a folder cycle with the imports that make each hop', () => {
    const found = cycles(
      [e('a/x.ts', 'a/y.ts'), e('a/y.ts', 'b/z.ts'), e('b/z.ts', 'c/w.ts'), e('c/w.ts', 'a/x.ts'), e('index.ts', 'a/x.ts')],
      folderOf,
    );
    expect(found.map(describeCycle)).toEqual(['a -> b -> c -> a, via a/y.ts -> b/z.ts, b/z.ts -> c/w.ts, c/w.ts -> a/x.ts']);
  });

  it('reports one cycle per tangle, the shortest through its first node', () => {
    const found = cycles(
      [e('a/1.ts', 'b/1.ts'), e('b/1.ts', 'c/1.ts'), e('c/1.ts', 'a/1.ts'), e('b/2.ts', 'a/2.ts'), e('d/1.ts', 'f/1.ts'), e('f/1.ts', 'd/1.ts')],
      folderOf,
    );
    expect(found.map((c) => c.nodes)).toEqual(
      expect.arrayContaining([
        ['a', 'b'],
        ['d', 'f'],
      ]),
    );
    expect(found).toHaveLength(2);
  });

  it('sees no cycle in a layered graph or in imports within one folder', () => {
    expect(cycles([e('a/1.ts', 'b/1.ts'), e('b/1.ts', 'c/1.ts'), e('a/1.ts', 'c/1.ts'), e('c/1.ts', 'c/2.ts'), e('c/2.ts', 'c/1.ts')], folderOf)).toEqual([]);
  });
});
