// Daily routines: a backup at 03:00, a cron burst at 06:25, a report job at midnight. Volume has
// an hour-of-week profile, but a routine is one template's burst inside an hour, which an hourly
// mean dilutes. Per template and hour of day we keep the largest count one window showed in that
// hour on earlier days (decaying by DAY_DECAY per day, so a routine that stops is forgotten in a
// week or two). A count up to ROUTINE_SLACK x that is expected at that hour: it neither makes a
// pattern spike nor counts towards a rate spike.
//
// Learned from every window, anomalous or not: a routine looks anomalous the first time it runs.
// The current hour's maxima are folded in only when the hour is over, so an incident never masks
// itself; it can mask the same burst of the same template at the same hour the next day.
import { floorDiv } from "../core/byte_buf";
import { Stream, TEntry, entryAt, routineAt } from "./state";
import { predVar, dispPhi, ewmaC, alphaDisp } from "./model";

const DAY_DECAY: f32 = 0.85;
export const ROUTINE_SLACK: f64 = 1.5;

/** At a window close (window start ws): a new hour folds the last hour's maxima in. */
export function routineHour(s: Stream, b: usize, ws: i64): void {
  let hour = floorDiv(ws, 3600000);
  if (hour == s.curHour) return;
  if (s.curHour != 0) {
    let h = <i32>(s.curHour % 24);
    for (let j = 0; j < s.nEntries; j++) {
      let en = entryAt(b, j);
      let p = routineAt(b, j, h);
      let old = load<f32>(p) * DAY_DECAY;
      store<f32>(p, en.hNow > old ? en.hNow : old);
      en.hNow = 0;
    }
  }
  s.curHour = hour;
}

/** At a window close: the window's count of a template joins its hour's maximum. */
@inline export function routineCount(en: TEntry, c: f64): void {
  if (<f32>c > en.hNow) en.hNow = <f32>c;
}

/** The hours of day a window at ws compares with: its own, and in the second half of an hour the
 *  next one too (a routine may start a little earlier than yesterday). Packed: h | next << 8, next
 *  = h when there is none. One division per evaluation, not per template. */
export function routineHours(ws: i64): i32 {
  let hours = floorDiv(ws, 3600000);
  let h = <i32>(hours % 24);
  let n = ws - hours * 3600000 >= 1800000 ? (h == 23 ? 0 : h + 1) : h;
  return h | (n << 8);
}

/** Largest count template j showed at these hours of day (routineHours) on earlier days. */
@inline export function routineMax(b: usize, j: i32, hh: i32): f64 {
  let m = load<f32>(routineAt(b, j, hh & 0xFF));
  let n = load<f32>(routineAt(b, j, hh >> 8));
  return <f64>(n > m ? n : m);
}

/** The most a template's count reaches by its own noise when m is expected (twice m, and 4 sigma
 *  of its over-dispersed count, plus one line): routines are learned and excused above it only. */
export function noiseBar(en: TEntry, m: f64): f64 {
  let no = <f64>en.nobs;
  let v = no > 0 ? predVar(m, dispPhi(changetype<usize>(en) + offsetof<TEntry>("dD"), ewmaC(no, alphaDisp())), no) : m;
  let bar = m + 4 * Math.sqrt(v);
  if (bar < 2 * m) bar = 2 * m;
  return bar + 1;
}
