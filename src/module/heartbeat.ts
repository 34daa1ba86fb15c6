// The wall-clock heartbeat of `lad watch` and `lad serve`: once a second a record tagged
// input.heartbeat_tag (it only moves the module's event-time clock) so that quiet streams' windows
// close and their silences are reported while nothing logs, as Fluent Bit's `dummy` input does.
// Only once the input has shown itself live (the module clock came within 10 windows of the wall
// clock): a file of last year's lines followed from its start must not be declared silent by today.
import { Feeder, type BatchInfo } from './feeder.js';
import type { LadModule } from './module.js';

/** Opens once the module clock has come within 10 windows of the wall clock (the input is live). */
export class LiveGate {
  private live = false;
  constructor(private readonly mod: LadModule, private readonly windowMs: number) {}
  open(now: number): boolean {
    if (!this.live) {
      const clk = this.mod.stats().clock_ms;
      this.live = typeof clk === 'number' && now - clk <= 10 * this.windowMs;
    }
    return this.live;
  }
}

/** The heartbeat record at wall-clock time `now` (ms). */
export function heartbeatLine(now: number): Buffer {
  return Buffer.from(`{"time":"${new Date(now).toISOString()}","heartbeat":true}\n`);
}

export class Heartbeat {
  private readonly gate: LiveGate;
  private last = 0;
  private readonly feeder: Feeder;

  constructor(private readonly mod: LadModule, private readonly tag: string, windowMs: number,
    flags: number, onBatch: (b: BatchInfo) => void) {
    this.gate = new LiveGate(mod, windowMs);
    this.feeder = new Feeder(mod, { flags, batchBytes: 4096, onBatch });
  }

  /** Call often; beats at most once a second. Returns true when it beat. */
  maybeBeat(now = Date.now()): boolean {
    if (now - this.last < 1000 || !this.gate.open(now)) return false;
    this.last = now;
    this.mod.setTag(this.tag);
    this.feeder.push(heartbeatLine(now));
    this.feeder.flushLines();
    return true;
  }

  close(): void { this.feeder.close(); }
}

