// Reads what lad_batch / lad_flush return: anomaly events (with their line) and the tagged records
// (FLAG_TAG_ALL) from the record channel, closed windows from the window channel. Results are small
// unless every record is tagged; then only lines that can carry events are parsed, found with
// Buffer.indexOf (memchr speed).
import { FLAG_TAG_ALL, type OutputBytes } from './module.js';
import type { Severity } from './vocabulary.js';

/** The module's `anomaly` object on a record that carries events. */
export interface RawAnomaly {
  level?: string;
  format?: string;
  time?: string | number;
  template_id?: string;
  template?: string;
  events?: RawEvent[];
  alert?: boolean;
  [k: string]: unknown;
}

export interface RawEvent {
  type: string;
  severity: Severity;
  stream: string;
  description?: string;
  [k: string]: unknown;
}

export interface RawWindow {
  stream: string;
  start: string | number;
  count: number;
  errors: number;
  [k: string]: unknown;
}

export interface ResultSink {
  /** A record that carries events; `line` is its 0-based line in the source, or null when unknown. */
  anomaly(a: RawAnomaly, line: number | null): void;
  window?(w: RawWindow): void;
  /** Tagged NDJSON records, newline-terminated, valid during the call. */
  tagged?(bytes: Buffer): void;
}

const EVENTS = Buffer.from('"events":[{');

function parseLine(buf: Buffer, a: number, b: number): Record<string, unknown> | null {
  try {
    const v = JSON.parse(buf.toString('utf8', a, b));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Calls f for each non-empty NDJSON line of buf that is a JSON object. */
function eachObject(buf: Buffer, f: (o: Record<string, unknown>) => void): void {
  let a = 0;
  while (a < buf.length) {
    let b = buf.indexOf(10, a);
    if (b < 0) b = buf.length;
    if (b > a) {
      const o = parseLine(buf, a, b);
      if (o) f(o);
    }
    a = b + 1;
  }
}

/** Both channels of a batch or flush made with `flags`; `firstLine` numbers the batch's first line. */
export function readBatch(out: OutputBytes, flags: number, outputKeys: string[], firstLine: number, sink: ResultSink): void {
  if (flags & FLAG_TAG_ALL) readTagged(out.records, outputKeys, sink);
  else readEvents(out.records, firstLine, sink);
  readWindows(out.windows, sink);
}

/** Record channel without FLAG_TAG_ALL: every line is a record carrying events. */
export function readEvents(records: Buffer, firstLine: number, sink: ResultSink): void {
  eachObject(records, (o) => {
    const an = o.anomaly as RawAnomaly | undefined;
    if (an && Array.isArray(an.events)) {
      const line = typeof o.line === 'number' && o.line >= 0 ? firstLine + o.line : null;
      sink.anomaly(an, line);
    }
  });
}

/** Window channel: {"window":{..}} lines. */
export function readWindows(windows: Buffer, sink: ResultSink): void {
  if (!sink.window || windows.length === 0) return;
  eachObject(windows, (o) => { if (o.window && typeof o.window === 'object') sink.window!(o.window as RawWindow); });
}

/** Record channel with FLAG_TAG_ALL: the tagged records, some carrying events. */
export function readTagged(part: Buffer, outputKeys: string[], sink: ResultSink): void {
  if (part.length > 0) sink.tagged?.(part);
  let search = 0;
  for (;;) {
    const i = part.indexOf(EVENTS, search);
    if (i < 0) break;
    const a = part.lastIndexOf(10, i) + 1;
    let b = part.indexOf(10, i);
    if (b < 0) b = part.length;
    search = b;
    const o = parseLine(part, a, b);
    if (!o) continue;
    // lad's key is the record's last one: output.key, output.fallback_key or fallback_key_2, _3, ...
    // (the module never writes a key the record already has).
    const keys = Object.keys(o);
    const last = keys[keys.length - 1];
    const fb = outputKeys[1];
    const ours = last !== undefined && (outputKeys.includes(last) || (fb !== undefined && last.startsWith(fb + '_') && /^\d+$/.test(last.slice(fb.length + 1))));
    for (const k of ours ? [last, ...outputKeys] : outputKeys) {
      const an = o[k] as RawAnomaly | undefined;
      if (an && typeof an === 'object' && Array.isArray(an.events)) { sink.anomaly(an, null); break; }
    }
  }
}
