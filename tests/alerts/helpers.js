// A real HTTP receiver on 127.0.0.1:0 whose behaviour is scripted per request.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * plan(n, req) -> 'ok' | 'fail' | 'hang' | number (status) for the n-th request (1-based).
 * 'hang' records the request but never answers (the client must time out).
 */
export async function startReceiver(plan = () => 'ok') {
  const arrivals = []; // every request that reached the server, in order
  const hung = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      n++;
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try { body = JSON.parse(raw); } catch { body = raw; }
      const action = plan(n, req);
      arrivals.push({ n, path: req.url, headers: req.headers, body, action });
      if (action === 'hang') { hung.push(res); return; }
      if (action === 'ok') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); return; }
      const status = action === 'fail' ? 500 : action;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 404 ? 'no_service' : 'boom');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    port,
    arrivals,
    /** ids in order of first arrival (what a receiver that dedupes by id keeps) */
    uniqueIds(filter = () => true) {
      const seen = new Set();
      const out = [];
      for (const a of arrivals) {
        if (!filter(a)) continue;
        const id = a.headers['x-lad-alert-id'];
        if (!seen.has(id)) { seen.add(id); out.push(id); }
      }
      return out;
    },
    setPlan(p) { plan = p; },
    async close() {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const made = [];
process.on('exit', () => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

export function tmpDir(prefix = 'lad-alerts-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function event(i, over = {}) {
  return {
    type: 'error_spike',
    severity: 'critical',
    stream: `s${i}`,
    timestamp: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
    description: `error share 40% in window ${i}`,
    value: 0.4,
    expected: 0.02,
    ...over,
  };
}

export function withTimeout(p, ms, what) {
  let t;
  return Promise.race([
    p,
    new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); }),
  ]).finally(() => clearTimeout(t));
}

/** All files under dir (relative), recursively. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, f.name);
      if (f.isDirectory()) walk(p); else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}
