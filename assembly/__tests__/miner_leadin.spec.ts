// Message words that name the event: a dictionary word given as a key:value value (true/false,
// on/off) and the first word after a bracketed or masked lead-in are message text, not values.
import { mine, configure } from "./miner_util";

describe("values after a colon", () => {
  beforeEach(() => { configure(""); });

  it("two dictionary words as key:value values are two messages", () => {
    let a = mine("updateClipping isOverlap:false, getTopPadding=333.0, Translation=-24.0");
    let b = mine("updateClipping isOverlap:true, getTopPadding=333.0, Translation=-529.0");
    expect(b).not.toBe(a);
    expect(mine("updateClipping isOverlap:false, getTopPadding=120.0, Translation=-8.0")).toBe(a);
  });

  it("other values after a colon still refine", () => {
    let a = mine("lookup done in table:usrqx rows 5 from shard 3 of cluster main");
    let b = mine("lookup done in table:grpzk rows 9 from shard 4 of cluster main");
    expect(b).toBe(a);
  });
});

describe("the first word after a lead-in", () => {
  beforeEach(() => { configure(""); });

  it("is the message's verb: a bracketed or masked lead-in does not count as the first word", () => {
    let a = mine("[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] disk limit not specified, defaulting to unlimited");
    let b = mine("[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] vcpu limit not specified, defaulting to unlimited");
    expect(b).not.toBe(a);
    let c = mine("[instance: 0b6f3a2c-1d2b-4c8e-9a4f-8f1c2a779d10] disk limit not specified, defaulting to unlimited");
    expect(c).toBe(a);
  });

  it("later words still refine", () => {
    let a = mine("[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] Attempting claim: memory 2048 MB, disk 20 GB, vcpus 1 CPU on node cmp");
    let b = mine("[instance: 0b6f3a2c-1d2b-4c8e-9a4f-8f1c2a779d10] Attempting claim: memory 512 MB, disk 10 GB, vcpus 2 CPU on node xqz");
    expect(b).toBe(a);
  });
});
