import { REC } from "../core/record_view";
import { rec, line, body, msg, level, format, time } from "./parse_util";

describe("smoke", () => {
  it("json", () => {
    rec('{"level":"error","msg":"boom","time":"2024-01-15T14:32:15.123Z"}');
    expect(REC.isObject).toBe(true);
    expect(level()).toBe("error");
    expect(msg()).toBe("boom");
    expect(format()).toBe("json");
    expect(time()).toBe("2024-01-15T14:32:15.123Z");
  });
  it("syslog", () => {
    line("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    expect(format()).toBe("syslog-rfc3164");
    expect(level()).toBe("critical");
    expect(body()).toBe("'su root' failed for lonvick on /dev/pts/8");
    expect(time()).toBe("2023-10-11T22:14:15.000Z");
  });
});
