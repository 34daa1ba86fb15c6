// Date math and every timestamp shape, including leap years, zone offsets and year-less stamps
// around New Year.
import {
  NO_TIME, daysFromCivil, yearOf, civilMs, parseIso, parseTimeString, parseSyslogStamp, parseClf,
  parseCtime, parseRfc2822, parseLeadingTime, yearless, dateless, epochMs, TS_END, isLeap
} from "../parse/timestamp";
import { parseDecimal, NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG, numInteger } from "../parse/number";
import { mem, LAST_LEN, iso, utc, HOST } from "./parse_util";

function ts(s: string, host: i64 = HOST): i64 {
  let p = mem(s);
  return parseTimeString(p, LAST_LEN, host);
}
function isoOf(s: string, host: i64 = HOST): string {
  let t = ts(s, host);
  return t == NO_TIME ? "none" : iso(t);
}
function lead(s: string, host: i64 = HOST): string {
  let p = mem(s);
  let t = parseLeadingTime(p, p + LAST_LEN, host);
  return t == NO_TIME ? "none" : iso(t) + "|" + (TS_END - p).toString();
}
function epochOf(s: string): string {
  let p = mem(s);
  if (!parseDecimal(p, LAST_LEN)) return "nan";
  let t = epochMs(NUM_MANT, NUM_EXP, NUM_DIGITS, NUM_NEG);
  return t == NO_TIME ? "none" : iso(t);
}

describe("date math", () => {
  it("counts days from the epoch across leap years and centuries", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(daysFromCivil(2024, 2, 29) - daysFromCivil(2024, 2, 28)).toBe(1);
    expect(daysFromCivil(2024, 3, 1) - daysFromCivil(2024, 2, 28)).toBe(2);
    expect(daysFromCivil(2023, 3, 1) - daysFromCivil(2023, 2, 28)).toBe(1);
    expect(daysFromCivil(2100, 3, 1) - daysFromCivil(2100, 2, 28)).toBe(1);
    expect(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28)).toBe(2);
  });
  it("knows leap years", () => {
    expect(isLeap(2024)).toBe(true);
    expect(isLeap(2023)).toBe(false);
    expect(isLeap(1900)).toBe(false);
    expect(isLeap(2000)).toBe(true);
  });
  it("validates civil fields", () => {
    expect(civilMs(2024, 2, 29, 0, 0, 0, 0)).toBe(utc(2024, 2, 29));
    expect(civilMs(2023, 2, 29, 0, 0, 0, 0)).toBe(NO_TIME);
    expect(civilMs(2024, 4, 31, 0, 0, 0, 0)).toBe(NO_TIME);
    expect(civilMs(2024, 13, 1, 0, 0, 0, 0)).toBe(NO_TIME);
    expect(civilMs(2024, 1, 1, 25, 0, 0, 0)).toBe(NO_TIME);
    expect(civilMs(2024, 1, 1, 12, 60, 0, 0)).toBe(NO_TIME);
    expect(civilMs(1969, 12, 31, 0, 0, 0, 0)).toBe(NO_TIME);
    // a leap second reads as the last millisecond of the minute
    expect(civilMs(2016, 12, 31, 23, 59, 60, 0)).toBe(utc(2016, 12, 31, 23, 59, 59, 999));
  });
  it("finds the year of a time", () => {
    expect(yearOf(utc(2024, 1, 1))).toBe(2024);
    expect(yearOf(utc(2023, 12, 31, 23, 59, 59, 999))).toBe(2023);
    expect(yearOf(utc(2024, 2, 29, 12))).toBe(2024);
    expect(yearOf(0)).toBe(1970);
  });
});

