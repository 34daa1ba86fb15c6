// Online clustering: merging, the rules that keep different messages apart, id stability,
// variable token counts, eviction with flat memory, and new_pattern events.
import { ByteBuf } from "../core/byte_buf";
import { LEVEL_ERROR } from "../core/levels";
import { minerTemplateId, minerWriteTemplate, minerCount, minerProcess } from "../miner/index";
import { mine, mined, fields, configure, eventsText, bufText, mem, LAST_LEN, T0 } from "./miner_util";

const TB = new ByteBuf(256);
function text(slot: i32): string {
  TB.reset();
  minerWriteTemplate(TB, slot);
  return bufText(TB);
}

describe("merging", () => {
  beforeEach(() => { configure(""); });

  it("a variable word turns into <*> and the id stays", () => {
    let a = mine("Invalid user webmaster from 173.234.31.186");
    let id = minerTemplateId(a);
    expect(text(a)).toBe("\"Invalid user webmaster from <*>\"");
    let b = mine("Invalid user test9 from 52.80.34.196");
    expect(b).toBe(a);
    expect(minerTemplateId(b)).toBe(id);
    expect(text(b)).toBe("\"Invalid user <*> from <*>\"");
    let c = mine("Invalid user chen from 10.0.0.1");
    expect(minerTemplateId(c)).toBe(id);
    // what minerProcess returns names the template: its slot and its id
    let r = mined("Invalid user dave from 10.0.0.2");
    expect(r.slot).toBe(a);
    expect(r.id).toBe(id);
    expect(r.isNew).toBe(false);
  });

  it("fields carry the id and the text, or only the id", () => {
    let a = mine("PacketResponder 1 for block blk_38865049064139660 terminating");
    let f = fields(a);
    expect(f.startsWith(",\"template_id\":\"")).toBe(true);
    expect(f.endsWith("\",\"template\":\"PacketResponder <*> for block blk_<*> terminating\"")).toBe(true);
    configure("{\"include_text\":false}");
    a = mine("PacketResponder 1 for block blk_38865049064139660 terminating");
    expect(fields(a).indexOf("template\"")).toBe(-1);
    expect(fields(a).length).toBe(33);
  });

  it("ids derive from the template text: same first text, same id on another instance", () => {
    let a = minerTemplateId(mine("Connection closed by 1.2.3.4 [preauth]"));
    configure("");
    let b = minerTemplateId(mine("Connection closed by 5.6.7.8 [preauth]"));
    expect(b).toBe(a);
  });

  it("first informative word differs: different messages", () => {
    let a = mine("Failed password for root from 1.2.3.4 port 22 ssh2");
    let b = mine("Accepted password for root from 1.2.3.4 port 22 ssh2");
    expect(b).not.toBe(a);
  });

  it("two different dictionary words at one position: different messages", () => {
    let a = mine("Block broadcast_9 stored as bytes in memory (estimated size 5.2 KB, free 5.2 KB)");
    let b = mine("Block broadcast_9 stored as values in memory (estimated size 5.2 KB, free 5.2 KB)");
    expect(b).not.toBe(a);
    let c = mine("session opened for user alice by (uid=0)");
    let d = mine("session opened for user bob2 by (uid=0)");
    expect(d).toBe(c);
  });

  it("short messages need more than one differing word", () => {
    let a = mine("cupsd startup succeeded");
    let b = mine("cupsd shutdown succeeded");
    expect(b).not.toBe(a);
    let c = mine("onStandStepChanged 3579");
    let d = mine("theDayChanged 1514044800216");
    expect(d).not.toBe(c);
  });

  it("a long-stable template takes one new variable at a time", () => {
    let a = -1;
    for (let i = 0; i < 20; i++) a = mine("10.0.0." + i.toString() + ":443 open through proxy proxy.example.com:5070 HTTPS");
    let b = mine("10.0.0.9:22 open through proxy socks.example.com:1080 SOCKS5");
    expect(b).not.toBe(a);
    let c = mine("www.example.org:443 open through proxy proxy.example.com:5070 HTTPS");
    expect(c).toBe(a);
  });

  it("optional masked tokens and variable-length values do not split a message", () => {
    let a = mine("[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 0 bytes sent, 0 bytes received, lifetime 00:01");
    let b = mine("[10.30 16:49:07] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 403 bytes sent, 426 bytes received, lifetime <1 sec");
    let c = mine("[10.30 16:49:08] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02");
    let d = mine("[10.30 16:51:56] svchost.exe *64 - proxy.cse.cuhk.edu.hk:5070 close, 303 bytes sent, 275 bytes received, lifetime <1 sec");
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d).toBe(a);
  });

  it("empty and blank bodies have no template", () => {
    expect(mine("")).toBe(-1);
    let r = mined("  \t ");
    expect(r.slot).toBe(-1);
    expect(r.id).toBe(0);
    expect(r.isNew).toBe(false);
  });
});

