// logfmt ("time=... level=info msg=\"...\" k=v"), as written by Go's slog/logrus/go-kit, Grafana,
// Heroku. Keys: level/lvl/severity/loglevel/log_level (abbreviations like eror, dbug, warn work),
// time/ts/t/timestamp/datetime, msg/message (the body).
import { spaceTabMask, skipToQuoteOrBackslash, overreadLimit, firstByte } from "../core/mem";
import { FORMAT_LOGFMT } from "../core/formats";
import { LEVEL_UNKNOWN } from "../core/levels";
import { isAlnum, skipSpaces } from "./bytes";
import { NO_TIME, parseTimeString } from "./timestamp";
import { levelFromValueText, LK_GENERIC } from "./level_words";
import { LineResult } from "./line_result";

@inline function isKeyByte(c: u32): bool {
  return isAlnum(c) || c == 0x5F || c == 0x2E || c == 0x2D || c == 0x40 || c == 0x2F;
}

// isKeyByte as a table: one lookup a byte instead of a chain of range tests
const KEY_BYTE = memory.data(256);
function initKeyBytes(): void { for (let c: u32 = 0; c < 256; c++) store<u8>(KEY_BYTE + c, isKeyByte(c) ? 1 : 0); }
initKeyBytes();

/** End of the run of key bytes at q (at most up to lim); rl: how far eight-byte loads may reach
 *  (overreadLimit). Lower-case letters, most of every key, go eight a step: a byte is flagged
 *  when it is above 'z' (x + 5 reaches 0x80), below 'a' (x + 0x1F stays below 0x80) or >= 0x80;
 *  a carry out of a byte starts only at a flagged one, so the lowest flag is exact. */
@inline function keyEnd(q: usize, lim: usize, rl: usize): usize {
  while (q + 8 <= rl) {
    let w = load<u64>(q);
    let m = ((w + 0x0505050505050505) | ~(w + 0x1F1F1F1F1F1F1F1F) | w) & 0x8080808080808080;
    if (m) { q += firstByte(m); break; }
    q += 8;
  }
  if (q > lim) return lim;
  while (q < lim && load<u8>(<usize>load<u8>(q), KEY_BYTE)) q++;
  return q;
}

// Key names compared as folded words: a key is made of key bytes only, and on those `| 0x20` maps
// exactly the upper-case letters onto the lower-case ones (the other key bytes either have the bit
// already or map to bytes that are no key bytes), so one word compare per candidate replaces
// eqLitCI's byte loop.
@inline function fold(s: string, from: i32): u64 {
  let v: u64 = 0;
  for (let k = 0; k < 8 && from + k < s.length; k++) v |= <u64>(s.charCodeAt(from + k) | 0x20) << (<u64>k << 3);
  return v;
}
const K_LEVEL = fold("level", 0), K_LVL = fold("lvl", 0), K_SEVERITY = fold("severity", 0), K_LOGLEVEL = fold("loglevel", 0);
const K_LOG_LEVEL = fold("log_leve", 0), K_LOGDLEVEL = fold("log.leve", 0), K_LEVELNAM = fold("levelnam", 0);
const K_TIME = fold("time", 0), K_TS = fold("ts", 0), K_T = fold("t", 0), K_TIMESTAM = fold("timestam", 0);
const K_DATETIME = fold("datetime", 0), K_ATTIMEST = fold("@timesta", 0), K_MSG = fold("msg", 0), K_MESSAGE = fold("message", 0);

/** Up to the first 8 bytes of key [k, k+n), folded (| 0x20 each), little-endian. */
@inline function keyWord(k: usize, n: usize, end: usize): u64 {
  let m: usize = n < 8 ? n : 8;
  let v: u64;
  if (k + 8 <= end) v = load<u64>(k);
  else { v = 0; for (let i: usize = 0; i < m; i++) v |= <u64>load<u8>(k + i) << (<u64>i << 3); }
  let mask: u64 = m == 8 ? <u64>-1 : (<u64>1 << (<u64>m << 3)) - 1;
  return (v | 0x2020202020202020) & mask;
}

/** Byte k + i folded equals c. */
@inline function foldAt(k: usize, i: usize, c: u32): bool { return (<u32>load<u8>(k + i) | 0x20) == c; }

const KEY_OTHER = 0, KEY_LEVEL = 1, KEY_TIME = 2, KEY_MSG = 3;

/** What key [k, k+n) is: KEY_LEVEL (isLevelKey), KEY_TIME (isTimeKey), KEY_MSG (msg, message) or
 *  KEY_OTHER; one branch on the length, then the candidates of that length (the three tests one
 *  after the other cost ~15 interpreted operators a key). */
