// lad_describe(): the module's contract in its own words, for hosts to ask instead of restating it:
// severities in their order, event types, input formats and the batch flags.
import { ByteBuf } from "../core/byte_buf";
import { severityName, SEV_INFO, SEV_CRITICAL } from "../core/events";
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

export function describe(out: ByteBuf, tagAll: u32, windows: u32): void {
  out.byte(0x7B);
  strings(out, "severities", true); // lowest first: an event's rank is its index
  for (let s = SEV_INFO; s <= SEV_CRITICAL; s++) item(out, severityName(s), s == SEV_INFO);
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
  out.ascii("}}");
}