describe("RFC 3339 / ISO 8601", () => {
  it("parses Z, offsets and fractions", () => {
    expect(isoOf("2024-01-15T14:32:15Z")).toBe("2024-01-15T14:32:15.000Z");
    expect(isoOf("2024-01-15T14:32:15.123Z")).toBe("2024-01-15T14:32:15.123Z");
    expect(isoOf("2024-01-15T14:32:15.123456789Z")).toBe("2024-01-15T14:32:15.123Z");
    expect(isoOf("2024-01-15T14:32:15.1Z")).toBe("2024-01-15T14:32:15.100Z");
    expect(isoOf("2024-01-15T14:32:15+01:00")).toBe("2024-01-15T13:32:15.000Z");
    expect(isoOf("2024-01-15T14:32:15-05:30")).toBe("2024-01-15T20:02:15.000Z");
    expect(isoOf("2024-01-15T14:32:15+0100")).toBe("2024-01-15T13:32:15.000Z");
    expect(isoOf("2024-01-15T14:32:15+01")).toBe("2024-01-15T13:32:15.000Z");
    expect(isoOf("2024-01-15t14:32:15z")).toBe("2024-01-15T14:32:15.000Z");
  });
  it("crosses day, month and year boundaries with offsets", () => {
    expect(isoOf("2024-03-01T00:30:00+01:00")).toBe("2024-02-29T23:30:00.000Z");
    expect(isoOf("2023-12-31T23:30:00-01:00")).toBe("2024-01-01T00:30:00.000Z");
  });
  it("accepts a space or comma separated fraction and a naive time as UTC", () => {
    expect(isoOf("2024-01-15 14:32:15")).toBe("2024-01-15T14:32:15.000Z");
    expect(isoOf("2024-01-15 14:32:15,123")).toBe("2024-01-15T14:32:15.123Z");
    expect(isoOf("2024-01-15 14:32:15.123456 +0000 UTC")).toBe("2024-01-15T14:32:15.123Z");
    expect(isoOf("2024-01-15 14:32:15 UTC")).toBe("2024-01-15T14:32:15.000Z");
    expect(isoOf("2024/01/15 14:32:15")).toBe("2024-01-15T14:32:15.000Z");
    expect(isoOf("2024-01-15")).toBe("2024-01-15T00:00:00.000Z");
  });
  it("rejects impossible dates and junk", () => {
    expect(isoOf("2023-02-29T00:00:00Z")).toBe("none");
    expect(isoOf("2024-02-30T00:00:00Z")).toBe("none");
    expect(isoOf("2024-01-15T25:00:00Z")).toBe("none");
    expect(isoOf("2024-01-15T14:32:15Zjunk")).toBe("none");
    expect(isoOf("2024-1-15")).toBe("none");
    expect(isoOf("")).toBe("none");
    expect(isoOf("not a date")).toBe("none");
    expect(isoOf("2024-01-15T14:32:15+25:00")).toBe("none");
  });
  it("leaves TS_END after the zone", () => {
    let p = mem("2024-01-15T14:32:15.5+02:00 rest");
    expect(parseIso(p, p + LAST_LEN)).toBe(utc(2024, 1, 15, 12, 32, 15, 500));
    expect(TS_END - p).toBe(27);
  });
});

describe("epoch numbers", () => {
  it("decides seconds, milliseconds, micro- and nanoseconds by magnitude", () => {
    expect(epochOf("1705329135")).toBe("2024-01-15T14:32:15.000Z");
    expect(epochOf("1705329135.123")).toBe("2024-01-15T14:32:15.123Z");
    expect(epochOf("1705329135123")).toBe("2024-01-15T14:32:15.123Z");
    expect(epochOf("1705329135123456")).toBe("2024-01-15T14:32:15.123Z");
    expect(epochOf("1705329135123456789")).toBe("2024-01-15T14:32:15.123Z");
    expect(epochOf("1.705329135e9")).toBe("2024-01-15T14:32:15.000Z");
    expect(epochOf("0")).toBe("1970-01-01T00:00:00.000Z");
  });
  it("rejects negative, absurd and non-numeric values", () => {
    expect(epochOf("-5")).toBe("none");
    expect(epochOf("1e400")).toBe("none");
    expect(epochOf("123456789012345678901234")).toBe("none");
    expect(epochOf("12abc")).toBe("nan");
  });
  it("parses numeric strings as time values", () => {
    expect(isoOf("1705329135")).toBe("2024-01-15T14:32:15.000Z");
    expect(isoOf(" 1705329135123 ")).toBe("2024-01-15T14:32:15.123Z");
  });
  it("parses decimals exactly", () => {
    let p = mem("1705329135.123");
    expect(parseDecimal(p, LAST_LEN)).toBe(true);
    expect(NUM_MANT).toBe(1705329135123);
    expect(NUM_EXP).toBe(-3);
    p = mem("30");
    parseDecimal(p, LAST_LEN);
    expect(numInteger()).toBe(30);
    p = mem("1e400");
    expect(parseDecimal(p, LAST_LEN)).toBe(true);
    expect(numInteger()).toBe(i64.MIN_VALUE);
    p = mem("2.5");
    parseDecimal(p, LAST_LEN);
    expect(numInteger()).toBe(i64.MIN_VALUE);
  });
});

