// The module's event-time clock. Every record advances it (the latest event time seen, with the
// same protection against stray far-future timestamps as a stream's own windows), and a sweep on
// it closes the windows of streams that have gone quiet and looks for silences. Without it a
// window closes only when a record of its own stream arrives: a dead service would be reported
// only when it logs again, and an alert about a sparse stream would wait for its next line.
// When every stream is quiet a heartbeat keeps the clock going (detectTick: Fluent Bit's `dummy`
// input through the filter, the wall clock in `lad watch` / `lad serve`).
//
// A stream whose records run well behind the clock (a replay of another period, a shipper that
// lags minutes) keeps its own clock, as before: it is marked SF_LAGGED and the sweep leaves it be.
import { floorDiv } from "../core/byte_buf";
import { DCFG } from "./dconfig";
import { Stream, NO_WINDOW, SF_LAGGED, SF_DORMANT, winMs, blockOf, nStreams } from "./state";
import { advance } from "./window";
import { checkSilence, shortFloorMs, HOST_MS, jointBegin, jointAdd, jointEnd, jointMs, resumeMs, RESUMED, clearResumed, resumeWorthy } from "./silence";

/** Latest trusted event time (ms); NO_WINDOW before the first record. */
export let CLK: i64 = NO_WINDOW;
let aheadRun = 0;
let nextSweep: i64 = NO_WINDOW;
/** Sweep cursor: a sweep may span several records (bounded work and events per record). */
let cursor = 0;
let sweeping = false;
/** The span the sweep under way looks back over (silence.ts: jointMs, or resumeMs at once after a
 *  stream resumed). */
let span: i64 = 0;

/** A jump of the clock this many windows ahead needs JUMP_CONFIRM records that agree. */
const JUMP_WINDOWS: i64 = 10;
const JUMP_CONFIRM: i32 = 3;
/** Streams looked at per record at most (10,000 streams cost the same per record as 40). */
const SWEEP_BATCH: i32 = 64;
/** Sweep period: a quarter window, at most 10 s (a 30 s outage is seen while it lasts). */
@inline function period(): i64 { let q = winMs >> 2; return q < 10000 ? q : 10000; }
/** Extra lateness the clock allows other streams before closing their windows: shippers read
 *  files in chunks, so one stream's records trail another's by a few seconds. */
@inline function slack(): i64 { let q = winMs >> 3; return q < 5000 ? q : 5000; }
@inline function dormantMs(): i64 {
  let a = <i64>DCFG.adaptWindows * winMs;
  return a > 86400000 ? a : 86400000;
}
/** A stream more than this behind the clock at its last record keeps its own clock. */
@inline function syncMs(): i64 { return 3 * winMs + DCFG.lateAllowanceMs; }

export function resetClock(): void {
  CLK = NO_WINDOW;
  aheadRun = 0;
  nextSweep = NO_WINDOW;
  cursor = 0;
  sweeping = false;
}

/** After a record of stream `self` (placed at s.lastT): marks whether the stream keeps up with the
 *  clock, advances the clock, and sweeps the other streams when a period has passed. */
@inline export function afterRecord(self: i32): void {
  let s = changetype<Stream>(blockOf(self));
  afterRecordAt(s, s.lastT, self);
}

/** afterRecord for stream `self` (s) whose record was placed at t (onRecord's end: no reload). */
@inline export function afterRecordAt(s: Stream, t: i64, self: i32): void {
  let c = CLK;
  // lagged: keeps SF_DORMANT; else both cleared (a select: no branch)
  let lagged = <i32>(c != NO_WINDOW) & <i32>(t < c - syncMs());
  let f = s.flags;
  s.flags = lagged ? f | SF_LAGGED : f & ~(SF_LAGGED | SF_DORMANT);
  tick(t, self);
}

/** A heartbeat (or any host tick) at event time t: advances the clock, sweeps. (Inline: once per
 *  record; the rare cases and the sweep stay calls.) */
@inline export function tick(t: i64, self: i32): void {
  let c = CLK;
  // the common case: a clock that runs, t no jump ahead of it (`&`, `|`: one branch)
  if (<i32>(c != NO_WINDOW) & (<i32>(t <= c) | <i32>(t <= c + JUMP_WINDOWS * winMs))) {
    CLK = t > c ? t : c;
    aheadRun = 0;
    // no sweep under way, none due, no stream just resumed: nothing more (nextSweep is NO_WINDOW,
    // the lowest time, before the first sweep)
    if (<i32>sweeping | <i32>RESUMED | <i32>(CLK >= nextSweep)) sweepStep(self);
  } else if (tickSlow(t)) sweepStep(self);
}

/** tick's rare cases: the clock's first time, a jump ahead (taken once JUMP_CONFIRM records
 *  agree). Returns false when the record is not (yet) taken as the clock. */
function tickSlow(t: i64): bool {
  if (CLK == NO_WINDOW) {
    CLK = t;
  } else if (t > CLK) {
    if (t > CLK + JUMP_WINDOWS * winMs) {
      if (++aheadRun < JUMP_CONFIRM) return false;
    }
    CLK = t;
  } else {
    aheadRun = 0;
  }
  if (t <= CLK) aheadRun = 0;
  return true;
}

/** Starts a sweep when one is due, and runs a batch of it. */
function sweepStep(self: i32): void {
  let P = period();
  // a resumption sweep first (the moment passes with the next record of the service), a periodic
  // one due meanwhile at the next record; only where one sweep sees every stream at that moment
  // (a sweep of more streams spans records, while the service's other streams resume)
  if (!sweeping && RESUMED && nStreams <= SWEEP_BATCH && resumeWorthy(CLK)) {
    sweeping = true;
    cursor = 0;
    span = resumeMs();
  } else if (!sweeping && (nextSweep == NO_WINDOW || CLK >= nextSweep)) {
    sweeping = true;
    cursor = 0;
    span = jointMs();
    nextSweep = (floorDiv(CLK, P) + 1) * P;
  }
  if (RESUMED) clearResumed();
  if (sweeping) sweep(self);
}

function sweep(self: i32): void {
  if (cursor == 0) jointBegin(span, period(), CLK);
  let end = cursor + SWEEP_BATCH;
  if (end > nStreams) end = nStreams;
  let late = DCFG.lateAllowanceMs + slack();
  let W = winMs;
  for (let i = cursor; i < end; i++) {
    if (i == self) continue;
    let b = blockOf(i);
    let s = changetype<Stream>(b);
    if (s.ws == NO_WINDOW || (s.flags & (SF_LAGGED | SF_DORMANT)) != 0) continue;
    // through Fluent Bit, only a stream quiet in Fluent Bit's own time too: a back-fill reads files
    // chunk by chunk, one running ahead of another in event time within a second of reading; the
    // one behind closes its windows with its own records, as it would alone, and is not silent
    let hostQuiet = HOST_MS == i64.MIN_VALUE ? i64.MAX_VALUE : HOST_MS - s.lastHost;
    if (CLK >= s.ws + W + late && hostQuiet >= late) advance(s, b, CLK, late);
    if (hostQuiet >= shortFloorMs()) checkSilence(s, b, CLK, false);
    jointAdd(s, b, CLK, hostQuiet, s.lastMs, false);
    // silent for a day (or adapt_windows if longer): stop closing its windows; its next record
    // brings it back through the long-gap path of advance()
    if (CLK - s.lastMs > dormantMs()) s.flags |= SF_DORMANT;
  }
  cursor = end;
  if (cursor >= nStreams) { sweeping = false; jointEnd(CLK); }
}
