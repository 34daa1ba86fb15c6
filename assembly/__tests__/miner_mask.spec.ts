// Tokeniser and built-in masks: what becomes <*> before any clustering.
import { masked, configure } from "./miner_util";

function m(input: string, want: string): void {
  expect(masked(input)).toBe(want, input);
}

describe("masking", () => {
  beforeAll(() => { configure(""); });

  it("numbers, signs, decimals, lists of numbers", () => {
    m("PacketResponder 1 for block blk_-6952295868487656571 terminating", "PacketResponder <*> for block blk_<*> terminating");
    m("took 0.2477829 s total", "took <*> total");
    m("REPORT : 7007 5002 150089 240", "REPORT : <*>");
    m("value -12 and +3 and <1 sec", "value <*> and <*> and <*>");
  });
  it("durations and sizes, also with a separate unit", () => {
    m("done in 12ms", "done in <*>");
    m("wrote 4KB to disk", "wrote <*> to disk");
    m("MemoryStore started with capacity 17.7 GB", "MemoryStore started with capacity <*>");
    m("close, 1190 bytes (1.16 KB) sent", "close, <*> sent");
  });
  it("hex, 0x, UUIDs", () => {
    m("iar 003a90fc dear 00b360e8", "iar <*> dear <*>");
    m("mask 0x05 at 0x0b85eee0", "mask <*> at <*>");
    m("[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started", "[instance: <*> VM Started");
    m("request 0bcdefab-cdef-abcd-efab-cdefabcdefab done", "request <*> done");
  });
  it("IPv4/IPv6 with ports, MAC addresses", () => {
    m("connect to 10.251.73.220:50010 failed", "connect to <*> failed");
    m("Received connection request /10.10.34.11:45307", "Received connection request <*>");
    m("from fe80::1 and [2001:db8::8a2e:370:7334]:443", "from <*> and <*>");
    m("chip FF:F2:9F:16:E2:23:00:0D:60:E9:1D:DC ok", "chip <*> ok");
    m("mac 00:1a:2b:3c:4d:5e up", "mac <*> up");
  });
  it("e-mail addresses, URLs, paths", () => {
    m("mail for john.doe@example.com queued", "mail for <*> queued");
    m("Input split: hdfs://10.10.34.11:9000/pjhe/logs/2kSOSP.log:21876+7292", "Input split: hdfs://<*>");
    m("GET https://example.com/a/b?c=1 done", "GET https://<*> done");
    m("Deleting block blk_1 file /mnt/hadoop/dfs/data/current/subdir19/blk_1", "Deleting block blk_<*> file <*>");
    m("loading C:\\Windows\\System32\\kernel32.dll now", "loading <*> now");
    m("ciod: Error loading /home/user/app.rts: invalid", "ciod: Error loading <*> invalid");
  });
  it("timestamps and dates inside messages", () => {
    m("connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005", "connection from <*> (<*>.bflony.adelphia.net) at <*>");
    m("started 2024-01-15 14:32:15,123 ok", "started <*> ok");
    m("at 2024-01-15T14:32:15.123Z x", "at <*> x");
  });
  it("key=value: values that look variable, quoted values as one mask", () => {
    m("logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4", "logname= uid=<*> euid=<*> tty=NODEVssh ruser= rhost=<*>");
    m("acquire lock=233570404, flags=0x1, tag=\"View Lock\", name=systemui", "acquire lock=<*>, flags=<*>, tag=<*>, name=systemui");
    m("user=root", "user=root");
  });
  it("identifiers made of digits and short letter groups become one mask", () => {
    m("R02-M1-N0-C:J12-U11 RAS KERNEL", "<*> RAS KERNEL");
    m("Failed password for root from 1.2.3.4 port 22 ssh2", "Failed password for root from <*> port <*> ssh<*>");
    m("node bglio716 down", "node bglio<*> down");
    m("[10.30 16:49:06] chrome.exe *64 - close", "<*> chrome.exe <*> - close");
  });
  it("repeated masked tokens collapse", () => {
    m("delete blk_1 blk_2 blk_3 now", "delete blk_<*> now");
  });
  it("whitespace, empty and odd bytes", () => {
    m("", "");
    m("   \t  ", "");
    m("a\tb  c", "a b c");
    m("x\u0000y 1", "x\u0000y <*>");
  });
});

describe("configurable masks and delimiters", () => {
  afterAll(() => { configure(""); });
  it("extra_masks are globs over whole tokens", () => {
    expect(configure("{\"extra_masks\":[\"job-*\",\"tenant?\"]}")).toBe("");
    m("run job-alpha for tenantA, ok", "run <*> for <*> ok");
  });
  it("extra_delimiters split tokens", () => {
    expect(configure("{\"extra_delimiters\":\"|;\"}")).toBe("");
    m("a|b;c d", "a b c d");
  });
  it("bad config names the key", () => {
    expect(configure("{\"extra_masks\":\"x\"}")).toBe("templates.extra_masks: expected an array, got string");
    expect(configure("{\"max_templates\":\"many\"}")).toBe("templates.max_templates: expected a number, got string");
    expect(configure("{\"similarity_threshold\":3}")).toBe("templates.similarity_threshold: 3.0 is out of range [0.1, 1.0]");
    expect(configure("{\"nope\":1}")).toBe("templates.nope: unknown key");
  });
});