describe("year-less syslog stamps", () => {
  it("take the year from the host time", () => {
    let p = mem("Jan 15 14:32:15");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(utc(2024, 1, 15, 14, 32, 15));
    p = mem("Jan  5 01:02:03 host");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(utc(2024, 1, 5, 1, 2, 3));
    expect(TS_END - p).toBe(15);
  });
  it("go back a year when the stamp would be more than a day in the future", () => {
    // host: 2025-01-01T00:00:10Z; a line from Dec 31 belongs to 2024, not 2025
    let host = utc(2025, 1, 1, 0, 0, 10);
    let p = mem("Dec 31 23:59:59");
    expect(parseSyslogStamp(p, p + LAST_LEN, host)).toBe(utc(2024, 12, 31, 23, 59, 59));
    // host in mid-June: a December stamp is last December
    p = mem("Dec 24 10:00:00");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(utc(2023, 12, 24, 10));
  });
  it("go forward a year for a stamp just after New Year on a host slightly behind", () => {
    let host = utc(2024, 12, 31, 23, 59, 50);
    let p = mem("Jan  1 00:00:02");
    expect(parseSyslogStamp(p, p + LAST_LEN, host)).toBe(utc(2025, 1, 1, 0, 0, 2));
  });
  it("allow a stamp up to a day ahead of the host (clock skew, time zones)", () => {
    let host = utc(2024, 3, 10, 12);
    let p = mem("Mar 11 06:00:00");
    expect(parseSyslogStamp(p, p + LAST_LEN, host)).toBe(utc(2024, 3, 11, 6));
  });
  it("put Feb 29 in the last leap year", () => {
    expect(yearless(2, 29, 12, 0, 0, 0, utc(2025, 6, 1))).toBe(utc(2024, 2, 29, 12));
    expect(yearless(2, 29, 12, 0, 0, 0, utc(2024, 6, 1))).toBe(utc(2024, 2, 29, 12));
  });
  it("accept a year when given and reject bad stamps", () => {
    let p = mem("Jan 15 2023 14:32:15");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(utc(2023, 1, 15, 14, 32, 15));
    p = mem("Foo 15 14:32:15");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(NO_TIME);
    p = mem("Jan 32 14:32:15");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(NO_TIME);
    p = mem("Jan 15 24:32:15");
    expect(parseSyslogStamp(p, p + LAST_LEN, HOST)).toBe(NO_TIME);
  });
  it("time-of-day-only stamps take the nearest day", () => {
    expect(dateless(23, 59, 0, 0, utc(2024, 1, 2, 0, 1))).toBe(utc(2024, 1, 1, 23, 59));
    expect(dateless(0, 1, 0, 0, utc(2024, 1, 1, 23, 59))).toBe(utc(2024, 1, 2, 0, 1));
    expect(dateless(12, 0, 0, 0, utc(2024, 1, 1, 13))).toBe(utc(2024, 1, 1, 12));
  });
});

describe("web server and mail stamps", () => {
  it("parses Common Log Format with offsets", () => {
    let p = mem("10/Oct/2000:13:55:36 -0700");
    expect(parseClf(p, p + LAST_LEN)).toBe(utc(2000, 10, 10, 20, 55, 36));
    expect(isoOf("15/Jan/2024:14:32:15 +0000")).toBe("2024-01-15T14:32:15.000Z");
  });
  it("parses ctime (Apache error) with and without microseconds", () => {
    let p = mem("Wed Oct 11 14:32:52 2000");
    expect(parseCtime(p, p + LAST_LEN)).toBe(utc(2000, 10, 11, 14, 32, 52));
    p = mem("Wed Oct 11 14:32:52.123456 2000");
    expect(parseCtime(p, p + LAST_LEN)).toBe(utc(2000, 10, 11, 14, 32, 52, 123));
    p = mem("Thu Feb  1 01:02:03 2024");
    expect(parseCtime(p, p + LAST_LEN)).toBe(utc(2024, 2, 1, 1, 2, 3));
  });
  it("parses RFC 2822 dates", () => {
    let p = mem("Mon, 15 Jan 2024 14:32:15 +0100");
    expect(parseRfc2822(p, p + LAST_LEN)).toBe(utc(2024, 1, 15, 13, 32, 15));
    expect(isoOf("Mon, 15 Jan 2024 14:32:15 GMT")).toBe("2024-01-15T14:32:15.000Z");
  });
});

