// The host's words for the module's contract (src/module/vocabulary.ts, the batch flags) are the
// module's own, as lad_describe() states them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LadModule, FLAG_TAG_ALL, FLAG_WINDOWS } from '../../dist/module/module.js';
import { SEVERITIES, EVENT_TYPES, NATIVE_FORMATS } from '../../dist/module/vocabulary.js';

test('lad_describe: severities in order, event types, input formats and batch flags match the host', async () => {
  const d = (await LadModule.create()).describe();
  assert.deepEqual(d.severities, [...SEVERITIES]);
  assert.deepEqual(d.event_types, [...EVENT_TYPES]);
  assert.deepEqual([...d.input_formats].sort(), [...NATIVE_FORMATS].sort());
  assert.deepEqual(d.batch_flags, { tag_all: FLAG_TAG_ALL, windows: FLAG_WINDOWS });
});
