// JSON string unescaping into a reusable buffer. Runs between backslashes are block-copied.
// \uXXXX pairs become one code point; lone surrogates become U+FFFD; an invalid or truncated escape
// is kept verbatim (the input may not have been validated, e.g. logfmt or a truncated record).
import { ByteBuf } from "../core/byte_buf";
import { isHex, hexVal } from "./bytes";

function hex4(p: usize): i32 {
  let a = <u32>load<u8>(p), b = <u32>load<u8>(p + 1), c = <u32>load<u8>(p + 2), d = <u32>load<u8>(p + 3);
  if (!isHex(a) || !isHex(b) || !isHex(c) || !isHex(d)) return -1;
  return <i32>((hexVal(a) << 12) | (hexVal(b) << 8) | (hexVal(c) << 4) | hexVal(d));
}

export function putCodePoint(out: ByteBuf, cp: u32): void {
  out.ensure(4);
  let d = out.ptr + out.len;
  if (cp < 0x80) { store<u8>(d, <u8>cp); out.len += 1; }
  else if (cp < 0x800) {
    store<u8>(d, <u8>(0xC0 | (cp >> 6))); store<u8>(d + 1, <u8>(0x80 | (cp & 0x3F)));
    out.len += 2;
  } else if (cp < 0x10000) {
    store<u8>(d, <u8>(0xE0 | (cp >> 12))); store<u8>(d + 1, <u8>(0x80 | ((cp >> 6) & 0x3F)));
    store<u8>(d + 2, <u8>(0x80 | (cp & 0x3F)));
    out.len += 3;
  } else {
    store<u8>(d, <u8>(0xF0 | (cp >> 18))); store<u8>(d + 1, <u8>(0x80 | ((cp >> 12) & 0x3F)));
    store<u8>(d + 2, <u8>(0x80 | ((cp >> 6) & 0x3F))); store<u8>(d + 3, <u8>(0x80 | (cp & 0x3F)));
    out.len += 4;
  }
}

/** Append the unescaped form of the JSON string body [src, src+n) to `out`. */
export function unescapeInto(src: usize, n: usize, out: ByteBuf): void {
  out.ensure(n);
  let end = src + n;
  let i = src;
  let run = i;
  while (i < end) {
    if (load<u8>(i) != 0x5C) { i++; continue; }
    if (i > run) out.bytes(run, i - run);
    if (i + 1 >= end) { out.byte(0x5C); i++; run = i; break; }
    let e = <u32>load<u8>(i + 1);
    let r: i32 = -1;
    switch (e) {
      case 0x22: r = 0x22; break;
      case 0x5C: r = 0x5C; break;
      case 0x2F: r = 0x2F; break;
      case 0x62: r = 0x08; break;
      case 0x66: r = 0x0C; break;
      case 0x6E: r = 0x0A; break;
      case 0x72: r = 0x0D; break;
      case 0x74: r = 0x09; break;
    }
    if (r >= 0) { out.byte(<u32>r); i += 2; run = i; continue; }
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
        putCodePoint(out, u);
        run = i;
        continue;
      }
    }
    // invalid escape: keep the backslash, the next byte is copied with the following run
    out.byte(0x5C);
    i++;
    run = i;
  }
  if (end > run) out.bytes(run, end - run);
}
