// The module clock through Fluent Bit's calling convention: records of `input.heartbeat_tag` (a
// `dummy` input routed through the filter) move event time when every stream is quiet, so a stream
// that stopped is reported as `silence` on a heartbeat record, which rewrite_tag then routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LadModule } from '../../dist/module/module.js';

const T0 = Date.UTC(2024, 0, 15) / 1000;
const config = (input = {}) => ({ input, detection: { threshold: 3, window_size: 60 } });

async function run(hbTag, cfg) {
  const h = await LadModule.create('build/lad.wasm', { config: cfg });
  for (let s = 0; s < 7200; s++) {
    const out = JSON.parse(h.filter('app', T0 + s, 0, JSON.stringify({ message: `GET /api/items/${s % 97} 200` })));
    assert.equal(out.anomaly.events?.some((e) => e.type === 'silence') ?? false, false);
  }
  // app stops; only heartbeats arrive for five minutes
  const carried = [];
  for (let s = 7200; s < 7500; s++) {
    const text = h.filter(hbTag, T0 + s, 0, '{"message":"lad heartbeat"}');
    assert.notEqual(text, null, 'a heartbeat is never dropped');
    const out = JSON.parse(text);
    if (out.anomaly?.alert) carried.push({ s, out });
  }
  return carried;
}

test('a silent stream is reported on a heartbeat record, with alert flags for rewrite_tag', async () => {
  const carried = await run('lad.heartbeat', config());
  assert.ok(carried.length >= 1, 'some heartbeat carries the alert');
  const first = carried[0];
  const ev = first.out.anomaly.events.find((e) => e.type === 'silence');
  assert.equal(ev.stream, 'app');
  assert.equal(first.out.anomaly.alert_severity, 'warning');
  assert.equal(first.out.message, 'lad heartbeat', 'the heartbeat record itself is kept');
  assert.ok(first.s - 7200 <= 180, `reported ${first.s - 7200} s after the last record (within 3 windows)`);
  assert.equal(first.out.anomaly.template_id, undefined, 'a heartbeat is not mined');
});

test('input.heartbeat_tag names the heartbeat tag; other tags are ordinary streams', async () => {
  assert.equal((await run('hb', config({ heartbeat_tag: 'hb' }))).length >= 1, true);
  // with the default heartbeat tag, "hb" is an ordinary stream: its records are mined
  const h = await LadModule.create('build/lad.wasm', { config: config() });
  const out = JSON.parse(h.filter('hb', T0, 0, '{"message":"lad heartbeat"}'));
  assert.equal(typeof out.anomaly.template_id, 'string', 'an ordinary record is mined');
});

test('a bad input.heartbeat_tag is refused by name', async () => {
  await assert.rejects(LadModule.create('build/lad.wasm', { config: config({ heartbeat_tag: 5 }) }), /input\.heartbeat_tag/);
});

// Fluent Bit back-filling two files (Read_from_Head, or a tail database catching up) reads them chunk
// by chunk: one stream's event times run ahead of the other's within a second of Fluent Bit's own
// time. That is no silence; the same gap live (Fluent Bit's time moving with it) is one.
async function twoStreams(hostTime) {
  const h = await LadModule.create('build/lad.wasm', { config: config() });
  const silences = [];
  const feed = (tag, s, msg) => {
    const out = JSON.parse(h.filter(tag, hostTime(s), 0, JSON.stringify({ time: new Date((T0 + s) * 1000).toISOString(), message: msg })));
    for (const e of out.anomaly?.events ?? []) if (e.type === 'silence') silences.push(e);
  };
  for (let s = 0; s < 3600; s++) { feed('a', s, `GET /api/items/${s % 97} 200`); feed('b', s, `job ${s % 13} done`); }
  // a's next chunk: 15 minutes of a; b's next chunk has not been read yet
  for (let s = 3600; s < 4500; s++) feed('a', s, `GET /api/items/${s % 97} 200`);
  return silences;
}

test('a back-fill (Fluent Bit time barely moving) is no silence; the same gap live is', async () => {
  const backfill = await twoStreams((s) => T0 + 86400 * 30 + Math.floor(s / 2000));   // read a month later, 2000 records a second
  assert.equal(backfill.length, 0, JSON.stringify(backfill[0]));
  const live = await twoStreams((s) => T0 + s);
  assert.ok(live.some((e) => e.stream === 'b'), 'the live gap of b is a silence');
});
