// Word-like values: quoted strings are values, and a position where one message takes many
// different dictionary words becomes <*>; message constants that name different events stay apart.
import { ByteBuf } from "../core/byte_buf";
import { minerTemplateId, minerWriteTemplate } from "../miner/index";
import { mine, configure, bufText } from "./miner_util";

const TB = new ByteBuf(256);
function text(slot: i32): string {
  TB.reset();
  minerWriteTemplate(TB, slot);
  return bufText(TB);
}

describe("quoted strings are values", () => {
  beforeEach(() => { configure(""); });

  it("one quoted word differs: one template, the word becomes <*>", () => {
    let a = mine("autocomplete \"watch\" 5 suggestions");
    let id = minerTemplateId(a);
    let b = mine("autocomplete \"lamp\" 3 suggestions");
    let c = mine("autocomplete \"desk\" 11 suggestions");
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(minerTemplateId(c)).toBe(id);
    expect(text(a)).toBe("\"autocomplete <*> <*> suggestions\"");
    let d = mine("query \"bike\" returned 45 hits in 226ms");
    let e = mine("query 'bag' returned 93 hits in 7ms");
    expect(e).toBe(d);
    expect(text(d)).toBe("\"query <*> returned <*> hits in <*>\"");
  });

  it("quoted strings of several words are one value, in either order", () => {
    let a = mine("query \"socks kettle\" timed out on shard 4, partial results");
    let b = mine("query \"bike socks\" timed out on shard 11, partial results");
    let c = mine("query \"bag\" timed out on shard 3, partial results");
    let d = mine("query \"red bike lamp\" timed out on shard 3, partial results");
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d).toBe(a);
    configure("");
    let e = mine("lookup \"bag\" failed on shard 3, retrying");
    let f = mine("lookup \"socks kettle\" failed on shard 4, retrying");
    expect(f).toBe(e);
    expect(text(e)).toBe("\"lookup <*> failed on shard <*> retrying\"");
  });

  it("quoted keys, request lines and quoted sentences stay text", () => {
    let a = mine("Information: onSleep, 'ExternalConnected': No, 'TimeRemaining': 0,");
    let b = mine("Information: onSleep, 'ExternalConnected': Yes, 'TimeRemaining': 0,");
    expect(b).not.toBe(a);
    let c = mine("10.11.10.1 \"GET /v2/servers/detail HTTP/1.1\" status: 200 len: 1893 time: 0.26");
    let d = mine("10.11.10.1 \"POST /v2/servers/detail HTTP/1.1\" status: 202 len: 733 time: 0.49");
    expect(d).not.toBe(c);
    let e = mine("fetch failed: Error Domain=NSURLErrorDomain Code=-1001 \"The request timed out.\" UserInfo=x");
    let f = mine("fetch failed: Error Domain=NSURLErrorDomain Code=-1009 \"The Internet connection appears to be offline.\" UserInfo=x");
    expect(f).not.toBe(e);
  });
});

describe("many words at one position", () => {
  beforeEach(() => { configure(""); });

  it("becomes <*> at the fifth distinct word; earlier words keep their templates", () => {
    let w = ["watch", "lamp", "desk", "chair", "table", "bottle", "kettle"];
    let s = new Array<i32>(w.length);
    for (let i = 0; i < w.length; i++) s[i] = mine("search for " + w[i] + " found 3 items");
    for (let i = 1; i < 4; i++) expect(s[i]).not.toBe(s[0]);
    expect(s[5]).toBe(s[4]);
    expect(s[6]).toBe(s[4]);
    expect(text(s[4])).toBe("\"search for <*> found <*> items\"");
    expect(mine("search for lamp found 9 items")).toBe(s[1]);
    expect(mine("search for sofa found 1 items")).toBe(s[4]);
  });

  it("a few distinct event words stay apart", () => {
    let a = mine("Connection closed by 1.2.3.4");
    let b = mine("Connection reset by 1.2.3.5");
    let c = mine("Connection refused by 1.2.3.6");
    expect(b).not.toBe(a);
    expect(c).not.toBe(a);
    expect(c).not.toBe(b);
    let st = ["Started", "Stopped", "Paused", "Resumed"];
    let v = new Array<i32>(4);
    for (let i = 0; i < 4; i++) v[i] = mine("[instance: 8f1c2a77-1d2b-4c8e-9a4f-0b6f3a2c9d10] VM " + st[i] + " (Lifecycle Event)");
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(v[j]).not.toBe(v[i]);
  });

  it("the first word and short messages are not pooled", () => {
    let w = ["startup", "shutdown", "restart", "reload", "rotate", "sync"];
    let s = new Array<i32>(w.length);
    for (let i = 0; i < w.length; i++) s[i] = mine("cupsd " + w[i] + " succeeded");
    for (let i = 1; i < w.length; i++) expect(s[i]).not.toBe(s[i - 1]);
    let f = ["Accepted", "Failed", "Rejected", "Postponed", "Ignored", "Dropped"];
    let t = new Array<i32>(f.length);
    for (let i = 0; i < f.length; i++) t[i] = mine(f[i] + " password for root from 1.2.3.4 port 22 ssh2");
    for (let i = 1; i < f.length; i++) expect(t[i]).not.toBe(t[i - 1]);
  });
});

describe("established templates", () => {
  beforeEach(() => { configure(""); });

  it("a plain token held by 300 records is a constant; masked values still refine", () => {
    let a = -1;
    for (let i = 0; i < 300; i++) a = mine("Session: 3057" + i.toString() + "_0 initialized by client WindowsUpdateAgent.");
    let b = mine("Session: 30571_1 initialized by client SPP.");
    expect(b).not.toBe(a);
    let c = mine("Session: 30572_9 initialized by client WindowsUpdateAgent.");
    expect(c).toBe(a);
    let d = -1;
    for (let i = 0; i < 300; i++) d = mine("proxy.example.com:5070 open through proxy proxy.example.com:5070 HTTPS");
    let e = mine("www.example.org:443 open through proxy proxy.example.com:5070 HTTPS");
    expect(e).toBe(d);
  });

  it("before that, one differing plain token still refines", () => {
    let a = -1;
    for (let i = 0; i < 20; i++) a = mine("Failed password for root from 10.0.0." + i.toString() + " port 22 ssh2");
    let b = mine("Failed password for ubnt from 10.0.0.99 port 22 ssh2");
    expect(b).toBe(a);
  });
});
