// Value checks shared by every config section (core, templates, detection), so one wording names
// the bad key everywhere: "<path>: expected a number, got string", "<path>: 3 is out of range [0, 1]".
import { JV, JV_NUM, JV_STR, JV_ARR, JV_BOOL } from "./json_value";

export function checkKind(v: JV, kind: u8, path: string): string | null {
  if (v.kind == kind) return null;
  let want = kind == JV_NUM ? "a number" : kind == JV_STR ? "a string" : kind == JV_ARR ? "an array" : kind == JV_BOOL ? "a boolean" : "an object";
  return path + ": expected " + want + ", got " + v.kindName();
}

export function checkNum(v: JV, path: string, min: f64, max: f64): string | null {
  let e = checkKind(v, JV_NUM, path);
  if (e !== null) return e;
  if (!(v.n >= min && v.n <= max)) return path + ": " + v.n.toString() + " is out of range [" + min.toString() + ", " + max.toString() + "]";
  return null;
}

/** An array of strings, appended to `out`. */
export function checkStrList(v: JV, path: string, out: string[]): string | null {
  let e = checkKind(v, JV_ARR, path);
  if (e !== null) return e;
  for (let i = 0; i < v.arr.length; i++) {
    let item = v.arr[i];
    if (item.kind != JV_STR) return path + "[" + i.toString() + "]: expected a string, got " + item.kindName();
    out.push(item.s);
  }
  return null;
}
