// Snapshot / restore of learned templates, seeding, and the listing.
import { ByteBuf } from "../core/byte_buf";
import { minerSnapshot, minerRestore, minerTemplateId, minerCount, minerTemplatesJson } from "../miner/index";
import { mine, configure, mem, LAST_LEN, bufText, T0 } from "./miner_util";

const SNAP = new ByteBuf(4096);
const LINES: string[] = [
  "Invalid user webmaster from 173.234.31.186",
  "Invalid user test9 from 52.80.34.196",
  "Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]",
  "PacketResponder 1 for block blk_38865049064139660 terminating",
  "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4 user=root",
  "Caf\u00e9 cr\u00e8me served to \"guest\" \\ table 4",
];

function restoreText(s: string): bool {
  let p = mem(s);
  return minerRestore(p, LAST_LEN);
}

describe("snapshot", () => {
  beforeEach(() => { configure(""); });

  it("round trip keeps templates, ids, counts, and matching", () => {
    let ids = new Array<u64>();
    for (let i = 0; i < LINES.length; i++) ids.push(minerTemplateId(mine(LINES[i], T0 + i)));
    let n = minerCount();
    SNAP.reset();
    minerSnapshot(SNAP);
    let snap = bufText(SNAP);
    configure("");
    expect(minerCount()).toBe(0);
    expect(restoreText(snap)).toBe(true);
    expect(minerCount()).toBe(n);
    // a second snapshot is identical
    SNAP.reset();
    minerSnapshot(SNAP);
    expect(bufText(SNAP)).toBe(snap);
    // the same messages land on the same ids
    for (let i = 0; i < LINES.length; i++) expect(minerTemplateId(mine(LINES[i], T0 + 100 + i))).toBe(ids[i], LINES[i]);
    expect(minerTemplateId(mine("Invalid user oracle from 9.9.9.9"))).toBe(ids[0]);
    expect(minerCount()).toBe(n);
  });

  it("bad input is refused and the state stays", () => {
    mine(LINES[0]);
    let n = minerCount();
    expect(restoreText("")).toBe(false);
    expect(restoreText("{")).toBe(false);
    expect(restoreText("[]")).toBe(false);
    expect(restoreText("{\"templates\":5}")).toBe(false);
    expect(restoreText("{\"templates\":[{\"template\":5}]}")).toBe(false);
    expect(restoreText("{\"templates\":[{\"template\":\"a\",\"id\":\"xyz\"}]}")).toBe(false);
    expect(restoreText("{\"templates\":[{\"template\":\"a\"},7]}")).toBe(false);
    expect(minerCount()).toBe(n);
    let deep = "";
    for (let i = 0; i < 5000; i++) deep += "[";
    expect(restoreText(deep)).toBe(false);
    expect(minerCount()).toBe(n);
  });

  it("minimal documents load, at most max_templates of them", () => {
    configure("{\"max_templates\":16}");
    let doc = "{\"templates\":[";
    for (let i = 0; i < 40; i++) {
      if (i > 0) doc += ",";
      doc += "{\"template\":\"job " + String.fromCharCode(0x61 + i % 26) + String.fromCharCode(0x61 + i / 26) + " finished in <*>\"}";
    }
    doc += "]}";
    expect(restoreText(doc)).toBe(true);
    expect(minerCount()).toBe(16);
  });
});

describe("seeding and listing", () => {
  it("seed templates give fleet-wide ids; seed lines pre-learn", () => {
    configure("{\"seed_templates\":[\"Invalid user <*> from <*>\"],\"seed_lines\":[\"Connection closed by 1.2.3.4 [preauth]\"]}");
    expect(minerCount()).toBe(2);
    let a = minerTemplateId(mine("Invalid user alice from 10.0.0.1"));
    configure("{\"seed_templates\":[\"Invalid user <*> from <*>\"]}");
    let b = minerTemplateId(mine("Invalid user bob from 10.0.0.2"));
    expect(b).toBe(a);
  });

  it("templates JSON lists count, times and example", () => {
    configure("");
    mine("disk sda1 is 91% full", T0);
    mine("disk sdb2 is 95% full", T0 + 1000);
    let out = new ByteBuf(512);
    minerTemplatesJson(out);
    let s = bufText(out);
    expect(s.startsWith("[{\"template_id\":\"")).toBe(true);
    expect(s.indexOf("\"template\":\"disk <*> is <*> full\",\"count\":2,\"first_seen\":\"2024-06-15T12:00:00.000Z\",\"last_seen\":\"2024-06-15T12:00:01.000Z\",\"example\":\"disk sda1 is 91% full\",\"new\":false}]")).toBeGreaterThan(0);
  });
});
