// key=value tokens: the value is the variable part, the key is message text. A value with anything
// variable in it is one mask, a path after a key is a value, a template's key=<*> takes any value of
// its key, an empty value is another case than a value, and two different keys are two fields.
import { ByteBuf } from "../core/byte_buf";
import { minerWriteTemplate } from "../miner/index";
import { mine, configure, bufText, masked } from "./miner_util";

const TB = new ByteBuf(512);
function text(slot: i32): string {
  TB.reset();
  minerWriteTemplate(TB, slot);
  return bufText(TB);
}

function m(input: string, want: string): void {
  expect(masked(input)).toBe(want, input);
}

describe("key=value masking", () => {
  beforeAll(() => { configure(""); });

  it("a path after key= or key: is the value", () => {
    m("alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt-get update",
      "alice : TTY=<*> ; PWD=<*> ; USER=root ; COMMAND=<*> update");
    m("copyFile source path:/var/log/x.log, dest path:/Library/Logs/y", "copyFile source path:<*>, dest path:<*>");
  });

  it("a value with anything variable in it is one mask", () => {
    m("from rhost=218.188.2.4 or rhost=n219076184117.netvigator.com or rhost=zummit.com", "from rhost=<*> or rhost=<*> or rhost=zummit.com");
    m("lock=233570404, name=systemui tty=:0", "lock=<*>, name=systemui tty=<*>");
  });
});

describe("key=value clustering", () => {
  beforeEach(() => { configure(""); });

  it("key=<*> takes any value of its key, also a plain one", () => {
    let a = mine("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4");
    let b = mine("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=zummit.com");
    let c = mine("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=massive.merukuru.org");
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(text(a)).toBe("\"authentication failure; logname= uid=<*> euid=<*> tty=NODEVssh ruser= rhost=<*>\"");
  });

  it("two plain values of one key refine to key=<*>, even in an established template", () => {
    let a = -1;
    for (let i = 0; i < 300; i++) a = mine("job " + i.toString() + " started as USER=root with QUEUE=batch");
    let b = mine("job 9 started as USER=postgres with QUEUE=batch");
    expect(b).toBe(a);
    expect(text(a)).toBe("\"job <*> started as USER=<*> with QUEUE=batch\"");
    expect(mine("job 10 started as USER=www with QUEUE=batch")).toBe(a);
    // two dictionary words as the values still name two messages
    let c = mine("job 11 started as USER=root with QUEUE=express");
    expect(c).not.toBe(a);
  });

  it("an empty value is another message than any value", () => {
    let a = mine("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4");
    mine("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=zummit.com");
    let b = mine("authentication failure; logname= uid=0 euid=0 tty=:0 ruser= rhost=");
    expect(b).not.toBe(a);
    expect(mine("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=10.0.0.1")).toBe(a);
  });

  it("two different keys at one position are two fields", () => {
    let a = mine("session opened for user cyrus by (uid=0)");
    let b = mine("session opened for user news by (uid=0)");
    let c = mine("session opened for user root by LOGIN(uid=0)");
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    let d = mine("[PhoneIntfMgr] getDataEnabled: subId=1 phoneId=1");
    let e = mine("[PhoneIntfMgr] getDataEnabled: subId=1 retVal=true");
    expect(e).not.toBe(d);
  });

  it("a word glued before one key on both sides is a value (the user), not another field", () => {
    let a = mine("pam_unix(sudo:session): session opened for user root by alice(uid=0)");
    let b = mine("pam_unix(sudo:session): session opened for user root by bob(uid=0)");
    expect(b).toBe(a);
  });
});
