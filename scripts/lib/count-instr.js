// A deterministic cost measure: rewrites a copy of build/lad.wasm so that it counts the WebAssembly
// instructions it executes, attributed to pipeline stages. A small hand-written binary rewriter (no
// binaryen): it must see the module's own instruction stream, operator by operator, as an
// interpreter executes it; binaryen would re-read it into its tree IR and write back a different
// (re-optimised, re-ordered) instruction stream, so the count would describe another module.
//
// What is counted: every operator of the code section except the structural `block`, `loop`, `end`
// and `nop` (an interpreter executes none of them as work). A counter global is bumped at the start
// of every straight-line segment (function entry, after block/loop/if/else/end/br_if) by the number
// of operators up to the segment's end. Calls do not end a segment: a call's own operator is counted
// before the callee runs.
//
// Stages: each defined function gets a stage from its name (read from build/lad.wat, emitted by the
// same asc run); a staged function switches the current stage on entry and restores the caller's on
// exit (its body is wrapped in a block so a branch out of the body also passes the exit hook).
// Functions without a stage (allocator, ByteBuf helpers, memcpy) count for their caller's stage.
// Functions binaryen inlined count where they were inlined.
import { readFileSync } from 'node:fs';

export const STAGES = ['other', 'record scan', 'line recognition', 'level and time', 'tokenizer and miner', 'detector', 'output writing'];