describe("leading times of application lines", () => {
  it("recognises the common shapes and where they end", () => {
    expect(lead("2024-01-15 14:32:15,123 INFO x")).toBe("2024-01-15T14:32:15.123Z|23");
    expect(lead("2024-01-15T14:32:15.123+01:00 x")).toBe("2024-01-15T13:32:15.123Z|29");
    expect(lead("081109 203615 148 INFO")).toBe("2008-11-09T20:36:15.000Z|13");
    expect(lead("17/06/09 20:10:40 INFO")).toBe("2017-06-09T20:10:40.000Z|17");
    expect(lead("20171223-22:15:29:606|x")).toBe("2017-12-23T22:15:29.606Z|21");
    expect(lead("20171224-0:0:0:234|x")).toBe("2017-12-24T00:00:00.234Z|18");
    expect(lead("2005-06-03-15.42.50.675872 R02")).toBe("2005-06-03T15:42:50.675Z|26");
    expect(lead("1117838570 2005.06.03")).toBe("2005-06-03T22:42:50.000Z|10");
    expect(lead("01/15/2024 14:32:15 x")).toBe("2024-01-15T14:32:15.000Z|19");
    expect(lead("15/01/2024 14:32:15 x")).toBe("2024-01-15T14:32:15.000Z|19");
    expect(lead("10.30 16:49:06] x")).toBe("2023-10-30T16:49:06.000Z|14");
    expect(lead("14:32:15.123 [main]")).toBe("2024-06-15T14:32:15.123Z|12");
    expect(lead("Jan 15 14:32:15 host")).toBe("2024-01-15T14:32:15.000Z|15");
  });
  it("does not take counters, ids or prose for times", () => {
    expect(lead("12345 items")).toBe("none");
    expect(lead("9999999999 x")).toBe("none");   // year 2286: outside 2000..2100
    expect(lead("123456 abc")).toBe("none");
    expect(lead("hello world")).toBe("none");
    expect(lead("3 users")).toBe("none");
  });
});

describe("ISO prefix memo", () => {
  it("gives what a fresh parse gives after the same 'YYYY-MM-DDTHH:MM:SS'", () => {
    // each pair: the first parse fills the memo, the second hits it with another tail
    expect(isoOf("2024-01-15T14:32:15.123Z")).toBe("2024-01-15T14:32:15.123Z");
    expect(isoOf("2024-01-15T14:32:15.9+02:00")).toBe("2024-01-15T12:32:15.900Z");
    expect(isoOf("2024-01-15T14:32:15")).toBe("2024-01-15T14:32:15.000Z");
    expect(isoOf("2024-01-15T14:32:155")).toBe(isoOf("2024-01-15 14:32:155")); // 3-digit seconds: date only
    expect(isoOf("2024-01-15T14:32:15,5 UTC")).toBe("2024-01-15T14:32:15.500Z");
    expect(isoOf("2024-06-30T23:59:60.5Z")).toBe("2024-06-30T23:59:59.999Z");  // leap second
    expect(isoOf("2024-06-30T23:59:60Z")).toBe("2024-06-30T23:59:59.999Z");
    expect(isoOf("2024-02-30T10:00:00Z")).toBe("none");
    expect(isoOf("2024-02-30T10:00:00.5Z")).toBe("none");
    expect(isoOf("2024-01-15T24:00:00Z")).toBe("2024-01-16T00:00:00.000Z");
    expect(isoOf("2024-01-15T24:00:00.5Z")).toBe("none");
    let p = mem("2024-01-15T14:32:15.25Z rest");
    let t = parseIso(p, p + LAST_LEN);
    expect(iso(t)).toBe("2024-01-15T14:32:15.250Z");
    expect(<i32>(TS_END - p)).toBe(23);
    p = mem("2024-01-15T14:32:15.25Z rest");
    t = parseIso(p, p + LAST_LEN);
    expect(<i32>(TS_END - p)).toBe(23);
  });
});
