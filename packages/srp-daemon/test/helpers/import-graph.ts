// The relative-import graph of a source tree, at file and at folder level, and its cycles.
// Imports are read with the TypeScript scanner (`ts.preProcessFile`): static `import ... from`,
// `export ... from`, side-effect imports, `import()` calls and `import('...')` types; type-only
// imports count like the others. Bare specifiers (packages) are not part of the graph.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import: `from` imports `to`; both are paths relative to the tree's root, with `/`. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** Every .ts file under `root` (recursively), relative to `root`, with `/` separators. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/** Resolves a relative specifier the way NodeNext does for this tree: `x.js` is `x.ts`, a folder is its `index.ts`. */
function resolveSpecifier(root: string, fromFile: string, spec: string): string | null {
  const base = resolve(root, dirname(fromFile), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  for (const c of candidates) {
    if (c.endsWith('.ts') && existsSync(c) && statSync(c).isFile()) return relative(root, c).split(sep).join('/');
  }
  return null;
}

/** The relative imports of every .ts file under `root`. Throws naming the file when one does not resolve. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!spec.startsWith('./') && !spec.startsWith('../')) continue;
      const to = resolveSpecifier(root, file, spec);
      if (to === null) throw new Error(`${file}: import '${spec}' resolves to no .ts file under ${root}`);
      edges.push({ from: file, to });
    }
  }
  return edges;
}

/** The top-level folder of a file under the root; files directly in the root are the folder ".". */
export function folderOf(file: string): string {
  const i = file.indexOf('/');
  return i < 0 ? '.' : file.slice(0, i);
}

/** A cycle of nodes (first node not repeated at the end) with, for each hop, one edge that makes it. */
export interface Cycle {
  nodes: string[];
  via: ImportEdge[];
}

/**
 * One cycle in every strongly connected component of more than one node of the graph whose nodes
 * are `key(file)`; self-edges (a folder importing itself) are not cycles. Each hop of a cycle is
 * witnessed by the first file-level edge (in input order) that makes it.
 */
export function cycles(edges: readonly ImportEdge[], key: (file: string) => string): Cycle[] {
  const adj = new Map<string, Map<string, ImportEdge>>();
  for (const e of edges) {
    const a = key(e.from);
    const b = key(e.to);
    if (!adj.has(a)) adj.set(a, new Map());
    if (!adj.has(b)) adj.set(b, new Map());
    if (a !== b && !adj.get(a)!.has(b)) adj.get(a)!.set(b, e);
  }
  const components = stronglyConnected(adj).filter((c) => c.length > 1);
  return components.map((comp) => shortestCycle(adj, new Set(comp), [...comp].sort()[0]));
}

/** Tarjan's algorithm, iterative so a deep graph cannot overflow the stack. */
function stronglyConnected(adj: Map<string, Map<string, ImportEdge>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const start of [...adj.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; succ: string[]; i: number }> = [];
    const open = (node: string): void => {
      index.set(node, next);
      low.set(node, next);
      next += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, succ: [...adj.get(node)!.keys()].sort(), i: 0 });
    };
    open(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.succ.length) {
        const w = top.succ[top.i++];
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.node);
        out.push(comp);
      }
    }
  }
  return out;
}

/** The shortest cycle through `start` inside one component (breadth-first back to `start`). */
function shortestCycle(adj: Map<string, Map<string, ImportEdge>>, comp: Set<string>, start: string): Cycle {
  const prev = new Map<string, string>();
  const queue = [start];
  let last: string | null = null;
  while (queue.length > 0 && last === null) {
    const node = queue.shift()!;
    for (const w of [...adj.get(node)!.keys()].sort()) {
      if (!comp.has(w)) continue;
      if (w === start) {
        last = node;
        break;
      }
      if (!prev.has(w)) {
        prev.set(w, node);
        queue.push(w);
      }
    }
  }
  const nodes: string[] = [];
  for (let n: string | undefined = last!; n !== undefined; n = n === start ? undefined : prev.get(n)) nodes.unshift(n);
  const via = nodes.map((n, i) => adj.get(n)!.get(nodes[(i + 1) % nodes.length])!);
  return { nodes, via };
}

/** "a -> b -> a, via a/x.ts -> b/y.ts, b/z.ts -> a/w.ts". */
export function describeCycle(c: Cycle): string {
  return `${[...c.nodes, c.nodes[0]].join(' -> ')}, via ${c.via.map((e) => `${e.from} -> ${e.to}`).join(', ')}`;
}
