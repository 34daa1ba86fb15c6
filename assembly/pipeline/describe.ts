// lad_describe(): the module's contract in its own words, for hosts to ask instead of restating it:
// severities in their order, record levels in theirs, event types, input formats, the batch flags,
// the configuration table and the effective configuration.
import { ByteBuf } from "../core/byte_buf";
import { JV, JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR } from "../core/json_value";
import { CONFIG_KEYS, KT_ENUM, KT_NUM, KT_INT, OWNER_HOST, typeName as keyTypeName } from "../core/config_keys";
import { appliedConfig } from "./config_apply";
import { severityName, SEV_INFO, SEV_CRITICAL } from "../core/events";
import { levelName, LEVEL_TRACE, LEVEL_CRITICAL } from "../core/levels";
import { FORMAT_TEXT, FORMAT_ALIASES, formatName } from "../core/formats";
import { T_COUNT, typeName } from "../detect/state";

function strings(out: ByteBuf, key: string, first: bool): void {
  if (!first) out.byte(0x2C);
  out.byte(0x22); out.ascii(key); out.ascii("\":[");
}

function item(out: ByteBuf, s: string, first: bool): void {
  if (!first) out.byte(0x2C);
  out.byte(0x22); out.ascii(s); out.byte(0x22);
}

function text(out: ByteBuf, s: string): void {
  let b = String.UTF8.encode(s);
  out.jsonString(changetype<usize>(b), <usize>b.byteLength);
}

function number(out: ByteBuf, n: f64): void {
  if (n == Math.floor(n) && Math.abs(n) < 1e15) {
    if (n < 0) { out.byte(0x2D); out.u64dec(<u64>(-n)); } else out.u64dec(<u64>n);
  } else out.ascii(n.toString());
}

/** A parsed value back as JSON (objects do not occur among configured values but host sections). */
function value(out: ByteBuf, v: JV): void {
  if (v.kind == JV_NULL) out.ascii("null");
  else if (v.kind == JV_BOOL) out.ascii(v.b ? "true" : "false");
  else if (v.kind == JV_NUM) number(out, v.n);
  else if (v.kind == JV_STR) text(out, v.s);
  else if (v.kind == JV_ARR) {
    out.byte(0x5B);
    for (let i = 0; i < v.arr.length; i++) { if (i > 0) out.byte(0x2C); value(out, v.arr[i]); }
    out.byte(0x5D);
  } else {
    out.byte(0x7B);
    for (let i = 0; i < v.keys.length; i++) { if (i > 0) out.byte(0x2C); text(out, v.keys[i]); out.byte(0x3A); value(out, v.vals[i]); }
    out.byte(0x7D);
  }
}

/** The configured value of "section.key" in the applied document, or null. */
function configured(path: string): JV | null {
  let root = appliedConfig;
  if (root === null) return null;
  let dot = path.indexOf(".");
  let sec = root.get(dot < 0 ? path : path.substring(0, dot));
  if (sec === null || dot < 0) return sec;
  return sec.get(path.substring(dot + 1));
}

/** "config": the table; "effective": each key's value now (configured, else its default). */
function describeConfig(out: ByteBuf): void {
  out.ascii(",\"config\":[");
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    let k = CONFIG_KEYS[i];
    if (i > 0) out.byte(0x2C);
    out.ascii("{\"key\":"); text(out, k.path);
    out.ascii(",\"type\":\""); out.ascii(keyTypeName(k.type)); out.byte(0x22);
    if (k.type == KT_NUM || k.type == KT_INT) { out.ascii(",\"min\":"); number(out, k.min); out.ascii(",\"max\":"); number(out, k.max); }
    if (k.type == KT_ENUM) {
      out.ascii(",\"choices\":[");
      for (let j = 0; j < k.choices.length; j++) { if (j > 0) out.byte(0x2C); text(out, k.choices[j]); }
      out.byte(0x5D);
    }
    out.ascii(",\"default\":"); out.ascii(k.dflt);
    out.ascii(",\"owner\":\""); out.ascii(k.owner == OWNER_HOST ? "host" : "module");
    out.ascii("\",\"doc\":"); text(out, k.doc);
    out.byte(0x7D);
  }
  out.ascii("],\"effective\":{");
  for (let i = 0; i < CONFIG_KEYS.length; i++) {
    let k = CONFIG_KEYS[i];
    if (i > 0) out.byte(0x2C);
    text(out, k.path); out.byte(0x3A);
    let v = configured(k.path);
    if (v === null) out.ascii(k.dflt);
    else if (k.type == KT_INT) number(out, Math.floor(v.n)); // as the owners apply it
    else value(out, v);
  }
  out.byte(0x7D);
}

export function describe(out: ByteBuf, tagAll: u32, windows: u32): void {
  out.byte(0x7B);
  strings(out, "severities", true); // lowest first: an event's rank is its index
  for (let s = SEV_INFO; s <= SEV_CRITICAL; s++) item(out, severityName(s), s == SEV_INFO);
  out.byte(0x5D);
  strings(out, "levels", false); // lowest first: a level's number is its index
  for (let l = LEVEL_TRACE; l <= LEVEL_CRITICAL; l++) item(out, levelName(l), l == LEVEL_TRACE);
  out.byte(0x5D);
  strings(out, "event_types", false);
  for (let t = 0; t < T_COUNT; t++) item(out, typeName(t), t == 0);
  item(out, "resolved", false); // closes an alert episode (detect/emit.ts)
  out.byte(0x5D);
  strings(out, "input_formats", false);
  item(out, "auto", true);
  for (let i = 0; i < FORMAT_ALIASES.length; i++) item(out, FORMAT_ALIASES[i], false);
  for (let f: u8 = 0; f <= FORMAT_TEXT; f++) item(out, formatName(f), false);
  out.byte(0x5D);
  out.ascii(",\"batch_flags\":{\"tag_all\":"); out.u64dec(tagAll);
  out.ascii(",\"windows\":"); out.u64dec(windows);
  out.byte(0x7D);
  describeConfig(out);
  out.byte(0x7D);
}
