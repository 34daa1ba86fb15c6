// The configuration table (core/config_keys.ts) against the owners' defaults: applying every
// default the table states must leave each configuration exactly as a fresh one is. The owners'
// classes read their defaults from the table; this checks that reading (seconds to ms, names to
// values, integer parts) agrees with how the appliers read a configured value.
import { CONFIG_KEYS, OWNER_MODULE, configKey, checkSection } from "../core/config_keys";
import { Config, CFG } from "../core/config";
import { DetectConfig, DCFG } from "../detect/dconfig";
import { MinerConfig, MCFG } from "../miner/store";
import { MAX_TOKENS_HARD } from "../miner/tokenize";
import { applyConfig } from "../pipeline/config_apply";
import { parseJson } from "../core/json_value";

/** {"section":{"key":default,...},...} of every module-owned key with a default. */
function defaultsDocument(): string {
  let s = "{";
  let open = "";
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    let k = CONFIG_KEYS[i];
    if (k.owner != OWNER_MODULE || k.dflt == "null") continue;
    let dot = k.path.indexOf(".");
    let sec = k.path.substring(0, dot);
    if (sec != open) { s += (open.length > 0 ? "}," : "") + "\"" + sec + "\":{"; open = sec; }
    else s += ",";
    s += "\"" + k.path.substring(dot + 1) + "\":" + k.dflt;
  }
  return s + "}}";
}

function apply(json: string): string | null {
  let b = String.UTF8.encode(json);
  return applyConfig(changetype<usize>(b), <usize>b.byteLength);
}

function sameList(a: StaticArray<u8>[], b: StaticArray<u8>[], what: string): void {
  expect(a.length).toBe(b.length, what);
  for (let i = 0; i < a.length; i++) {
    expect(String.UTF8.decode(changetype<ArrayBuffer>(a[i]))).toBe(String.UTF8.decode(changetype<ArrayBuffer>(b[i])), what);
  }
}

describe("configuration table", () => {
  afterAll(() => { apply("{}"); });

  it("its defaults are the owners' defaults", () => {
    expect(apply(defaultsDocument())).toBeNull();
    let c = new Config();
    expect(CFG.threshold).toBe(c.threshold);
    expect(CFG.windowSize).toBe(c.windowSize);
    expect(CFG.minEvents).toBe(c.minEvents);
    expect(CFG.minSeverity).toBe(c.minSeverity);
    expect(CFG.timeSource).toBe(c.timeSource);
    expect(CFG.formatHint).toBe(c.formatHint);
    sameList(CFG.errorPatterns, c.errorPatterns, "error_patterns");
    sameList(CFG.ignorePatterns, c.ignorePatterns, "ignore_patterns");
    sameList(CFG.messageKeys, c.messageKeys, "message_keys");
    sameList(CFG.levelKeys, c.levelKeys, "level_keys");
    sameList(CFG.timeKeys, c.timeKeys, "time_keys");
    sameList([CFG.streamField, CFG.heartbeatTag, CFG.outputKey, CFG.outputKeyFallback], [c.streamField, c.heartbeatTag, c.outputKey, c.outputKeyFallback], "input and output keys");
    let d = new DetectConfig();
    expect(DCFG.lateAllowanceMs).toBe(d.lateAllowanceMs);
    expect(DCFG.warmupWindows).toBe(d.warmupWindows);
    expect(DCFG.cooldownWindows).toBe(d.cooldownWindows);
    expect(DCFG.resolveWindows).toBe(d.resolveWindows);
    expect(DCFG.adaptWindows).toBe(d.adaptWindows);
    expect(DCFG.maxStreams).toBe(d.maxStreams);
    expect(DCFG.templatesPerStream).toBe(d.templatesPerStream);
    expect(DCFG.minRatio).toBe(d.minRatio);
    expect(DCFG.errorRatio).toBe(d.errorRatio);
    expect(DCFG.patternRatio).toBe(d.patternRatio);
    expect(DCFG.alpha).toBe(d.alpha);
    expect(DCFG.noiseFloor).toBe(d.noiseFloor);
    expect(DCFG.newPatternCount).toBe(d.newPatternCount);
    expect(DCFG.newPatternWindows).toBe(d.newPatternWindows);
    expect(DCFG.gapWindows).toBe(d.gapWindows);
    expect(DCFG.exampleBytes).toBe(d.exampleBytes);
    expect(DCFG.seasonal && DCFG.rate && DCFG.errors && DCFG.patterns && DCFG.newPatterns && DCFG.baseline && DCFG.silence).toBe(
      d.seasonal && d.rate && d.errors && d.patterns && d.newPatterns && d.baseline && d.silence);
    let m = new MinerConfig();
    expect(MCFG.maxTemplates).toBe(m.maxTemplates);
    expect(MCFG.threshold).toBe(m.threshold);
    expect(MCFG.includeText).toBe(m.includeText);
    expect(MCFG.events).toBe(m.events);
    expect(MCFG.wordRule).toBe(m.wordRule);
    expect(MCFG.warmupRecords).toBe(m.warmupRecords);
    expect(MCFG.warmupSeconds).toBe(m.warmupSeconds);
    expect(MCFG.maxTokens).toBe(m.maxTokens);
  });

  it("max_tokens reaches the miner's hard limit and no further", () => {
    expect(configKey("templates", "max_tokens")!.max).toBe(<f64>MAX_TOKENS_HARD);
  });

  it("one wording for every section", () => {
    let v = parseJson(changetype<usize>(String.UTF8.encode("{\"window_size\":0}")), 17)!;
    expect(checkSection(v, "detection")).toBe("detection.window_size: 0.0 is out of range [1.0, 86400.0]");
    expect(apply("{\"state\":{\"interval_seconds\":\"x\"}}")).toBe("state.interval_seconds: expected a number, got string");
    expect(apply("{\"baseline\":{\"files\":[1]}}")).toBe("baseline.files[0]: expected a string, got number");
    expect(apply("{\"alerting\":{\"webhook_url\":5,\"nope\":1}}")).toBe("alerting.nope: unknown key");
    expect(apply("{\"formats\":{\"x\":\"(?P<a>.*)\"}}")).toBeNull();
  });
});
