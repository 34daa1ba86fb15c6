// Shapes taken from real logs (tests/data/real-lines.tsv names the sources): a time anywhere in the
// head, levels in their known places, structured times, and the OOM / benign-keyword cases.
import { line, body, level, time } from "./parse_util";

function lt(s: string): string {
  line(s);
  return level() + " " + time();
}

describe("a time anywhere in the head of the line", () => {
  it("after a file name, a [pid], pid:role or Thread::LEVEL::", () => {
    expect(lt("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 WARNING nova.compute.manager [req-1 - - - - -] x"))
      .toBe("warning 2017-05-16T00:00:00.008Z");
    line("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38 113d 54fa - - -] 10.11.10.1 \"GET /v2 HTTP/1.1\" status: 200");
    expect(body()).toBe("10.11.10.1 \"GET /v2 HTTP/1.1\" status: 200");
    expect(lt("[1] 2019/02/06 07:20:08.508891 [DBG] 172.18.0.1:38630 - cid:1 - Client connection created")).toBe("debug 2019-02-06T07:20:08.508Z");
    expect(lt("98738:M 30 May 12:23:52.442 * Saving the final RDB snapshot before exiting.")).toBe("notice 2024-05-30T12:23:52.442Z");
    expect(lt("MainThread::ERROR::2011-12-05 07:04:56,300::vdsm::74::vds::(run) Traceback (most recent call last):")).toBe("error 2011-12-05T07:04:56.300Z");
    expect(lt("I, [2010-12-29T11:15:32.321744 #11479]  INFO -- : mcollectived:33 started")).toBe("info 2010-12-29T11:15:32.321Z");
  });
  it("epoch seconds as a field of their own, not as a value after ':'", () => {
    line("134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component is unavailable");
    expect(time()).toBe("2004-02-26T14:12:22.000Z");
    expect(body()).toBe("Component State Change: Component is unavailable");
    expect(lt("5092:signal-handler (1496141844) Received SIGINT scheduling shutdown...")).toBe("info 2017-05-30T10:57:24.000Z");
    line("onExtend:1514038530000 14 0 4");
    expect(body()).toBe("onExtend:1514038530000 14 0 4");
    expect(time()).toBe("2024-06-15T12:00:00.000Z");
  });
  it("after prose a bare date is a value in the message, not the event's time", () => {
    line("Generating report for 2019-01-01 as requested");
    expect(time()).toBe("2024-06-15T12:00:00.000Z");
  });
  it("after prose only the time is taken; the body stays whole", () => {
    line("Started POST \"/api/v3/internal/allowed\" for 127.0.0.1 at 2015-08-05 11:37:01 +0200");
    expect(time()).toBe("2015-08-05T09:37:01.000Z");
    expect(body()).toBe("Started POST \"/api/v3/internal/allowed\" for 127.0.0.1 at 2015-08-05 11:37:01 +0200");
  });
  it("more date shapes: dd-Mon-yyyy, dd-Mon, dd.mm.yyyy, glog, named zones", () => {
    expect(lt("17-Feb-2018 23:06:56.326 queries: info: client 172.26.0.1#12345")).toBe("info 2018-02-17T23:06:56.326Z");
    expect(lt("28-Aug 21:55 bacula-sd JobId 16: Job write elapsed")).toBe("info 2023-08-28T21:55:00.000Z");
    expect(lt("11.10.2018 10:39:30 - Process(9884.1) User(felix)")).toBe("info 2018-10-11T10:39:30.000Z");
    expect(lt("I20210131 14:48:54.411655 15520 main.c++:9] Hello world!")).toBe("info 2021-01-31T14:48:54.411Z");
    expect(lt("2017-07-31 13:39:16.249 CEST [5407] postgres@users FATAL:  database \"users\" does not exist")).toBe("critical 2017-07-31T11:39:16.249Z");
    expect(lt("2025-08-13 01:45:01.123 PDT [12345] LOG:  starting PostgreSQL")).toBe("info 2025-08-13T08:45:01.123Z");
  });
});

