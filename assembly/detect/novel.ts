// new_pattern: the one place its events are written. A template's first sighting (the miner's
// call: it knows when a template is created, after its stream's warm-up) is an event; the alert is
// the escalation of a new error-level template that keeps occurring (from a stream's third day on,
// that is seen at all).
import { ByteBuf } from "../core/byte_buf";
import { CFG } from "../core/config";
import { EVENTS, SEV_WARNING, SEV_CRITICAL } from "../core/events";
import { DCFG } from "./dconfig";
import { Stream, TEntry, T_NEW_PATTERN, TF_NOVEL, TF_ESCALATED, tstate, entryAt, ringCnt, ringErr, entCnt, winMs } from "./state";
import { emit, TOP_ERRORS, TemplateWriter } from "./emit";
import { M_CHECK } from "./look";

const TEXT = new ByteBuf(256);

/** A template's first sighting (`templates.new_pattern_events`): id, text (the JSON string
 *  `text` writes for it) and a description with the text; a warning when it was at error level,
 *  else info. Not an alert: it alerts only through the escalation below. */
export function newPatternSeen(sev: u8, streamPtr: usize, streamLen: usize, slot: i32, id: u64,
                               text: TemplateWriter): void {
  TEXT.reset();
  if (!text(TEXT, slot, id)) { TEXT.byte(0x22); TEXT.byte(0x22); }
  let o = EVENTS.begin("new_pattern", sev, streamPtr, streamLen, false);
  o.ascii(",\"template_id\":\""); o.hex(id, 16); o.byte(0x22);
  o.ascii(",\"template\":"); o.bytes(TEXT.ptr, TEXT.len);
  o.ascii(sev == SEV_WARNING ? ",\"description\":\"New error-level log pattern: " : ",\"description\":\"New log pattern: ");
  o.bytes(TEXT.ptr + 1, TEXT.len - 2);   // the text inside its quotes
  o.byte(0x22);
  EVENTS.end();
}

/** Per record of a tracked template that was new when it first appeared (TF_NOVEL) and has not
 *  escalated: counts its error occurrences in this and the previous window, then checks them. */
@inline export function novelRecord(s: Stream, b: usize, e: TEntry, j: i32, wi: i64, isError: bool): void {
  if ((e.flags & (TF_NOVEL | TF_ESCALATED)) == TF_NOVEL && isError) {
    // error occurrences in this and the previous window
    if (wi == e.novelWin) e.novelOcc++;
    else {
      let next = wi == e.novelWin + 1;
      e.novelPrev = next ? e.novelOcc : 0;
      e.novelRun = next && e.novelRun < 65535 ? e.novelRun + 1 : 1;
      e.novelOcc = 1;
      e.novelWin = wi;
    }
    if (DCFG.newPatterns) checkNovel(s, b, e, j, wi);
  }
}

/** new_pattern escalation: a template the miner reported new keeps occurring at error level —
 *  in two consecutive windows with new_pattern_count occurrences between them, in
 *  new_pattern_count consecutive windows (a steady trickle), or as a burst (min_events, at least
 *  2 x new_pattern_count) within one window. A rare error that recurs now and then does not
 *  escalate. */
function checkNovel(s: Stream, b: usize, e: TEntry, j: i32, wi: i64): void {
  let need = <u32>DCFG.newPatternCount;
  if (wi - e.firstWin > <i64>DCFG.newPatternWindows) return;
  let burst = <u32>CFG.minEvents;
  if (burst < need * 2) burst = need * 2;
  let both = e.novelPrev > 0 && e.novelOcc + e.novelPrev >= need;
  let steady = <u32>e.novelRun >= need;
  // from a stream's second day on (its first has shown what is rare but usual), it also escalates
  // on new_pattern_count occurrences since first seen, however spread out: a new failure every few
  // minutes is as real as two in a row
  let since = <u32>e.total + entCnt(e, <i32>(wi & 1));
  // and from its third day on (two days have shown its usual rare errors, and the miner keeps
  // users, paths and ids as variables) a never-seen error line is an incident when first seen
  let age = <f64>s.windows * <f64>winMs;
  let later = age >= 86400000.0 && (since >= need || (age >= 2 * 86400000.0 && since >= 1));
  if (!both && !steady && !later && e.novelOcc < burst) return;
  e.flags |= TF_ESCALATED;
  let st = tstate(b, T_NEW_PATTERN);
  let sev: i32 = e.novelOcc >= burst ? SEV_CRITICAL : SEV_WARNING;
  if (!st.active) { st.active = 1; st.alerted = 0; st.startWin = wi; st.episode = 0; }
  st.normal = 0;
  if (st.alerted && sev <= <i32>st.sev) return;
  st.alerted = 1;
  st.sev = <u8>sev;
  st.lastAlertWin = wi;
  let occ = <f64>since;
  st.lastScore = occ;
  let r = <i32>(wi & 1);
  emit(T_NEW_PATTERN, sev, s, b, 1.0, M_CHECK, <f64>ringCnt(s, r), <f64>ringErr(s, r),
       occ, 0, 0, j, TOP_ERRORS, 0);
}

/** The new_pattern episode's evidence at close: it lasts while an escalated template keeps
 *  occurring (window slot r). */
export function novelEpisodeZ(s: Stream, b: usize, r: i32): f64 {
  let still: f64 = 0;
  for (let j = 0; j < s.nEntries; j++) {
    let en = entryAt(b, j);
    if ((en.flags & TF_ESCALATED) != 0 && entCnt(en, r) > 0) still = CFG.threshold;
  }
  return still;
}
