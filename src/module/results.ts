// Splits a lad_batch / lad_flush NDJSON result into what the harness needs: anomaly events (with
// their line), closed windows, and (with FLAG_TAG_ALL) the tagged records themselves. Results are
// small unless every record is tagged; then only lines that can carry events or windows are parsed,
// found with Buffer.indexOf (memchr speed).

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
  severity: 'info' | 'warning' | 'critical';
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
  /** Tagged NDJSON records (window lines removed), newline-terminated, valid during the call. */
  tagged?(bytes: Buffer): void;
}

const WINDOW = Buffer.from('{"window":{');
const EVENTS = Buffer.from('"events":[{');

function parseLine(buf: Buffer, a: number, b: number): Record<string, unknown> | null {
  try {
    const v = JSON.parse(buf.toString('utf8', a, b));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Result of a batch without FLAG_TAG_ALL: every line is an event record or a window. */
export function readEvents(result: Buffer, firstLine: number, sink: ResultSink): void {
  let a = 0;
  while (a < result.length) {
    let b = result.indexOf(10, a);
    if (b < 0) b = result.length;
    if (b > a) {
      const o = parseLine(result, a, b);
      if (o) dispatch(o, firstLine, sink);
    }
    a = b + 1;
  }
}

function dispatch(o: Record<string, unknown>, firstLine: number, sink: ResultSink): void {
  if (o.window && typeof o.window === 'object') { sink.window?.(o.window as RawWindow); return; }
  const an = o.anomaly as RawAnomaly | undefined;
  if (an && Array.isArray(an.events)) {
    const line = typeof o.line === 'number' && o.line >= 0 ? firstLine + o.line : null;
    sink.anomaly(an, line);
  }
}

/** Result of a batch with FLAG_TAG_ALL: tagged records, plus window lines when FLAG_WINDOWS. */
export function readTagged(result: Buffer, outputKeys: string[], sink: ResultSink): void {
  // 1. Window lines: cut them out of the record stream.
  let from = 0;
  let search = 0;
  for (;;) {
    const i = result.indexOf(WINDOW, search);
    if (i < 0) break;
    let e = result.indexOf(10, i);
    if (e < 0) e = result.length;
    search = e;
    if (i > 0 && result[i - 1] !== 10) continue; // not at a line start: inside a record
    const o = parseLine(result, i, e);
    if (!o || !o.window || outputKeys.some((k) => k in o)) continue; // a user record named "window"
    if (i > from) emitTagged(result.subarray(from, i), outputKeys, sink);
    sink.window?.(o.window as RawWindow);
    from = Math.min(e + 1, result.length);
  }
  if (from < result.length) emitTagged(result.subarray(from), outputKeys, sink);
}

function emitTagged(part: Buffer, outputKeys: string[], sink: ResultSink): void {
  sink.tagged?.(part);
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
