// The filter never loses or corrupts a record: hostile input through the Fluent Bit-style host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LadModule } from '../../dist/module/module.js';

const WASM = process.env.LAD_WASM ?? 'build/lad.wasm';
const enc = new TextEncoder();

/** The output is the input unchanged, or the input with exactly one key spliced before its final '}'. */
function assertIntact(input, out) {
  assert.notEqual(out, null, 'record dropped');
  const inBytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
  const outBytes = typeof out === 'string' ? Buffer.from(out) : Buffer.from(out);
  if (outBytes.equals(inBytes)) return 'unchanged';
  const close = inBytes.lastIndexOf(0x7d);
  assert.ok(close > 0, 'tagged output for an input without a closing brace');
  assert.ok(outBytes.subarray(0, close).equals(inBytes.subarray(0, close)), 'original bytes were changed');
  const parsed = JSON.parse(outBytes.toString('utf8'));
  assert.equal(typeof parsed.anomaly ?? parsed.anomaly_lad, 'object');
  return 'tagged';
}

const hostile = [
  ['truncated object', '{"log":"abc", "x": [1,2'],
  ['truncated string', '{"log":"abc'],
  ['not an object', '[1,2,3]'],
  ['bare string', '"just a string"'],
  ['empty', ''],
  ['garbage', '}{][:,'],
  ['trailing garbage', '{"log":"a"} trailing'],
  ['unbalanced', '{"a":[}'],
  ['bad escape', '{"log":"bad \\x escape"}'],
  ['lone surrogate', '{"log":"\\ud800 alone"}'],
  ['invalid utf8', Buffer.concat([Buffer.from('{"log":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from('"}')])],
  ['NUL in string', Buffer.concat([Buffer.from('{"log":"a'), Buffer.from([0]), Buffer.from('b"}')])],
  ['escaped NUL', '{"log":"a\\u0000b"}'],
  ['binary', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 255))],
  ['huge number', '{"log":"n","n":1e400,"m":-1e400,"o":123456789012345678901234567890}'],
  ['duplicate keys', '{"log":"first","log":"second","level":"error","level":"info"}'],
  ['1000 keys', '{' + Array.from({ length: 1000 }, (_, i) => `"k${i}":${i}`).join(',') + ',"log":"many keys"}'],
  ['50k-deep nesting', '{"log":"deep","d":' + '['.repeat(50000) + ']'.repeat(50000) + '}'],
  ['50k-deep unclosed', '{"log":"deep","d":' + '{"a":'.repeat(50000)],
  ['8 MiB string', '{"log":"' + 'x'.repeat(8 << 20) + '"}'],
  ['100k-token line', '{"log":"' + Array.from({ length: 100000 }, (_, i) => 'tok' + (i % 97)).join(' ') + '"}'],
  ['message is an object', '{"log":{"nested":true},"message":5}'],
  ['nested JSON string deep', '{"log":"' + '{\\"a\\":'.repeat(10000) + '1' + '}'.repeat(10000) + '"}'],
  ['control chars', '{"log":"\\u0001\\u001f\\b\\f\\n\\r\\t"}'],
  ['time garbage', '{"log":"t","time":"9999-99-99T99:99:99Z","ts":-1e300,"timestamp":"\\u0000"}'],
  ['level garbage', '{"log":"l","level":{"x":1},"severity":999999999999,"PRIORITY":"-5"}'],
  ['user anomaly key', '{"log":"hi","anomaly":{"mine":true}}'],
  ['whitespace', '  \n\t{ "log" : "spaced" }  \n'],
];

test('hostile corpus: never traps, never drops, never corrupts', async () => {
  const h = await LadModule.create(WASM);
  for (const [name, rec] of hostile) {
    const bytes = h.filterBytes(Buffer.from('hostile'), 1700000000, 0, typeof rec === 'string' ? Buffer.from(rec) : rec);
    assert.equal(h.traps, 0, `trap on ${name}`);
    assert.notEqual(bytes, null, `dropped ${name}`);
    const out = Buffer.from(bytes);
    const recBuf = typeof rec === 'string' ? Buffer.from(rec) : rec;
    if (recBuf.includes(0)) {
      // A raw NUL is invalid JSON (Fluent Bit always escapes it); the record passes unchanged, and the
      // host's strdup then sees it up to the NUL, exactly as it would without the filter.
      assert.ok(out.equals(recBuf.subarray(0, recBuf.indexOf(0))), `${name}: raw NUL record not returned unchanged`);
      continue;
    }
    let valid = true;
    try { const v = JSON.parse(typeof rec === 'string' ? rec : rec.toString('utf8')); valid = v && typeof v === 'object' && !Array.isArray(v); } catch { valid = false; }
    let kind;
    try { kind = assertIntact(rec, out); } catch (e) { e.message = `${name}: ${e.message}`; throw e; }
    if (valid && name !== 'invalid utf8') assert.equal(kind, 'tagged', `valid object not tagged: ${name}`);
    if (!valid) assert.equal(kind, 'unchanged', `invalid input must pass unchanged: ${name}`);
  }
});

test('the user value under the output key survives; ours goes to the fallback key', async () => {
  const h = await LadModule.create(WASM);
  const out = JSON.parse(h.filter('t', 1700000000, 0, '{"log":"hi","anomaly":{"mine":true}}'));
  assert.deepEqual(out.anomaly, { mine: true });
  assert.equal(out.anomaly_lad.level, 'info');
});

test('1,000 hostile records then normal ones: all normal ones tagged', async () => {
  const h = await LadModule.create(WASM);
  for (let i = 0; i < 1000; i++) {
    const [, rec] = hostile[i % hostile.length];
    if (rec.length > 1 << 20) continue; // the giants are covered above; keep this loop quick
    h.filter('mix', 1700000000 + i, 0, rec, { validate: false });
  }
  assert.equal(h.traps, 0);
  for (let i = 0; i < 200; i++) {
    const rec = JSON.stringify({ log: `normal line ${i} for user u${i % 7}`, level: i % 10 ? 'info' : 'error' });
    const out = JSON.parse(h.filter('mix', 1700001000 + i, 0, rec));
    assert.equal(out.log, `normal line ${i} for user u${i % 7}`);
    assert.equal(out.anomaly.level, i % 10 ? 'info' : 'error');
    assert.match(out.anomaly.time, /^2023-11-1\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
});

test('a trap does not poison the instance (entries reset the shadow stack)', async () => {
  const h = await LadModule.create(WASM);
  // Force traps from the host side: an out-of-range record pointer makes the module trap.
  for (let i = 0; i < 2000; i++) {
    try { h.exports.lad_filter(0, 0, 0, 0, 0xfffffff0, 64); } catch (e) { assert.ok(e instanceof WebAssembly.RuntimeError); }
  }
  const out = JSON.parse(h.filter('t', 1700000000, 0, '{"log":"still alive"}'));
  assert.equal(out.anomaly.level, 'info');
});

test('1M distinct records: memory stays bounded', async () => {
  const h = await LadModule.create(WASM);
  const levels = ['info', 'debug', 'warn', 'error'];
  let memAt200k = 0;
  const rnd = (i) => ((i * 2654435761) >>> 0).toString(36);
  for (let i = 0; i < 1_000_000; i++) {
    const rec = `{"log":"${rnd(i)} ${rnd(i + 1)} unique-${i} ${rnd(i * 7)}=${rnd(i * 13)} ${rnd(i ^ 0x5bd1e995)}","level":"${levels[i & 3]}","i":${i}}`;
    const out = h.filter(i % 50 === 0 ? `tag.${i}` : 'stream', 1700000000 + (i >> 8), 0, rec, { validate: false });
    if (out === null || out.length <= rec.length) assert.fail(`record ${i} not tagged`);
    if (i === 200_000) memAt200k = h.exports.memory.buffer.byteLength;
  }
  const mem = h.exports.memory.buffer.byteLength;
  assert.equal(h.traps, 0);
  assert.ok(mem <= 256 << 20, `memory ${mem} over 256 MiB`);
  assert.ok(mem <= memAt200k * 1.5 + (16 << 20), `memory grew from ${memAt200k} to ${mem} between 200k and 1M records`);
});
