// Test helpers for `lad serve`: start it as a child process, play Vector's socket sink (a client
// writing newline-delimited JSON over TCP, honouring TCP backpressure) and Vector's socket source
// (a listener reading newline-delimited JSON), and parse Prometheus text exposition strictly.
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How to run `lad serve`. */
export function serveEntry() {
  return [join(ROOT, 'dist/cli/main.js'), 'serve'];
}

/** Temp folders made by tmp(), removed when the test file's process exits (every lad serve it
 *  started has been stopped by then). */
const made = [];
process.on('exit', () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

export function tmp(prefix = 'lad-serve-') {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function wasmPath() {
  return process.env.LAD_WASM || join(ROOT, 'build/lad.wasm');
}

export function haveWasm() {
  return existsSync(wasmPath());
}

/** Starts lad serve; resolves once it prints its listening line. */
export async function startServe(args, { env = {}, spoolDir = tmp() } = {}) {
  const proc = spawn(process.execPath, ['--no-warnings', ...serveEntry(), '--spool-dir', spoolDir, ...args], {
    env: { ...process.env, LAD_WASM: wasmPath(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stdout.on('data', (d) => { stdout += d; });
  const exit = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`lad serve did not start:\n${stderr}`)), 20000);
    proc.stderr.on('data', (d) => {
      stderr += d;
      if (/listening on/.test(stderr)) { clearTimeout(t); resolve(); }
    });
    exit.then((e) => { clearTimeout(t); reject(new Error(`lad serve exited (${JSON.stringify(e)}):\n${stderr}`)); });
  });
  const tcp = /listening on tcp:\/\/[^ ]*:(\d+)/.exec(stderr);
  const http = /http:\/\/[^ ]*:(\d+) \(POST/.exec(stderr);
  return {
    proc,
    exit,
    spoolDir,
    tcpPort: tcp ? Number(tcp[1]) : null,
    httpPort: http ? Number(http[1]) : null,
    stderr: () => stderr,
    stdout: () => stdout,
    /** Sends `signal`; a process that has not exited after `graceMs` is killed (a module that
     *  loops blocks the SIGTERM handler) and the result says so. */
    async stop(signal = 'SIGTERM', graceMs = 20000) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const e = await exit;
      clearTimeout(t);
      return e;
    },
  };
}

/** Plays Vector's `socket` source (mode tcp, decoding json, newline_delimited framing). */
export async function vectorSource(port = 0) {
  const records = [];
  const conns = new Set();
  let bad = 0;
  const waiters = [];
  let paused = false;
  const server = net.createServer((s) => {
    conns.add(s);
    let buf = '';
    s.setEncoding('utf8');
    if (paused) s.pause();
    s.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop();
      for (const line of parts) {
        try { records.push(JSON.parse(line)); } catch { bad++; }
      }
      for (const w of [...waiters]) w();
    });
    s.on('end', () => s.end());
    s.on('error', () => {});
    s.on('close', () => conns.delete(s));
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: server.address().port,
    records,
    get bad() { return bad; },
    pause() { paused = true; for (const s of conns) s.pause(); },
    resume() { paused = false; for (const s of conns) s.resume(); },
    async waitFor(n, ms = 30000) {
      if (records.length >= n) return;
      await new Promise((resolve, reject) => {
        const t = setTimeout(() => { waiters.splice(waiters.indexOf(check), 1); reject(new Error(`waited ${ms} ms for ${n} records, got ${records.length}`)); }, ms);
        const check = () => { if (records.length >= n) { clearTimeout(t); waiters.splice(waiters.indexOf(check), 1); resolve(); } };
        waiters.push(check);
      });
    },
    close() {
      for (const s of conns) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** A Vector-style log event (what the socket sink's JSON codec writes for a file source). */
export function vectorEvent(conn, seq, t0 = Date.UTC(2024, 2, 12, 8, 0, 0)) {
  const ts = new Date(t0 + seq * 10);
  const level = seq % 97 === 0 ? 'ERROR' : 'INFO';
  return {
    file: `/var/log/app-${conn}.log`,
    host: `web-0${conn}`,
    message: `${level} request ${seq % 50} served in ${seq % 300} ms for user ${seq % 1000}`,
    source_type: 'file',
    timestamp: ts.toISOString(),
    conn,
    seq,
  };
}

/** Plays Vector's `socket` sink (mode tcp, encoding json, newline_delimited framing): writes
 *  events as NDJSON, waiting for 'drain' when the socket's buffer is full. Stops at `count`, or
 *  when the server closes its side (then it finishes and closes its own side). */
export function vectorSink(port, conn, count, { startSeq = 0 } = {}) {
  const sock = net.connect(port, '127.0.0.1');
  let written = 0;
  let stopped = false;
  let serverEnded = false;
  const done = new Promise((resolve, reject) => {
    sock.on('error', (e) => { if (!serverEnded) reject(e); });
    sock.on('end', () => { serverEnded = true; stopped = true; });
    sock.on('close', () => resolve({ written, serverEnded }));
    // Like Vector's sink, keep reading so the server's FIN is seen.
    sock.on('data', () => {});
    sock.on('connect', () => {
      const pump = () => {
        while (!stopped && written < count) {
          // Several events per write, as a buffered writer does; the bytes are the same NDJSON.
          let chunk = '';
          for (let k = 0; k < 64 && written < count; k++, written++) chunk += JSON.stringify(vectorEvent(conn, startSeq + written)) + '\n';
          if (!sock.write(chunk)) { sock.once('drain', pump); return; }
        }
        if (!sock.writableEnded) sock.end();
      };
      pump();
    });
  });
  return { done, get written() { return written; }, sock };
}

export async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

export async function get(port, path, init) {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: r.status, headers: r.headers, text: await r.text() };
}

/** Checks per-connection order and exactly-once delivery of events written by vectorSink. */
export function checkDelivery(records, expected /* {conn: count} */) {
  const next = {};
  const problems = [];
  for (const r of records) {
    if (!r || typeof r.anomaly !== 'object' || r.anomaly === null || typeof r.anomaly.level !== 'string') {
      problems.push(`untagged record: ${JSON.stringify(r).slice(0, 200)}`);
      continue;
    }
    const want = next[r.conn] ?? 0;
    if (r.seq !== want) problems.push(`conn ${r.conn}: got seq ${r.seq}, expected ${want}`);
    next[r.conn] = r.seq + 1;
    if (problems.length > 5) break;
  }
  for (const [c, n] of Object.entries(expected)) if ((next[c] ?? 0) !== n) problems.push(`conn ${c}: ${next[c] ?? 0} of ${n} records`);
  return problems;
}

// ---- Prometheus text exposition format 0.0.4, strictly ---------------------------------------

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(s, where) {
  if (s === 'NaN') return NaN;
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`${where}: bad value '${s}'`);
  return Number(s);
}

function parseLabels(s, where) {
  const labels = {};
  let i = 0;
  while (i < s.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(s.slice(i));
    if (!m) throw new Error(`${where}: bad label at '${s.slice(i)}'`);
    i += m[0].length;
    let v = '';
    for (;;) {
      if (i >= s.length) throw new Error(`${where}: unterminated label value`);
      const c = s[i++];
      if (c === '"') break;
      if (c === '\\') {
        const e = s[i++];
        if (e === '\\') v += '\\'; else if (e === '"') v += '"'; else if (e === 'n') v += '\n';
        else throw new Error(`${where}: bad escape \\${e}`);
      } else if (c === '\n') throw new Error(`${where}: newline in label value`);
      else v += c;
    }
    if (!LABEL.test(m[1]) || m[1].startsWith('__')) throw new Error(`${where}: bad label name ${m[1]}`);
    if (m[1] in labels) throw new Error(`${where}: duplicate label ${m[1]}`);
    labels[m[1]] = v;
    if (s[i] === ',') i++;
    else if (i < s.length) throw new Error(`${where}: expected ',' in labels`);
  }
  return labels;
}

/** Parses exposition text; throws on anything the format does not allow. Returns families:
 *  name -> {type, help, samples: [{name, labels, value}]} */
export function parsePrometheus(text) {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const fams = new Map();
  const seen = new Set();
  let current = null;
  const family = (name) => {
    if (!fams.has(name)) fams.set(name, { type: 'untyped', help: null, samples: [], typed: false });
    return fams.get(name);
  };
  const closed = new Set();
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // other comments are allowed
      const [, kw, name, rest] = m;
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name ${name}`);
      const f = family(name);
      if (kw === 'TYPE') {
        if (f.typed) throw new Error(`${where}: second TYPE for ${name}`);
        if (f.samples.length) throw new Error(`${where}: TYPE after samples of ${name}`);
        if (!TYPES.has(rest)) throw new Error(`${where}: bad type ${rest}`);
        f.type = rest;
        f.typed = true;
      } else {
        if (f.help !== null) throw new Error(`${where}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`${where}: bad escape in HELP`);
        f.help = rest;
      }
      if (current && current !== name) closed.add(current);
      if (closed.has(name)) throw new Error(`${where}: ${name} is not contiguous`);
      current = name;
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!m) throw new Error(`${where}: not a sample: '${line}'`);
    const [, sname, , lab, val] = m;
    const labels = lab !== undefined ? parseLabels(lab, where) : {};
    const value = parseValue(val, where);
    let fname = sname;
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const base = sname.endsWith(suffix) ? sname.slice(0, -suffix.length) : null;
      if (base && fams.has(base) && ['histogram', 'summary'].includes(fams.get(base).type)) fname = base;
    }
    const f = family(fname);
    if (current && current !== fname) closed.add(current);
    if (closed.has(fname)) throw new Error(`${where}: samples of ${fname} are not contiguous`);
    current = fname;
    const key = sname + JSON.stringify(Object.entries(labels).sort());
    if (seen.has(key)) throw new Error(`${where}: duplicate sample ${sname}${lab ? `{${lab}}` : ''}`);
    seen.add(key);
    if (f.type === 'counter' && !(value >= 0)) throw new Error(`${where}: counter ${sname} is ${value}`);
    if (f.type === 'histogram' && sname === `${fname}_bucket` && !('le' in labels)) throw new Error(`${where}: bucket without le`);
    if (f.type === 'histogram' && ![`${fname}_bucket`, `${fname}_sum`, `${fname}_count`].includes(sname)) throw new Error(`${where}: ${sname} in histogram ${fname}`);
    f.samples.push({ name: sname, labels, value });
  });
  for (const [name, f] of fams) {
    if (f.type !== 'histogram') continue;
    const groups = new Map();
    for (const s of f.samples) {
      const { le, ...rest } = s.labels;
      const g = JSON.stringify(Object.entries(rest).sort());
      if (!groups.has(g)) groups.set(g, { buckets: [], count: null, sum: null });
      const x = groups.get(g);
      if (s.name.endsWith('_bucket')) x.buckets.push([parseValue(le, name), s.value]);
      else if (s.name.endsWith('_count')) x.count = s.value;
      else x.sum = s.value;
    }
    for (const x of groups.values()) {
      x.buckets.sort((a, b) => a[0] - b[0]);
      if (!x.buckets.length || x.buckets[x.buckets.length - 1][0] !== Infinity) throw new Error(`${name}: no +Inf bucket`);
      for (let i = 1; i < x.buckets.length; i++) if (x.buckets[i][1] < x.buckets[i - 1][1]) throw new Error(`${name}: buckets not cumulative`);
      if (x.count === null || x.sum === null) throw new Error(`${name}: _count and _sum required`);
      if (x.buckets[x.buckets.length - 1][1] !== x.count) throw new Error(`${name}: +Inf bucket != _count`);
    }
  }
  return fams;
}

/** One sample's value (labels must match exactly the given ones, if any). */
export function sample(fams, name, labels = null) {
  for (const f of fams.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      if (labels && JSON.stringify(Object.entries(s.labels).sort()) !== JSON.stringify(Object.entries(labels).sort())) continue;
      return s.value;
    }
  }
  return undefined;
}
