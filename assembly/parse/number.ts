// Decimal numbers as (mantissa, power of ten), so epoch values like 1705329135.123 convert to
// milliseconds exactly. Accepts JSON numbers and numeric strings ("42", " 1.5e3 ", "+7").
import { isDigit, isSpace } from "./bytes";

export let NUM_MANT: u64 = 0;
export let NUM_EXP: i32 = 0;
export let NUM_NEG = false;
/** Significant digits held in NUM_MANT (0 for the value zero). */
export let NUM_DIGITS: i32 = 0;

/** Parse [p, p+n) as a decimal number; false if it is not one (nothing else allowed but spaces). */
export function parseDecimal(p: usize, n: usize): bool {
  let end = p + n;
  while (p < end && isSpace(<u32>load<u8>(p))) p++;
  while (end > p && isSpace(<u32>load<u8>(end - 1))) end--;
  if (p >= end) return false;
  let neg = false;
  let c = <u32>load<u8>(p);
  if (c == 0x2D || c == 0x2B) { neg = c == 0x2D; p++; }
  let mant: u64 = 0;
  let digits = 0;
  let exp: i32 = 0;
  let any = false;
  while (p < end && isDigit(c = <u32>load<u8>(p))) {
    any = true;
    if (digits < 18) {
      mant = mant * 10 + <u64>(c - 0x30);
      if (mant != 0) digits++;
    } else exp++; // beyond 18 significant digits only the magnitude matters
    p++;
  }
  if (p < end && load<u8>(p) == 0x2E) {
    p++;
    while (p < end && isDigit(c = <u32>load<u8>(p))) {
      any = true;
      if (digits < 18) {
        mant = mant * 10 + <u64>(c - 0x30);
        if (mant != 0) digits++;
        exp--;
      }
      p++;
    }
  }
  if (!any) return false;
  if (p < end && (load<u8>(p) | 0x20) == 0x65) {
    p++;
    let eneg = false;
    if (p < end && (load<u8>(p) == 0x2D || load<u8>(p) == 0x2B)) { eneg = load<u8>(p) == 0x2D; p++; }
    if (p >= end || !isDigit(<u32>load<u8>(p))) return false;
    let e: i32 = 0;
    while (p < end && isDigit(c = <u32>load<u8>(p))) {
      if (e < 100000) e = e * 10 + <i32>(c - 0x30); // clamp: 1e400 and 1e99999999 stay finite math
      p++;
    }
    exp += eneg ? -e : e;
  }
  if (p != end) return false;
  NUM_MANT = mant;
  NUM_EXP = mant == 0 ? 0 : exp;
  NUM_NEG = neg;
  NUM_DIGITS = digits;
  return true;
}

/** The parsed number as an integer if it is one that fits in +-2^53, else i64.MIN_VALUE. */
export function numInteger(): i64 {
  let m = NUM_MANT;
  let e = NUM_EXP;
  if (e < 0) {
    if (e < -18) return m == 0 ? 0 : i64.MIN_VALUE;
    let d = pow10u(-e);
    if (m % d != 0) return i64.MIN_VALUE;
    m /= d;
  } else {
    while (e > 0) {
      if (m > 900719925474099) return i64.MIN_VALUE;
      m *= 10;
      e--;
    }
  }
  if (m > 9007199254740992) return i64.MIN_VALUE;
  return NUM_NEG ? -<i64>m : <i64>m;
}

/** 10^k for 0 <= k <= 19. */
export function pow10u(k: i32): u64 {
  let r: u64 = 1;
  for (let i = 0; i < k; i++) r *= 10;
  return r;
}