@inline function keyKind(k: usize, n: usize, end: usize): i32 {
  switch (<i32>n) {
    case 1: return keyWord(k, n, end) == K_T ? KEY_TIME : KEY_OTHER;
    case 2: return keyWord(k, n, end) == K_TS ? KEY_TIME : KEY_OTHER;
    case 3: {
      let w = keyWord(k, n, end);
      return w == K_LVL ? KEY_LEVEL : w == K_MSG ? KEY_MSG : KEY_OTHER;
    }
    case 4: return keyWord(k, n, end) == K_TIME ? KEY_TIME : KEY_OTHER;
    case 5: return keyWord(k, n, end) == K_LEVEL ? KEY_LEVEL : KEY_OTHER;
    case 7: return keyWord(k, n, end) == K_MESSAGE ? KEY_MSG : KEY_OTHER;
    case 8: {
      let w = keyWord(k, n, end);
      return w == K_SEVERITY || w == K_LOGLEVEL ? KEY_LEVEL : w == K_DATETIME ? KEY_TIME : KEY_OTHER;
    }
    case 9: {
      let w = keyWord(k, n, end);
      if (isLevelKey(k, n, w)) return KEY_LEVEL;
      return w == K_TIMESTAM && foldAt(k, 8, 0x70) ? KEY_TIME : KEY_OTHER;
    }
    case 10: return isTimeKey(k, n, keyWord(k, n, end)) ? KEY_TIME : KEY_OTHER;
  }
  return KEY_OTHER;
}

function isLevelKey(k: usize, n: usize, w: u64): bool {
  if (n == 5) return w == K_LEVEL;
  if (n == 3) return w == K_LVL;
  if (n == 8) return w == K_SEVERITY || w == K_LOGLEVEL;
  if (n == 9) return ((w == K_LOG_LEVEL || w == K_LOGDLEVEL) && foldAt(k, 8, 0x6C)) || (w == K_LEVELNAM && foldAt(k, 8, 0x65));
  return false;
}

function isTimeKey(k: usize, n: usize, w: u64): bool {
  if (n == 4) return w == K_TIME;
  if (n == 2) return w == K_TS;
  if (n == 1) return w == K_T;
  if (n == 9) return w == K_TIMESTAM && foldAt(k, 8, 0x70);
  if (n == 8) return w == K_DATETIME;
  if (n == 10) return w == K_ATTIMEST && foldAt(k, 8, 0x6D) && foldAt(k, 9, 0x70);
  return false;
}

/** True when [p, end) starts with "key=". */
export function startsWithKey(p: usize, end: usize): bool {
  let q = p;
  let lim = p + 64 < end ? p + 64 : end;
  q = keyEnd(q, lim, overreadLimit(end));
  return q > p && q < end && load<u8>(q) == 0x3D;
}

/** Recognise a logfmt line; on success LINE holds format, level, time and body (the msg value, or
 *  the whole line if there is none). */
export function recogniseLogfmt(lr: LineResult, p: usize, end: usize, hostMs: i64): bool {
  if (!startsWithKey(p, end)) return false;
  let q = p;
  let pairs = 0, stray = 0;
  let level = LEVEL_UNKNOWN;
  let time = NO_TIME;
  let msgPtr: usize = 0, msgLen: usize = 0;
  let hasMsg = false, hasLevelKey = false, hasTimeKey = false;
  let guard = 0;
  let rl = overreadLimit(end);
  while (q < end && guard < 4096) {
    guard++;
    q = skipSpaces(q, end);
    if (q >= end) break;
    let k = q;
    q = keyEnd(q, end, rl);
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
      // to the first space or tab eight bytes a step (a hit is exact: no byte-wise check after
      // it; past `end` the value ends there), byte by byte only where no eight bytes may be read
      while (true) {
        if (q + 8 > rl) {
          if (q > end) q = end;
          while (q < end && load<u8>(q) != 0x20 && load<u8>(q) != 0x09) q++;
          break;
        }
        let m = spaceTabMask(load<u64>(q));
        if (m) { q += firstByte(m); if (q > end) q = end; break; }
        q += 8;
      }
      vl = q - vp;
    }
    pairs++;
    let kind = keyKind(k, kl, end);
    if (kind == KEY_OTHER) continue;
    if (kind == KEY_LEVEL) {
      hasLevelKey = true;
      if (level == LEVEL_UNKNOWN) level = levelFromValueText(vp, vl, LK_GENERIC);
    } else if (kind == KEY_TIME) {
      hasTimeKey = true;
      if (time == NO_TIME) time = parseTimeString(vp, vl, hostMs);
    } else if (!hasMsg) {
      hasMsg = true;
      msgPtr = vp; msgLen = vl;
    }
  }
  if (!(hasLevelKey || hasMsg || (hasTimeKey && pairs >= 2)) || stray > pairs) return false;
  lr.format = FORMAT_LOGFMT;
  lr.level = level;
  lr.time = time;
  if (hasMsg) { lr.bodyPtr = msgPtr; lr.bodyLen = msgLen; }
  else lr.body(p, end);
  return true;
}
