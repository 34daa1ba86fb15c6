// Layers you can read from the tree: no loop between folders, in src/ (the harness) nor in
// assembly/ (the module), and no import from a lower floor to a higher one, counting static
// imports and dynamic import() alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === '__tests__') return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Folder -> folders its files import from (relative imports within `top` only). */
function folderGraph(top) {
  const graph = new Map();
  for (const f of tsFiles(join(ROOT, top))) {
    const from = relative(join(ROOT, top), dirname(f)) || '.';
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(f), m[1]);
      const to = relative(join(ROOT, top), dirname(target)) || '.';
      if (to.startsWith('..') || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from).add(to);
    }
  }
  return graph;
}

/** A loop between folders, as a path a -> b -> ... -> a, or null. */
function findLoop(graph) {
  const state = new Map();
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) { const l = visit(m); if (l) return l; }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of graph.keys()) if (!state.has(n)) { const l = visit(n); if (l) return l; }
  return null;
}

for (const top of ['src', 'assembly']) {
  test(`${top}/: no import loop between folders`, () => {
    const loop = findLoop(folderGraph(top));
    assert.equal(loop, null, `import loop: ${loop?.join(' -> ')}`);
  });
}

// The floors, lowest first: a folder imports only from folders below it ('.' is the top: the
// module's exports in assembly/index.ts). assembly/core is the ground floor of the module and
// src/module (the one host of the ABI and the module's words) of the harness.
const FLOORS = {
  assembly: ['core', 'parse', 'detect', 'miner', 'pipeline', 'wasi', '.'],
  src: ['module', 'config', 'input', 'report', 'alerts', 'serve', 'cli'],
};

for (const [top, floors] of Object.entries(FLOORS)) {
  test(`${top}/: every import goes down a floor (${floors.join(' < ')})`, () => {
    const graph = folderGraph(top);
    const up = [];
    for (const [from, tos] of graph) {
      assert.ok(floors.includes(from), `${top}/${from}: not on a floor; add it to FLOORS`);
      for (const to of tos) {
        assert.ok(floors.includes(to), `${top}/${to}: not on a floor; add it to FLOORS`);
        if (floors.indexOf(to) >= floors.indexOf(from)) up.push(`${from} -> ${to}`);
      }
    }
    assert.deepEqual(up, []);
  });
}

test('the checker finds a loop', () => {
  assert.deepEqual(findLoop(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]])), ['a', 'b', 'a']);
});