describe("levels in their known places", () => {
  it("one letter after the time and pid/tid (logcat, MongoDB)", () => {
    line("03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs");
    expect(level()).toBe("debug");
    expect(body()).toBe("printFreezingDisplayLogs");
    expect(lt("03-17 16:15:07.969  2626  2838 W OpenGLRenderer: Failed to choose config")).toBe("warning 2024-03-17T16:15:07.969Z");
    expect(lt("2015-02-24T18:17:47.148+0000 F -        [conn11] Got signal: 11 (Segmentation fault).")).toBe("critical 2015-02-24T18:17:47.148Z");
  });
  it("LEVEL/component, [Note], level= inside structured data, a level word after the syslog header", () => {
    expect(lt("[2017-04-04 13:43:09 +0200] debug/GraphiteWriter: Add to metric list")).toBe("debug 2017-04-04T11:43:09.000Z");
    expect(lt("2023-03-12T15:30:16.866015Z 4016575 [Note] Aborted connection (Got an error reading communication packets)")).toBe("notice 2023-03-12T15:30:16.866Z");
    expect(lt("2022-08-27T14:22:01.613Z space01.acme.entp NSX 3106 - [abc@6876 comp=\"abc-edge\" level=\"INFO\"] check {'timeout': 4}")).toBe("info 2022-08-27T14:22:01.613Z");
  });
  it("logrus' LEVL[0000], [TRACE], a level word after the syslog header", () => {
    line("DEBU[0000] no local config file found, using default");
    expect(level()).toBe("debug");
    expect(body()).toBe("no local config file found, using default");
    line("WARN[0003] image pull slow");
    expect(level()).toBe("warning");
    line("[TRACE] entering loop");
    expect(level()).toBe("trace");
    expect(lt("2024-03-12T08:00:05.100000+00:00 web-01 checkout[2231]: WARN slow query")).toBe("warning 2024-03-12T08:00:05.100Z");
  });
  it("the OOM killer is an error; exception support is not", () => {
    expect(lt("Mar 19 17:01:21 hermes kernel: smbd invoked oom-killer: gfp_mask=0x1201d2, order=0")).toBe("error 2024-03-19T17:01:21.000Z");
    expect(lt("Aug 14 23:00:02 testserver kernel: Out of memory: Killed process 2692 (systemd-udevd)")).toBe("error 2023-08-14T23:00:02.000Z");
    // a full disk in any program's wording around strerror(ENOSPC), with no level word
    expect(lt("2024-01-21 04:49:28.490 UTC [4627] ENOSPC: no space left on device, write '/var/lib/postgres/spool/9dfefd98.tmp'")).toBe("error 2024-01-21T04:49:28.490Z");
    expect(lt("Jul 27 14:41:58 combo kernel: Enabling unmasked SIMD FPU exception support... done.")).toBe("info 2023-07-27T14:41:58.000Z");
  });
});

describe("structured times and levels", () => {
  it("MongoDB {\"$date\"} and \"s\"", () => {
    expect(lt("{\"t\":{\"$date\":\"2022-07-05T13:13:20.632+03:00\"},\"s\":\"I\",\"c\":\"ACCESS\",\"msg\":\"Authentication failed\"}"))
      .toBe("info 2022-07-05T10:13:20.632Z");
    expect(lt("{\"t\":{\"$date\":\"2026-03-10T20:58:10.004+00:00\"},\"s\":\"W\",\"msg\":\"Detected unclean shutdown\"}"))
      .toBe("warning 2026-03-10T20:58:10.004Z");
  });
  it("log4j2 instant, journald __REALTIME_TIMESTAMP, OpenTelemetry, Serilog CLEF", () => {
    expect(lt("{\"instant\":{\"epochSecond\":1700000000,\"nanoOfSecond\":123456789},\"level\":\"WARN\",\"message\":\"x\"}"))
      .toBe("warning 2023-11-14T22:13:20.123Z");
    expect(lt("{\"__REALTIME_TIMESTAMP\":\"1534860261221373\",\"PRIORITY\":\"3\",\"MESSAGE\":\"x\"}")).toBe("error 2018-08-21T14:04:21.221Z");
    expect(lt("{\"timeUnixNano\":\"1700000003000000000\",\"severityNumber\":17,\"body\":\"db timeout\"}")).toBe("error 2023-11-14T22:13:23.000Z");
    expect(lt("{\"@t\":\"2024-01-02T03:04:05.678Z\",\"@l\":\"Warning\",\"@mt\":\"Disk {Free} low\"}")).toBe("warning 2024-01-02T03:04:05.678Z");
    expect(lt("{\"asctime\":\"2024-01-02 03:04:05,678\",\"levelname\":\"ERROR\",\"message\":\"x\"}")).toBe("error 2024-01-02T03:04:05.678Z");
  });
  it("a JSON record after docker compose's prefix", () => {
    expect(lt("caddy  | {\"level\":\"warn\",\"ts\":1761019822.3157542,\"msg\":\"Caddyfile input is not formatted\"}"))
      .toBe("warning 2025-10-21T04:10:22.315Z");
  });
});
