// The digit-blind message cache: a message that differs from a cached one only in its digits (and
// in the length of digit runs inside tokens of digits and punctuation) gets the tokenizer's shape;
// any other difference misses.
import { mem, LAST_LEN, configure } from "./miner_util";
import { tokenize, tokShape } from "../miner/tokenize";
import { digitKeyGet, digitKeyPut, digitKeyClear } from "../miner/digit_key";

/** Shape of s by the tokenizer (and stored under s's digit-blind key). */
function learn(s: string): u64 {
  let p = mem(s), n = LAST_LEN;
  digitKeyGet(p, n);
  tokenize(p, n, 64);
  digitKeyPut(tokShape, 0);
  return tokShape;
}

/** s's cached shape (0: a miss); a hit must equal the tokenizer's shape of s. */
function cached(s: string): u64 {
  let p = mem(s), n = LAST_LEN;
  let k = digitKeyGet(p, n);
  if (k != 0) {
    tokenize(p, n, 64);
    expect(k).toBe(tokShape, s);
  }
  return k;
}

describe("digit-blind key", () => {
  beforeAll(() => { configure(""); });
  beforeEach(() => { digitKeyClear(); });

  it("numbers, addresses and ports of any length share a key", () => {
    let s = learn("Accepted publickey for user7 from 10.1.2.3 port 4567 ssh2");
    expect(cached("Accepted publickey for user8 from 192.168.200.31 port 61234 ssh2")).toBe(s);
    expect(cached("request completed in 12ms")).toBe(0);
    let r = learn("request completed in 12ms");
    expect(cached("request completed in 98ms")).toBe(r);
  });
  it("digits inside words keep their count and their zeros", () => {
    learn("user12 logged in");
    expect(cached("user5 logged in")).toBe(0);       // one digit fewer in a word
    learn("mask 0x05 at 0x0b85eee0");
    expect(cached("mask 1x05 at 0x0b85eee0")).toBe(0); // "0x" needs its '0'
    expect(cached("mask 0x07 at 0x0b75eee0")).not.toBe(0);
  });
  it("letters, quotes, '=' and whitespace are kept", () => {
    learn("retry 3 of 5");
    expect(cached("retry 3 of 5 now")).toBe(0);
    expect(cached("retry 3  of 5")).toBe(0);
    learn("k=\"1 2 3\" x");
    expect(cached("k=\"4 567 8\" x")).not.toBe(0);
    expect(cached("k=\"45 6 7\" x")).toBe(0);      // '=' keeps the token's digit count
    expect(cached("k=3 x")).toBe(0);
    learn("took 5\" then");
    expect(cached("took 55\" then")).toBe(0);        // a token with a quote keeps its length
  });
});
