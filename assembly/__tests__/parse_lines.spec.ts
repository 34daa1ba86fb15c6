// Raw line recognition through understandLine: format, level, event time, body and HTTP status for
// every supported shape, plus the fallbacks.
import { CFG, resetConfig } from "../core/config";
import { FORMAT_APACHE_ACCESS, FORMAT_TEXT } from "../core/formats";
import { line, body, msg, level, format, time, HOST, utc, iso } from "./parse_util";
import { RecordView } from "../core/record_view";

function expectLine(s: string, fmt: string, lvl: string, t: string, b: string): RecordView {
  let r = line(s);
  expect(format()).toBe(fmt, s);
  expect(level()).toBe(lvl, s);
  expect(time()).toBe(t, s);
  expect(body()).toBe(b, s);
  return r;
}

const HOST_ISO = "2024-06-15T12:00:00.000Z";

describe("syslog", () => {
  it("RFC 3164 with PRI: severity gives the level, tag is stripped", () => {
    expectLine("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      "syslog-rfc3164", "critical", "2023-10-11T22:14:15.000Z", "'su root' failed for lonvick on /dev/pts/8");
    expectLine("<14>Jan 15 14:32:15 web01 nginx[1234]: upstream ok",
      "syslog-rfc3164", "info", "2024-01-15T14:32:15.000Z", "upstream ok");
    expectLine("<11>Jan  5 01:02:03 host app: disk", "syslog-rfc3164", "error", "2024-01-05T01:02:03.000Z", "disk");
    expectLine("<15>Jun 15 11:00:00 host app: d", "syslog-rfc3164", "debug", "2024-06-15T11:00:00.000Z", "d");
    expectLine("<13>Jun 15 11:00:00 host app: n", "syslog-rfc3164", "notice", "2024-06-15T11:00:00.000Z", "n");
  });
  it("RFC 3164 without PRI (files): level from a leading word, else keywords", () => {
    expectLine("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
      "syslog-rfc3164", "info", "2023-12-10T06:55:46.000Z", "Invalid user webmaster from 173.234.31.186");
    expectLine("Jan 15 14:32:15 host app[1]: error: disk full", "syslog-rfc3164", "error", "2024-01-15T14:32:15.000Z", "error: disk full");
    expectLine("Jan 15 14:32:15 host app[1]: [WARN] slow", "syslog-rfc3164", "warning", "2024-01-15T14:32:15.000Z", "[WARN] slow");
    expectLine("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failed; logname=",
      "syslog-rfc3164", "error", "2024-06-14T15:16:01.000Z", "authentication failed; logname=");
    expectLine("Jun 14 04:09:11 combo syslogd 1.4.1: restart.", "syslog-rfc3164", "info", "2024-06-14T04:09:11.000Z", "restart.");
    // more than a day after the host time: last year's
    expectLine("Jun 19 04:09:11 combo app: x", "syslog-rfc3164", "info", "2023-06-19T04:09:11.000Z", "x");
    expectLine("Jan  5 01:02:03 host kernel: [12345.678] eth0: link up", "syslog-rfc3164", "info", "2024-01-05T01:02:03.000Z", "[12345.678] eth0: link up");
  });
  it("a level the message states beats the PRI and the keywords (klog letter, upper-case word, level=)", () => {
    expectLine("Jan 15 14:32:15 node1 kubelet[812]: W0115 14:32:15.123456     812 pod_workers.go:1298] Failed to sync pod",
      "syslog-rfc3164", "warning", "2024-01-15T14:32:15.000Z", "W0115 14:32:15.123456     812 pod_workers.go:1298] Failed to sync pod");
    expectLine("<30>Jan 15 14:32:15 node1 kubelet[812]: E0115 14:32:15.1 812 x.go:1] oops",
      "syslog-rfc3164", "error", "2024-01-15T14:32:15.000Z", "E0115 14:32:15.1 812 x.go:1] oops");
    expectLine("<30>Jan 15 14:32:15 host app[1]: ts=2024 level=warning msg=\"disk 91% full\"",
      "syslog-rfc3164", "warning", "2024-01-15T14:32:15.000Z", "ts=2024 level=warning msg=\"disk 91% full\"");
    expectLine("<30>Jan 15 14:32:15 host app[1]: WARN low memory", "syslog-rfc3164", "warning", "2024-01-15T14:32:15.000Z", "WARN low memory");
    expectLine("<30>1 2024-01-15T14:32:15Z host app 1 - - lvl=error boom", "syslog-rfc5424", "error", "2024-01-15T14:32:15.000Z", "lvl=error boom");
    // a lower-case word or a letter in prose is not a level; "severity=" must be a whole key
    expectLine("<30>Jan 15 14:32:15 host app[1]: warn users later", "syslog-rfc3164", "info", "2024-01-15T14:32:15.000Z", "warn users later");
    expectLine("<30>Jan 15 14:32:15 host app[1]: W0115 is a ticket", "syslog-rfc3164", "info", "2024-01-15T14:32:15.000Z", "W0115 is a ticket");
    expectLine("<30>Jan 15 14:32:15 host app[1]: xseverity=error y", "syslog-rfc3164", "info", "2024-01-15T14:32:15.000Z", "xseverity=error y");
  });
  it("RFC 3164 with an RFC 3339 time (rsyslog), with and without PRI", () => {
    expectLine("<11>2024-01-15T14:32:15.123+01:00 host app[9]: broken", "syslog-rfc3164", "error", "2024-01-15T13:32:15.123Z", "broken");
    expectLine("2024-01-15T14:32:15.123456+01:00 myhost sshd[123]: Accepted publickey for bob",
      "syslog-rfc3164", "info", "2024-01-15T13:32:15.123Z", "Accepted publickey for bob");
  });
  it("year-less stamps near New Year go to the right year", () => {
    line("Dec 31 23:59:58 host app: last of the year", utc(2025, 1, 1, 0, 0, 5));
    expect(time()).toBe("2024-12-31T23:59:58.000Z");
    line("Jan  1 00:00:01 host app: first of the year", utc(2024, 12, 31, 23, 59, 59));
    expect(time()).toBe("2025-01-01T00:00:01.000Z");
  });
  it("RFC 5424 with structured data, nil values and a BOM", () => {
    expectLine('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="App" eventID="1011"][x@1 a="b\\]c"] An application event',
      "syslog-rfc5424", "notice", "2003-10-11T22:14:15.003Z", "An application event");
    expectLine("<34>1 2003-10-11T22:14:15.003-07:00 host su - ID47 - \u{FEFF}'su root' failed",
      "syslog-rfc5424", "critical", "2003-10-12T05:14:15.003Z", "'su root' failed");
    expectLine("<13>1 - - - - - -", "syslog-rfc5424", "notice", HOST_ISO, "");
  });
  it("a bad PRI is not syslog", () => {
    line("<999>Jan 15 14:32:15 host app: x");
    expect(format()).toBe("text");
    line("<html> page");
    expect(format()).toBe("text");
  });
});

describe("web servers", () => {
  it("nginx combined access: status gives the level", () => {
    let r = expectLine('192.168.1.1 - - [15/Jan/2024:14:32:15 +0000] "GET /api/users?id=5 HTTP/1.1" 200 612 "-" "curl/7.68.0"',
      "nginx-access", "info", "2024-01-15T14:32:15.000Z", '"GET /api/users?id=5 HTTP/1.1" 200');
    expect(r.httpStatus).toBe(200);
    expectLine('10.0.0.5 - bob [15/Jan/2024:14:32:15 +0100] "POST /login HTTP/1.1" 503 0 "-" "Mozilla/5.0" "1.2.3.4"',
      "nginx-access", "error", "2024-01-15T13:32:15.000Z", '"POST /login HTTP/1.1" 503');
    expectLine('10.0.0.5 - - [15/Jan/2024:14:32:15 +0000] "GET /x HTTP/1.1" 404 12 "-" "ua with \\"quote\\""',
      "nginx-access", "warning", "2024-01-15T14:32:15.000Z", '"GET /x HTTP/1.1" 404');
  });
  it("Apache common, vhost and '-' bytes are apache-access", () => {
    expectLine('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      "apache-access", "info", "2000-10-10T20:55:36.000Z", '"GET /apache_pb.gif HTTP/1.0" 200');
    expectLine('::1 - - [15/Jan/2024:14:32:15 +0000] "GET / HTTP/1.1" 304 -',
      "apache-access", "info", "2024-01-15T14:32:15.000Z", '"GET / HTTP/1.1" 304');
    expectLine('www.example.com:80 1.2.3.4 - - [15/Jan/2024:14:32:15 +0000] "GET / HTTP/1.1" 500 10 "-" "x"',
      "apache-access", "error", "2024-01-15T14:32:15.000Z", '"GET / HTTP/1.1" 500');
  });
  it("the format hint decides ambiguous combined lines", () => {
    CFG.formatHint = FORMAT_APACHE_ACCESS;
    line('192.168.1.1 - - [15/Jan/2024:14:32:15 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/7.68.0"');
    expect(format()).toBe("apache-access");
    CFG.formatHint = 255;
  });
  it("nginx error log", () => {
    expectLine('2024/01/15 14:32:15 [error] 123#0: *5 open() "/usr/share/nginx/html/x.ico" failed (2: No such file or directory), client: 1.2.3.4',
      "nginx-error", "error", "2024-01-15T14:32:15.000Z", 'open() "/usr/share/nginx/html/x.ico" failed (2: No such file or directory), client: 1.2.3.4');
    expectLine("2024/01/15 14:32:15 [notice] 1#1: start worker processes", "nginx-error", "notice", "2024-01-15T14:32:15.000Z", "start worker processes");
    expectLine("2024/01/15 14:32:15 [warn] 7#7: slow", "nginx-error", "warning", "2024-01-15T14:32:15.000Z", "slow");
    expectLine("2024/01/15 14:32:15 [emerg] 7#7: bind() failed", "nginx-error", "critical", "2024-01-15T14:32:15.000Z", "bind() failed");
  });
  it("Apache error log 2.2 and 2.4", () => {
    expectLine("[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home",
      "apache-error", "error", "2000-10-11T14:32:52.000Z", "client denied by server configuration: /export/home");
    expectLine("[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] [client 1.2.3.4:5678] AH00128: File does not exist: /var/www/x",
      "apache-error", "error", "2000-10-11T14:32:52.123Z", "AH00128: File does not exist: /var/www/x");
    expectLine("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
      "apache-error", "notice", "2005-12-04T04:47:44.000Z", "workerEnv.init() ok /etc/httpd/conf/workers2.properties");
    expectLine("[Thu Jan 15 14:32:15.000001 2024] [mpm_event:trace4] [pid 9] x", "apache-error", "trace", "2024-01-15T14:32:15.000Z", "x");
  });
});

describe("application lines", () => {
  it("log4j / logback / Spring Boot", () => {
    expectLine("2024-01-15 14:32:15.123  INFO 1234 --- [           main] c.e.demo.DemoApplication                 : Started DemoApplication in 2.5 seconds",
      "app", "info", "2024-01-15T14:32:15.123Z", "Started DemoApplication in 2.5 seconds");
    expectLine("2024-01-15T14:32:15.123+01:00  WARN 1234 --- [myapp] [nio-8080-exec-1] o.s.web.servlet.PageNotFound : No mapping for GET /x",
      "app", "warning", "2024-01-15T13:32:15.123Z", "No mapping for GET /x");
    expectLine("2024-01-15 14:32:15,123 ERROR [main] com.example.App - Something failed", "app", "error", "2024-01-15T14:32:15.123Z", "Something failed");
    expectLine("2024-01-15 14:32:15,123 [main] INFO  com.example.App - started", "app", "info", "2024-01-15T14:32:15.123Z", "started");
    expectLine("14:32:15.123 [main] DEBUG c.e.App - debug message", "app", "debug", "2024-06-15T14:32:15.123Z", "debug message");
    expectLine("[2024-01-15T14:32:15,123][INFO ][o.e.n.Node               ] [node-1] started", "app", "info", "2024-01-15T14:32:15.123Z", "started");
    expectLine("INFO  [main] c.e.App - started", "app", "info", HOST_ISO, "started");
  });
  it("Python logging, including LEVEL:logger:message without a time", () => {
    expectLine("2024-01-15 14:32:15,123 - myapp.module - WARNING - disk almost full", "app", "warning", "2024-01-15T14:32:15.123Z", "disk almost full");
    expectLine("2024-01-15 14:32:15,123 - myapp - ERROR - boom", "app", "error", "2024-01-15T14:32:15.123Z", "boom");
    expectLine("ERROR:root:something bad happened", "app", "error", HOST_ISO, "something bad happened");
    expectLine("WARNING:urllib3.connectionpool:Retrying", "app", "warning", HOST_ISO, "Retrying");
    expectLine("CRITICAL:app:down", "app", "critical", HOST_ISO, "down");
  });
  it("other common layouts", () => {
    expectLine("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
      "app", "info", "2008-11-09T20:36:15.000Z", "PacketResponder 1 for block blk_38865049064139660 terminating");
    expectLine("17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]",
      "app", "info", "2017-06-09T20:10:40.000Z", "Registered signal handlers for [TERM, HUP, INT]");
    expectLine("2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200",
      "app", "warning", "2015-07-29T17:41:44.747Z", "Notification time out: 3200");
    expectLine("20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579", "app", "info", "2017-12-23T22:15:29.606Z", "onStandStepChanged 3579");
    expectLine("[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS",
      "app", "info", "2023-10-30T16:49:06.000Z", "proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS");
    expectLine("- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
      "app", "info", "2005-06-03T22:42:50.000Z", "instruction cache parity error corrected");
    expectLine("KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt",
      "app", "critical", "2005-06-12T00:32:07.000Z", "data TLB error interrupt");
    expectLine("[2024-01-15 14:32:15] production.ERROR: Undefined variable", "app", "error", "2024-01-15T14:32:15.000Z", "Undefined variable");
    expectLine("[INFO] Building jar", "app", "info", HOST_ISO, "Building jar");
    expectLine("Error: cannot find module 'x'", "app", "error", HOST_ISO, "cannot find module 'x'");
  });
  it("a timed line without a level word keeps its words as the body", () => {
    expectLine("2024-01-15 14:32:15 3 users logged in", "app", "info", "2024-01-15T14:32:15.000Z", "3 users logged in");
    expectLine("2024-01-15 14:32:15 Connection refused by peer", "app", "error", "2024-01-15T14:32:15.000Z", "Connection refused by peer");
  });
  it("a time followed by logfmt is logfmt", () => {
    expectLine('2024-01-15T14:32:15Z level=warn msg="slow query" ms=950', "logfmt", "warning", "2024-01-15T14:32:15.000Z", "slow query");
  });
});

describe("logfmt", () => {
  it("level, time and msg keys, with abbreviations", () => {
    expectLine('level=info ts=2024-01-15T14:32:15.123Z caller=main.go:12 msg="server started" port=8080',
      "logfmt", "info", "2024-01-15T14:32:15.123Z", "server started");
    expectLine('time="2024-01-15T14:32:15Z" level=eror msg="connection refused"', "logfmt", "error", "2024-01-15T14:32:15.000Z", "connection refused");
    expectLine('t=2024-01-15T14:32:15+0000 lvl=dbug msg="query" id=3', "logfmt", "debug", "2024-01-15T14:32:15.000Z", "query");
    expectLine("lvl=crit msg=down", "logfmt", "critical", HOST_ISO, "down");
    expectLine("ts=1705329135.5 level=warn", "logfmt", "warning", "2024-01-15T14:32:15.500Z", "ts=1705329135.5 level=warn");
    expectLine('level=error msg="quoted \\"inner\\" text" err="x"', "logfmt", "error", HOST_ISO, 'quoted \\"inner\\" text');
  });
  it("a stray key=value in prose is not logfmt", () => {
    line("user=bob logged in from the office today");
    expect(format()).toBe("text");
  });
});

describe("kubernetes shapes", () => {
  it("klog header: letter gives the level, year from the host", () => {
    expectLine("E0310 14:32:15.123456    1234 controller.go:123] Failed to sync pod default/web", "klog", "error", "2024-03-10T14:32:15.123Z", "Failed to sync pod default/web");
    expectLine("I0115 14:32:15.123456       1 main.go:45] Starting", "klog", "info", "2024-01-15T14:32:15.123Z", "Starting");
    expectLine("W1231 23:59:59.999999 1 x.go:1] late", "klog", "warning", "2023-12-31T23:59:59.999Z", "late");
    expectLine("F0615 11:00:00.000000 1 x.go:1] fatal", "klog", "critical", "2024-06-15T11:00:00.000Z", "fatal");
  });
  it("CRI: the prefix is stripped and the inner line recognised; stderr is not an error", () => {
    expectLine("2024-01-15T14:32:15.123456789Z stdout F 2024-01-15 14:32:15,123 ERROR [main] c.e.App - boom",
      "cri", "error", "2024-01-15T14:32:15.123Z", "boom");
    expectLine("2024-01-15T14:32:15.123456789Z stderr F plain message on stderr", "cri", "info", "2024-01-15T14:32:15.123Z", "plain message on stderr");
    expectLine("2024-01-15T14:32:15.123456789Z stdout P partial line", "cri", "info", "2024-01-15T14:32:15.123Z", "partial line");
    expectLine('2024-01-15T14:32:15.1Z stdout F level=warn msg="x y"', "cri", "warning", "2024-01-15T14:32:15.100Z", "x y");
    expectLine("2024-01-15T14:32:15.1Z stdout F ", "cri", "info", "2024-01-15T14:32:15.100Z", "");
    expectLine('2024-01-15T14:32:15.1Z stderr F {"level":"error","msg":"json payload"}', "cri", "error", "2024-01-15T14:32:15.100Z", "json payload");
  });
});

describe("fallbacks", () => {
  it("plain text: keywords at word starts, else info; body is the whole trimmed line", () => {
    expectLine("just some text with an Exception in it", "text", "error", HOST_ISO, "just some text with an Exception in it");
    expectLine("  NullPointerException at foo\r\n", "text", "error", HOST_ISO, "NullPointerException at foo");
    expectLine("the terrorist attack", "text", "info", HOST_ISO, "the terrorist attack");
    expectLine("", "text", "info", HOST_ISO, "");
  });
  it("the message of a raw line is the line as given", () => {
    let r = line("abc\n");
    expect(msg()).toBe("abc\n");
    expect(r.isObject).toBe(false);
  });
  it("the FORMAT_TEXT hint switches recognition off", () => {
    CFG.formatHint = FORMAT_TEXT;
    line("<34>Oct 11 22:14:15 mymachine su: x");
    expect(format()).toBe("text");
    CFG.formatHint = 255;
  });
  it("configured error patterns are used", () => {
    let saved = CFG.errorPatterns;
    CFG.errorPatterns = [];
    line("Exception everywhere");
    expect(level()).toBe("info");
    CFG.errorPatterns = saved;
    line("Exception everywhere");
    expect(level()).toBe("error");
  });
  it("never traps on binary garbage, NUL bytes or long token runs", () => {
    let p = heap.alloc(4096);
    for (let i = 0; i < 4096; i++) store<u8>(p + <usize>i, <u8>((i * 7919 + 13) & 0xFF));
    for (let off = 0; off < 64; off++) {
      understandLineAt(p + <usize>off, 4096 - <usize>off);
    }
    heap.free(p);
    line("a ".repeat(100000));
    expect(format()).toBe("text");
    line("2024-01-15 14:32:15 " + "[".repeat(5000) + " INFO x");
    expect(format()).toBe("app");
  });
});

import { understandLine } from "../parse/record";
function understandLineAt(p: usize, n: usize): void {
  let r = understandLine(p, n, HOST);
  expect(r.bodyLen <= n).toBe(true);
}
