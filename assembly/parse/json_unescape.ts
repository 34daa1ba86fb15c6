// JSON string unescaping into a reusable buffer. Runs between backslashes are block-copied.
// \uXXXX pairs become one code point; lone surrogates become U+FFFD; an invalid or truncated escape
// is kept verbatim (the input may not have been validated, e.g. logfmt or a truncated record).
import { ByteBuf } from "../core/byte_buf";
import { isHex, hexVal } from "./bytes";
import { copyBytes, zeroByteMask, firstByte } from "../core/mem";

function hex4(p: usize): i32 {
  let a = <u32>load<u8>(p), b = <u32>load<u8>(p + 1), c = <u32>load<u8>(p + 2), d = <u32>load<u8>(p + 3);
  if (!isHex(a) || !isHex(b) || !isHex(c) || !isHex(d)) return -1;
  return <i32>((hexVal(a) << 12) | (hexVal(b) << 8) | (hexVal(c) << 4) | hexVal(d));
}

/** Write code point cp as UTF-8 at d; returns the bytes written. */
function putCodePoint(d: usize, cp: u32): usize {
  if (cp < 0x80) { store<u8>(d, <u8>cp); return 1; }
  if (cp < 0x800) {
    store<u8>(d, <u8>(0xC0 | (cp >> 6))); store<u8>(d + 1, <u8>(0x80 | (cp & 0x3F)));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(d, <u8>(0xE0 | (cp >> 12))); store<u8>(d + 1, <u8>(0x80 | ((cp >> 6) & 0x3F)));
    store<u8>(d + 2, <u8>(0x80 | (cp & 0x3F)));
    return 3;
  }
  store<u8>(d, <u8>(0xF0 | (cp >> 18))); store<u8>(d + 1, <u8>(0x80 | ((cp >> 12) & 0x3F)));
  store<u8>(d + 2, <u8>(0x80 | ((cp >> 6) & 0x3F))); store<u8>(d + 3, <u8>(0x80 | (cp & 0x3F)));
  return 4;
}

/** Append the unescaped form of the JSON string body [src, src+n) to `out`. The result is never
 *  longer than the input (every escape shrinks or keeps its length), so room is made once and the
 *  loop writes raw memory. */
export function unescapeInto(src: usize, n: usize, out: ByteBuf): void {
  out.ensure(n);
  let d0 = out.ptr + out.len;
  let d = d0;
  let end = src + n;
  let i = src;
  let run = i;
  while (i < end) {
    // to the next backslash, 8 bytes per step
    while (i + 8 <= end) {
      let t = zeroByteMask(load<u64>(i) ^ 0x5C5C5C5C5C5C5C5C);
      if (t) { i += firstByte(t); break; }
      i += 8;
    }
    if (i >= end) break;
    if (load<u8>(i) != 0x5C) { i++; continue; }
    if (i > run) { copyBytes(d, run, i - run); d += i - run; }
    if (i + 1 >= end) { store<u8>(d++, 0x5C); i++; run = i; break; }
    let e = <u32>load<u8>(i + 1);
    let r: i32 = -1;
    if (e == 0x22 || e == 0x5C || e == 0x2F) r = <i32>e;
    else if (e == 0x6E) r = 0x0A;
    else if (e == 0x74) r = 0x09;
    else if (e == 0x72) r = 0x0D;
    else if (e == 0x62) r = 0x08;
    else if (e == 0x66) r = 0x0C;
    if (r >= 0) { store<u8>(d++, <u8>r); i += 2; run = i; continue; }
    if (e == 0x75 && i + 6 <= end) {
      let cp = hex4(i + 2);
      if (cp >= 0) {
        i += 6;
        let u = <u32>cp;
        if (u >= 0xD800 && u < 0xDC00) {
          // high surrogate: needs a following \uDC00-\uDFFF
          let lo: i32 = -1;
          if (i + 6 <= end && load<u8>(i) == 0x5C && load<u8>(i + 1) == 0x75) lo = hex4(i + 2);
          if (lo >= 0xDC00 && lo < 0xE000) {
            u = 0x10000 + ((u - 0xD800) << 10) + (<u32>lo - 0xDC00);
            i += 6;
          } else u = 0xFFFD;
        } else if (u >= 0xDC00 && u < 0xE000) u = 0xFFFD;
        d += putCodePoint(d, u);
        run = i;
        continue;
      }
    }
    // invalid escape: keep the backslash, the next byte is copied with the following run
    store<u8>(d++, 0x5C);
    i++;
    run = i;
  }
  if (end > run) { copyBytes(d, run, end - run); d += end - run; }
  out.len += d - d0;
}
