// A filler for a missing or hidden value (`****`, `??`) is another case than any value, and a first
// word that labels the line (`alice : ...`, a lone ':' after it) is a value, not a verb.
import { ByteBuf } from "../core/byte_buf";
import { minerWriteTemplate } from "../miner/index";
import { mine, configure, bufText, masked } from "./miner_util";

const TB = new ByteBuf(512);
function text(slot: i32): string {
  TB.reset();
  minerWriteTemplate(TB, slot);
  return bufText(TB);
}

describe("fillers", () => {
  beforeEach(() => { configure(""); });

  it("a filler stays text", () => {
    expect(masked("Fan speeds ( 3552 3534 3375 **** 3515 3479 )")).toBe("Fan speeds ( <*> **** <*> )");
  });

  it("a filler is not absorbed by a value, nor a value by a filler", () => {
    let a = mine("Fan speeds ( 3552 3534 3375 **** 3515 3479 )");
    let b = mine("Fan speeds ( 3552 3534 3375 4245 3515 3479 )");
    let c = mine("Fan speeds ( 3552 3534 3370 **** 3515 3470 )");
    expect(b).not.toBe(a);
    expect(c).toBe(a);
    expect(text(a)).toBe("\"Fan speeds ( <*> **** <*> )\"");
    expect(mine("Fan speeds ( 3552 3534 3375 4470 3515 3479 )")).toBe(b);
  });

  it("a filler against a value at one position is two messages", () => {
    let a = mine("battery level is ?? percent on unit 7 of rack A");
    let b = mine("battery level is 42 percent on unit 7 of rack A");
    expect(b).not.toBe(a);
  });
});

describe("labels", () => {
  beforeEach(() => { configure(""); });

  it("a first word followed by a lone ':' is a value", () => {
    let a = mine("alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt-get update");
    let b = mine("erin : TTY=pts/3 ; PWD=/home/erin ; USER=root ; COMMAND=/usr/bin/apt-get update");
    expect(b).toBe(a);
    expect(text(a)).toBe("\"<*> : TTY=<*> ; PWD=<*> ; USER=root ; COMMAND=<*> update\"");
  });

  it("other first words are still a message's verb", () => {
    let a = mine("Accepted password for root from 10.0.0.1 port 22 ssh2");
    let b = mine("Failed password for root from 10.0.0.1 port 22 ssh2");
    expect(b).not.toBe(a);
    let c = mine("alice: TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id");
    let d = mine("erin: TTY=pts/0 ; PWD=/home/erin ; USER=root ; COMMAND=/usr/bin/id");
    expect(d).not.toBe(c);
  });
});
