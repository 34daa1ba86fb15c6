// logfmt ("time=... level=info msg=\"...\" k=v"), as written by Go's slog/logrus/go-kit, Grafana,
// Heroku. Keys: level/lvl/severity/loglevel/log_level (abbreviations like eror, dbug, warn work),
// time/ts/t/timestamp/datetime, msg/message (the body).
import { zeroByteMask, skipToQuoteOrBackslash } from "../core/mem";
import { FORMAT_LOGFMT } from "../core/formats";
import { LEVEL_UNKNOWN } from "../core/levels";
import { isAlnum, eqLitCI, skipSpaces } from "./bytes";
import { NO_TIME, parseTimeString } from "./timestamp";
import { levelFromValueText, LK_GENERIC } from "./level_words";
import { L_FORMAT, L_LEVEL, L_TIME, L_BODY_PTR, L_BODY_LEN, L_STATUS, lineReset, lineBody } from "./line_result";

@inline function isKeyByte(c: u32): bool {
  return isAlnum(c) || c == 0x5F || c == 0x2E || c == 0x2D || c == 0x40 || c == 0x2F;
}

// (by length first: eqLitCI compares the length anyway, and most keys are of none of these lengths)
function isLevelKey(k: usize, n: usize): bool {
  if (n == 5) return eqLitCI(k, n, "level");
  if (n == 3) return eqLitCI(k, n, "lvl");
  if (n == 8) return eqLitCI(k, n, "severity") || eqLitCI(k, n, "loglevel");
  if (n == 9) return eqLitCI(k, n, "log_level") || eqLitCI(k, n, "log.level") || eqLitCI(k, n, "levelname");
  return false;
}

function isTimeKey(k: usize, n: usize): bool {
  if (n == 4) return eqLitCI(k, n, "time");
  if (n == 2) return eqLitCI(k, n, "ts");
  if (n == 1) return eqLitCI(k, n, "t");
  if (n == 9) return eqLitCI(k, n, "timestamp");
  if (n == 8) return eqLitCI(k, n, "datetime");
  if (n == 10) return eqLitCI(k, n, "@timestamp");
  return false;
}

/** True when [p, end) starts with "key=". */
export function startsWithKey(p: usize, end: usize): bool {
  let q = p;
  let lim = p + 64 < end ? p + 64 : end;
  while (q < lim && isKeyByte(<u32>load<u8>(q))) q++;
  return q > p && q < end && load<u8>(q) == 0x3D;
}

/** Recognise a logfmt line; on success LINE holds format, level, time and body (the msg value, or
 *  the whole line if there is none). */
export function recogniseLogfmt(p: usize, end: usize, hostMs: i64): bool {
  if (!startsWithKey(p, end)) return false;
  let q = p;
  let pairs = 0, stray = 0;
  let level = LEVEL_UNKNOWN;
  let time = NO_TIME;
  let msgPtr: usize = 0, msgLen: usize = 0;
  let hasMsg = false, hasLevelKey = false, hasTimeKey = false;
  let guard = 0;
  while (q < end && guard < 4096) {
    guard++;
    q = skipSpaces(q, end);
    if (q >= end) break;
    let k = q;
    while (q < end && isKeyByte(<u32>load<u8>(q))) q++;
    let kl = q - k;
    if (kl == 0 || q >= end || load<u8>(q) != 0x3D) {
      // not a pair: skip the token
      stray++;
      while (q < end && load<u8>(q) != 0x20 && load<u8>(q) != 0x09) q++;
      continue;
    }
    q++;
    let vp = q, vl: usize = 0;
    if (q < end && load<u8>(q) == 0x22) {
      let i = q + 1;
      while (i < end) {
        i = skipToQuoteOrBackslash(i, end);
        if (i >= end) break;
        let c = load<u8>(i);
        if (c == 0x22) break;
        if (c == 0x5C) i++;
        i++;
      }
      if (i > end) i = end;
      vp = q + 1;
      vl = i - vp;
      q = i < end ? i + 1 : end;
    } else {
      while (q + 8 <= end) {
        let w = load<u64>(q);
        let m = zeroByteMask(w ^ 0x2020202020202020) | zeroByteMask(w ^ 0x0909090909090909);
        if (m) { q += <usize>(ctz(m) >> 3); break; }
        q += 8;
      }
      while (q < end && load<u8>(q) != 0x20 && load<u8>(q) != 0x09) q++;
      vl = q - vp;
    }
    pairs++;
    if (isLevelKey(k, kl)) {
      hasLevelKey = true;
      if (level == LEVEL_UNKNOWN) level = levelFromValueText(vp, vl, LK_GENERIC);
    } else if (isTimeKey(k, kl)) {
      hasTimeKey = true;
      if (time == NO_TIME) time = parseTimeString(vp, vl, hostMs);
    } else if (!hasMsg && ((kl == 3 && eqLitCI(k, kl, "msg")) || (kl == 7 && eqLitCI(k, kl, "message")))) {
      hasMsg = true;
      msgPtr = vp; msgLen = vl;
    }
  }
  if (!(hasLevelKey || hasMsg || (hasTimeKey && pairs >= 2)) || stray > pairs) return false;
  L_FORMAT = FORMAT_LOGFMT;
  L_LEVEL = level;
  L_TIME = time;
  if (hasMsg) { L_BODY_PTR = msgPtr; L_BODY_LEN = msgLen; }
  else lineBody(p, end);
  return true;
}