/** Stage of a function by its asc name (null: inherits the caller's). */
export function stageOf(name) {
  const n = name.replace(/^\$/, '');
  if (/^assembly\/(core|pipeline)\/pipeline\/(writeAnom|writeTagged|chooseKey)$/.test(n)) return 6;
  // the miner's part of the output object (its template fields), when not inlined into writeAnom
  if (/^assembly\/miner\/index\/minerWriteFields$/.test(n)) return 6;
  if (/^assembly\/(core|pipeline)\/pipeline\/analyse$/.test(n)) return 0;
  if (/^assembly\/index\/(filterImpl|lad_filter|batchImpl)$/.test(n)) return 0;
  if (/^assembly\/detect\//.test(n)) return 5;
  if (/^assembly\/miner\//.test(n)) return 4;
  if (/^assembly\/parse\/(level_words|timestamp|keywords)\//.test(n) || /^assembly\/parse\/record\/(finishLevel|setTime)$/.test(n)) return 3;
  if (/^assembly\/parse\/(line_|line_recognise)/.test(n)) return 2;
  if (/^assembly\/parse\//.test(n)) return 1;
  return null;
}

// ---------------------------------------------------------------- LEB128 and byte writing
function readU(b, p) { let r = 0, s = 0, x; do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return [r, p]; }
function skipLeb(b, p) { while (b[p++] & 0x80); return p; }
function u(n) { const o = []; do { let x = n % 128; n = Math.floor(n / 128); if (n) x |= 0x80; o.push(x); } while (n); return o; }
function sLeb(n) { // signed, n a Number within 2^53 or a BigInt
  let v = BigInt(n); const o = [];
  for (;;) { const x = Number(v & 0x7fn); v >>= 7n; if ((v === 0n && !(x & 0x40)) || (v === -1n && (x & 0x40))) { o.push(x); return o; } o.push(x | 0x80); }
}
function vec(items) { return [...u(items.length), ...items.flat()]; }
function section(id, body) { return [id, ...u(body.length)].concat(body); }

// ---------------------------------------------------------------- instruction decoding
/** Returns the position after the operator at p (its opcode and immediates). */
function skipOp(b, p) {
  const op = b[p++];
  if (op === 0x02 || op === 0x03 || op === 0x04) { // blocktype
    const t = b[p];
    if (t === 0x40 || t === 0x7f || t === 0x7e || t === 0x7d || t === 0x7c || t === 0x7b || t === 0x70 || t === 0x6f) return p + 1;
    return skipLeb(b, p);
  }
  if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x26) || op === 0xd2) return skipLeb(b, p);
  if (op === 0x0e) { let n; [n, p] = readU(b, p); for (let i = 0; i <= n; i++) p = skipLeb(b, p); return p; }
  if (op === 0x11) return skipLeb(b, skipLeb(b, p));
  if (op === 0x1c) { let n; [n, p] = readU(b, p); return p + n; }
  if (op >= 0x28 && op <= 0x3e) return skipLeb(b, skipLeb(b, p));
  if (op === 0x3f || op === 0x40) return p + 1;
  if (op === 0x41 || op === 0x42) return skipLeb(b, p);
  if (op === 0x43) return p + 4;
  if (op === 0x44) return p + 8;
  if (op === 0xd0) return p + 1;
  if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1) return p;
  if (op === 0xfc) {
    let sub; [sub, p] = readU(b, p);
    if (sub <= 7) return p;
    if (sub === 8) return skipLeb(b, p) + 1;
    if (sub === 9 || sub === 13 || sub === 15 || sub === 16 || sub === 17) return skipLeb(b, p);
    if (sub === 10) return p + 2;
    if (sub === 11) return p + 1;
    if (sub === 12 || sub === 14) return skipLeb(b, skipLeb(b, p));
  }
  throw new Error(`count-instr: unsupported opcode 0x${op.toString(16)} at ${p - 1}`);
}

const NOT_COUNTED = new Set([0x01, 0x02, 0x03, 0x0b]); // nop block loop end
// COUNT_OPS=real: also leave out what WAMR's fast interpreter folds into the operands of the next
// operator when it precompiles the code (local.get/set/tee, constants): closer to the handlers it
// dispatches
if (process.env.COUNT_OPS === 'real') for (const op of [0x20, 0x21, 0x22, 0x41, 0x42, 0x43, 0x44]) NOT_COUNTED.add(op);
// COUNT_OPS=wamr: as real, but local.tee counts: WAMR 2.4.1's loader never folds it (it emits
// EXT_OP_TEE_LOCAL_FAST, a dispatched handler), while a local.set after an arithmetic operator or a
// load is folded into that operator's result operand
if (process.env.COUNT_OPS === 'wamr') for (const op of [0x20, 0x21, 0x41, 0x42, 0x43, 0x44]) NOT_COUNTED.add(op);
// In wamr mode a local.set is folded only after an operator whose result WAMR's loader can redirect
// into the local (LAST_OP_OUTPUT_I32/I64 in its wasm_loader.c: arithmetic, comparisons, loads,
// conversions); after anything else (a constant, a local.get, a call, a select, a global.get, the
// end of a block) it emits EXT_OP_SET_LOCAL_FAST, a dispatched copy, which counts
const SET_FOLDS = new Set();
if (process.env.COUNT_OPS === 'wamr') {
  const range = (a, b) => { for (let o = a; o <= b; o++) SET_FOLDS.add(o); };
  range(0x45, 0x78); range(0x28, 0x2b); range(0x2c, 0x35); range(0x79, 0x8a); range(0x8b, 0xa6);
  range(0xa7, 0xbf);
}
const SET_COUNTS = (ops, j) => SET_FOLDS.size > 0 && ops[j][2] === 0x21 && !(j > 0 && SET_FOLDS.has(ops[j - 1][2]));
// COUNT_OPS=branches: only the conditional branches (if, br_if, br_table). In WAMR's interpreter
// one whose outcome the host CPU mispredicts costs ~10x a plain operator (measured in Fluent Bit:
// 500 operators ~0.5 us, 500 data-dependent ifs ~6 us more), and every wasm branch goes through
// the same few host branches, so they are what the interpreted time follows most closely
// COUNT_OPS=op:<hex>[,<hex>...]: only those opcodes (e.g. op:23 for global.get)
const ONLY_OPS = (process.env.COUNT_OPS ?? '').startsWith('op:') ? new Set(process.env.COUNT_OPS.slice(3).split(',').map((h) => parseInt(h, 16))) : null;
const BRANCHES_ONLY = process.env.COUNT_OPS === 'branches' || ONLY_OPS !== null;
const BRANCH_OPS = ONLY_OPS ?? new Set([0x04, 0x0d, 0x0e]);
const STARTS_AFTER = new Set([0x02, 0x03, 0x04, 0x05, 0x0b, 0x0d]); // a new segment starts after these

// ---------------------------------------------------------------- the rewrite
/**
 * @param {Uint8Array} wasm  the module
 * @param {(i:number)=>number|null} stageOfFunc  stage of defined function i (0-based among defined)
 * @returns {Uint8Array} instrumented module exporting globals __instr_<k> (i64, one per stage)
 */
export const SEG_MAX = 4096;
/** With segFunc >= 0: per straight-line segment of that defined function a counter __seg_<k> of
 *  the times it ran; SEG_INFO[k] = [first, last] operator index (the .wat's body line order). */
export const SEG_INFO = [];
export function instrument(wasm, stageOfFunc, nStages = STAGES.length, expectFuncs = -1, perFunc = false, segFunc = -1) {
  const b = wasm;
  if (b[0] !== 0 || b[1] !== 0x61) throw new Error('not a wasm module');
  const sections = [];
  let p = 8;
  while (p < b.length) {
    const id = b[p++]; let size; [size, p] = readU(b, p);
    sections.push({ id, body: b.subarray(p, p + size) });
    p += size;
  }
  const sec = (id) => sections.find((s) => s.id === id);

  // counts of types, imported functions/globals, defined functions, globals
  let nTypes, nImpFuncs = 0, nImpGlobals = 0, nFuncs = 0, nGlobals = 0;
  { const s = sec(1).body; [nTypes] = readU(s, 0); }
  if (sec(2)) {
    const s = sec(2).body; let q = 0, n; [n, q] = readU(s, 0);
    for (let i = 0; i < n; i++) {
      let l; [l, q] = readU(s, q); q += l; [l, q] = readU(s, q); q += l;
      const kind = s[q++];
      if (kind === 0) { nImpFuncs++; q = skipLeb(s, q); }
      else if (kind === 1) { q += 1; const f = s[q++]; q = skipLeb(s, q); if (f & 1) q = skipLeb(s, q); }
      else if (kind === 2) { const f = s[q++]; q = skipLeb(s, q); if (f & 1) q = skipLeb(s, q); }
      else if (kind === 3) { nImpGlobals++; q += 2; }
    }
  }
  { const s = sec(3).body; [nFuncs] = readU(s, 0); }
  if (expectFuncs >= 0 && expectFuncs !== nFuncs) throw new Error(`count-instr: ${expectFuncs} function names for ${nFuncs} functions (stale .wat?)`);
  if (sec(6)) { const s = sec(6).body; [nGlobals] = readU(s, 0); }

  // the function types, for the result type of each defined function (body wrapper block)
  const types = [];
  { const s = sec(1).body; let q = 0, n; [n, q] = readU(s, 0);
    for (let i = 0; i < n; i++) { q++; let np; [np, q] = readU(s, q); q += np; let nr; [nr, q] = readU(s, q); types.push({ params: np, results: Array.from(s.subarray(q, q + nr)) }); q += nr; } }
  const funcType = [];
  { const s = sec(3).body; let q = 0, n; [n, q] = readU(s, 0); for (let i = 0; i < n; i++) { let t; [t, q] = readU(s, q); funcType.push(t); } }

  const G_ACC = nImpGlobals + nGlobals;          // i64 accumulator since the last stage switch
  const G_CUR = G_ACC + 1;                        // i32 current stage
  const G_STAGE0 = G_ACC + 2;                     // i64 per stage
  const G_FUNC0 = G_STAGE0 + nStages;             // perFunc: i64 self count per defined function
  const G_SEG0 = G_FUNC0 + (perFunc ? 2 * nFuncs : 0);
  const F_SWITCH = nImpFuncs + nFuncs;            // (i32 new) -> i32 previous
  const T_SWITCH = nTypes;

  // new type
  const typeSec = (() => { const s = sec(1).body; let [n, q] = readU(s, 0); return [...u(n + 1), ...s.subarray(q), 0x60, 1, 0x7f, 1, 0x7f]; })();
  const funcSec = (() => { const s = sec(3).body; let [n, q] = readU(s, 0); return [...u(n + 1), ...s.subarray(q), ...u(T_SWITCH)]; })();
  const globSec = (() => {
    const s = sec(6) ? sec(6).body : new Uint8Array([0]); let [n, q] = readU(s, 0);
    const add = [[0x7e, 1, 0x42, 0, 0x0b], [0x7f, 1, 0x41, 0, 0x0b]];
    for (let k = 0; k < nStages; k++) add.push([0x7e, 1, 0x42, 0, 0x0b]);
    if (perFunc) for (let i = 0; i < 2 * nFuncs; i++) add.push([0x7e, 1, 0x42, 0, 0x0b]);
    if (segFunc >= 0) for (let i = 0; i < SEG_MAX; i++) add.push([0x7e, 1, 0x42, 0, 0x0b]);
    return [...u(n + add.length), ...s.subarray(q), ...add.flat()];
  })();
  const expSec = (() => {
    const s = sec(7).body; let [n, q] = readU(s, 0);
    const add = [];
    for (let k = 0; k < nStages; k++) { const nm = [...Buffer.from(`__instr_${k}`)]; add.push([...u(nm.length), ...nm, 3, ...u(G_STAGE0 + k)]); }
    if (segFunc >= 0) for (let i = 0; i < SEG_MAX; i++) { const nm = [...Buffer.from(`__seg_${i}`)]; add.push([...u(nm.length), ...nm, 3, ...u(G_SEG0 + i)]); }
    if (perFunc) for (let i = 0; i < nFuncs; i++) {
      const nm = [...Buffer.from(`__fn_${i}`)]; add.push([...u(nm.length), ...nm, 3, ...u(G_FUNC0 + i)]);
      const nc = [...Buffer.from(`__calls_${i}`)]; add.push([...u(nc.length), ...nc, 3, ...u(G_FUNC0 + nFuncs + i)]);
    }
    return [...u(n + add.length), ...s.subarray(q), ...add.flat()];
  })();

  // the switch function: acc -> stage[cur]; acc = 0; prev = cur; cur = new; return prev
  const sw = [];
  for (let k = 0; k < nStages; k++) {
    sw.push(0x23, ...u(G_CUR), 0x41, ...sLeb(k), 0x46, 0x04, 0x40,
      0x23, ...u(G_STAGE0 + k), 0x23, ...u(G_ACC), 0x7c, 0x24, ...u(G_STAGE0 + k), 0x0b);
  }
  sw.push(0x42, 0, 0x24, ...u(G_ACC), 0x23, ...u(G_CUR), 0x20, 0, 0x24, ...u(G_CUR), 0x0b);
  const swBody = [0, ...sw]; // no locals

  // code section
  const code = sec(10).body;
  let q = 0, n; [n, q] = readU(code, 0);
  const bodies = [];
  for (let i = 0; i < n; i++) {
    let size; [size, q] = readU(code, q);
    const fb = code.subarray(q, q + size); q += size;
    bodies.push(rewriteBody(fb, stageOfFunc(i), types[funcType[i]], G_ACC, F_SWITCH, perFunc ? G_FUNC0 + i : -1, perFunc ? G_FUNC0 + nFuncs + i : -1, i === segFunc ? G_SEG0 : -1));
  }
  bodies.push([...u(swBody.length), ...swBody]);
  const codeSec = [...u(bodies.length), ...bodies.flat()];

  const out = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  for (const s of sections) {
    if (s.id === 0) continue; // custom sections (names, source maps): dropped
    let body = s.body;
    if (s.id === 1) body = typeSec; else if (s.id === 3) body = funcSec; else if (s.id === 6) body = globSec;
    else if (s.id === 7) body = expSec; else if (s.id === 10) body = codeSec;
    for (const x of section(s.id, Array.from(body))) out.push(x);
  }
  return new Uint8Array(out);
}

function rewriteBody(fb, stage, type, G_ACC, F_SWITCH, G_FN = -1, G_CALLS = -1, G_SEG = -1) {
  let p = 0, groups; [groups, p] = readU(fb, 0);
  let nDecl = 0;
  const groupBytes = [];
  for (let g = 0; g < groups; g++) { const s0 = p; let c; [c, p] = readU(fb, p); nDecl += c; p++; groupBytes.push(...fb.subarray(s0, p)); }
  const instrs = fb.subarray(p);
  const ops = []; // [start, end, opcode]
  for (let x = 0; x < instrs.length;) { const e = skipOp(instrs, x); ops.push([x, e, instrs[x]]); x = e; }
  const staged = stage !== null;
  const saved = type.params + nDecl; // the appended i32 local: the caller's stage
  const leave = staged ? [0x20, ...u(saved), 0x10, ...u(F_SWITCH), 0x1a] : [];
  const add = (g, k) => [0x23, ...u(g), 0x42, ...sLeb(k), 0x7c, 0x24, ...u(g)];
  const bump = (k) => (k > 0 ? [...add(G_ACC, k), ...(G_FN >= 0 ? add(G_FN, k) : [])] : []);
  const out = G_CALLS >= 0 ? add(G_CALLS, 1) : [];
  const flush = (from, to) => {
    let k = 0; for (let j = from; j < to; j++) if (BRANCHES_ONLY ? BRANCH_OPS.has(ops[j][2]) : !NOT_COUNTED.has(ops[j][2]) || SET_COUNTS(ops, j)) k++;
    out.push(...bump(k));
    if (G_SEG >= 0 && k > 0 && SEG_INFO.length < SEG_MAX) { out.push(...add(G_SEG + SEG_INFO.length, 1)); SEG_INFO.push([from, to - 1, k]); }
    for (let j = from; j < to; j++) {
      if (ops[j][2] === 0x0f) out.push(...leave);
      out.push(...instrs.subarray(ops[j][0], ops[j][1]));
    }
  };
  let segStart = 0;
  const lastIdx = ops.length - 1; // the function's final `end`
  for (let j = 0; j < lastIdx; j++) {
    const op = ops[j][2];
    if (STARTS_AFTER.has(op) || op === 0x0c || op === 0x0e || op === 0x0f || op === 0x00) { flush(segStart, j + 1); segStart = j + 1; }
  }
  flush(segStart, lastIdx);
  let decl, body;
  if (staged) {
    decl = [...u(groups + 1), ...groupBytes, 1, 0x7f];
    const bt = type.results.length === 0 ? 0x40 : type.results[0];
    body = [0x41, ...sLeb(stage), 0x10, ...u(F_SWITCH), 0x21, ...u(saved), 0x02, bt, ...out, 0x0b, ...leave, 0x0b];
  } else {
    decl = [...u(groups), ...groupBytes];
    body = [...out, 0x0b];
  }
  const all = [...decl, ...body];
  return [...u(all.length), ...all];
}

/** Defined-function names in index order, from the .wat asc wrote beside the module. */
export function funcNamesFromWat(watText) {
  return [...watText.matchAll(/^ \(func (\$\S+)/gm)].map((m) => m[1]);
}

/** Instrumented copy of a module, with stages from the function names of its .wat. */
export function instrumentFile(wasmPath, watPath, perFunc = false, segFunc = -1) {
  const names = funcNamesFromWat(readFileSync(watPath, 'utf8'));
  const wasm = readFileSync(wasmPath);
  const out = instrument(wasm, (i) => stageOf(names[i] ?? ''), STAGES.length, names.length, perFunc, segFunc);
  return { bytes: out, names };
}