describe("new_pattern events", () => {
  beforeEach(() => { configure("{\"warmup_records\":3,\"warmup_seconds\":60}"); });

  it("not during warm-up (records and seconds)", () => {
    expect(mined("alpha one", T0).isNew).toBe(false);
    mine("beta two", T0 + 1000);
    mine("gamma three", T0 + 2000);
    expect(mined("delta four", T0 + 3000).isNew).toBe(false); // 4th record, but only 3 s into the stream
    expect(eventsText()).toBe("");
    expect(mined("epsilon five", T0 + 61000).isNew).toBe(true);
    let e = eventsText();
    expect(e.startsWith("{\"type\":\"new_pattern\",\"severity\":\"info\",\"stream\":\"app\",\"template_id\":\"")).toBe(true);
    expect(e.endsWith("\",\"template\":\"epsilon five\",\"description\":\"New log pattern: epsilon five\"}")).toBe(true);
  });

  it("a refined template is not new; an error-level new one is a warning", () => {
    for (let i = 0; i < 4; i++) mine("Invalid user alice from 10.0.0." + i.toString(), T0 + i);
    expect(mined("Invalid user bob from 10.0.0.9", T0 + 70000).isNew).toBe(false);
    expect(eventsText()).toBe("");
    expect(mined("Disk failure on volume data7", T0 + 71000, LEVEL_ERROR).isNew).toBe(true);
    expect(eventsText().indexOf("\"severity\":\"warning\"")).toBe(22);
  });

  it("warm-up is per stream", () => {
    for (let i = 0; i < 5; i++) mine("tick " + i.toString(), T0 + i * 30000, 2, "a");
    expect(mined("brand new message here", T0 + 200000, 2, "a").isNew).toBe(true);
    expect(mined("another new message there", T0 + 200000, 2, "b").isNew).toBe(false);
  });

  it("events can be switched off", () => {
    configure("{\"warmup_records\":0,\"warmup_seconds\":0,\"new_pattern_events\":false}");
    expect(mined("first message", T0).isNew).toBe(true);
    expect(eventsText()).toBe("");
  });
});

describe("bounds", () => {
  it("templates are capped (LRU) and memory stays flat on unique random lines", () => {
    configure("{\"max_templates\":64}");
    let seed: u32 = 12345;
    let pages0: i32 = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4000; i++) {
        let line = "";
        let words = 1 + <i32>(seed % 12);
        for (let w = 0; w < words; w++) {
          seed = seed * 1103515245 + 12345;
          let len = 3 + <i32>((seed >> 16) % 8);
          for (let k = 0; k < len; k++) {
            seed = seed * 1103515245 + 12345;
            line += String.fromCharCode(0x61 + <i32>((seed >> 16) % 26));
          }
          line += " ";
        }
        mine(line);
      }
      __collect();
      if (round == 0) pages0 = memory.size();
      expect(minerCount()).toBeLessThanOrEqual(64);
    }
    expect(memory.size()).toBe(pages0);
  });

  it("a popular template survives eviction of rare ones", () => {
    configure("{\"max_templates\":16}");
    let hot = mine("heartbeat ok from node7");
    let hotId = minerTemplateId(hot);
    for (let i = 0; i < 200; i++) {
      mine("rare message number " + i.toString() + " kind" + String.fromCharCode(0x61 + i % 26) + String.fromCharCode(0x61 + (i / 26) % 26) + " zz" + String.fromCharCode(0x61 + (i * 7) % 26));
      if (i % 8 == 0) mine("heartbeat ok from node7");
    }
    expect(minerTemplateId(mine("heartbeat ok from node7"))).toBe(hotId);
  });

  it("hostile input never traps", () => {
    configure("");
    // 1 MiB line, 100k tokens, NUL bytes, invalid UTF-8, very long token
    let big = heap.alloc(1 << 20);
    for (let i = 0; i < (1 << 20); i++) store<u8>(big + <usize>i, i % 2 == 0 ? 0x61 : 0x20);
    expect(minerProcess(big, 1 << 20, 2, T0, big, 1).slot).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < (1 << 20); i++) store<u8>(big + <usize>i, <u8>((i * 7919) & 0xFF));
    expect(minerProcess(big, 1 << 20, 2, T0, big, 0).slot).toBeGreaterThanOrEqual(-1);
    for (let i = 0; i < (1 << 20); i++) store<u8>(big + <usize>i, 0x31);
    expect(minerProcess(big, 1 << 20, 2, T0, big, 0).slot).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < (1 << 20); i++) store<u8>(big + <usize>i, i % 3 == 0 ? 0x3A : 0x66);
    expect(minerProcess(big, 1 << 20, 2, T0, big, 0).slot).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < (1 << 20); i++) store<u8>(big + <usize>i, i % 2 == 0 ? 0x2E : 0x61);
    store<u8>(big + 100, 0x40);
    expect(minerProcess(big, 1 << 20, 2, T0, big, 0).slot).toBeGreaterThanOrEqual(0);
    heap.free(big);
    let p = mem("a=\"unterminated value x=\"y\" \u0000\u0000 \xff\xfe 0x 0X -- :: // \\\\ <*> <*>");
    expect(minerProcess(p, LAST_LEN, 2, T0, p, 0).slot).toBeGreaterThanOrEqual(0);
  });
});
