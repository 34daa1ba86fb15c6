import { ByteBuf } from "../core/byte_buf";

function text(b: ByteBuf): string { return String.UTF8.decodeUnsafe(b.ptr, b.len); }
function put(s: string): ArrayBuffer { return String.UTF8.encode(s); }

describe("ByteBuf.jsonString", () => {
  it("escapes quotes, backslashes and control characters", () => {
    let b = new ByteBuf(4);
    let s = put("a\"b\\c\nd\te\u0001");
    b.jsonString(changetype<usize>(s), s.byteLength);
    expect(text(b)).toBe("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  });
  it("keeps valid multi-byte UTF-8 and replaces invalid bytes with U+FFFD", () => {
    let b = new ByteBuf(4);
    let raw = new StaticArray<u8>(9);
    raw[0] = 0xC3; raw[1] = 0xA9;               // é
    raw[2] = 0xFF;                              // invalid
    raw[3] = 0xED; raw[4] = 0xA0; raw[5] = 0x80; // surrogate, invalid in UTF-8
    raw[6] = 0xF0; raw[7] = 0x9F; raw[8] = 0x98; // truncated 4-byte sequence
    b.jsonString(changetype<usize>(raw), 9);
    expect(text(b)).toBe("\"é\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\"");
  });
  it("finds every byte to escape at any offset of a long run (8-byte steps)", () => {
    for (let k = 0; k < 24; k++) {
      let b = new ByteBuf(4);
      let s = put("abcdefgh".repeat(3).substring(0, k) + "\"" + "ijklmnop".repeat(2) + "\u0002é\\z");
      b.jsonString(changetype<usize>(s), s.byteLength);
      expect(text(b)).toBe("\"" + "abcdefgh".repeat(3).substring(0, k) + "\\\"" + "ijklmnop".repeat(2) + "\\u0002é\\\\z\"");
    }
  });
  it("grows past its initial capacity", () => {
    let b = new ByteBuf(2);
    let s = put("x".repeat(10000));
    b.jsonString(changetype<usize>(s), s.byteLength);
    expect(b.len).toBe(10002);
  });
});

describe("ByteBuf numbers and time", () => {
  it("writes integers and fixed-point decimals", () => {
    let b = new ByteBuf(4);
    b.u64dec(0); b.byte(32); b.u64dec(18446744073709551615); b.byte(32); b.i64dec(-42); b.byte(32);
    b.fixed(3.14159, 2); b.byte(32); b.fixed(2.0, 2); b.byte(32); b.fixed(0.05, 1); b.byte(32); b.fixed(NaN);
    expect(text(b)).toBe("0 18446744073709551615 -42 3.14 2 0.1 0");
  });
  it("writes hex with a fixed width", () => {
    let b = new ByteBuf(4);
    b.hex(0xabc, 6);
    expect(text(b)).toBe("000abc");
  });
  it("formats RFC 3339 UTC with milliseconds, including leap days and pre-1970", () => {
    let b = new ByteBuf(4);
    b.rfc3339(1705329135123); b.byte(32);
    b.rfc3339(951782400000); b.byte(32);  // 2000-02-29
    b.rfc3339(-1);
    expect(text(b)).toBe("\"2024-01-15T14:32:15.123Z\" \"2000-02-29T00:00:00.000Z\" \"1969-12-31T23:59:59.999Z\"");
  });
  it("keeps the date right across calls on the same and on other days (the date prefix is cached)", () => {
    let b = new ByteBuf(4);
    b.rfc3339(1705329135123); b.byte(32);
    b.rfc3339(1705329135123 + 34 * 60000 + 44877); b.byte(32);   // same day, 15:07:00.000
    b.rfc3339(1705363200000); b.byte(32);                         // next midnight
    b.rfc3339(1705329135123 - 86400000);
    expect(text(b)).toBe("\"2024-01-15T14:32:15.123Z\" \"2024-01-15T15:07:00.000Z\" \"2024-01-16T00:00:00.000Z\" \"2024-01-14T14:32:15.123Z\"");
  });
});
