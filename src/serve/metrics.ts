// A small Prometheus registry for `lad serve`: counters, gauges (fixed or read at scrape time) and
// histograms, written in the text exposition format 0.0.4. Label sets are bounded by the caller
// (event types and severities come from a fixed vocabulary; unknown ones are folded into "other").

type Labels = Record<string, string>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(l: Labels | undefined, extra?: [string, string]): string {
  const parts: string[] = [];
  if (l) for (const k of Object.keys(l)) parts.push(`${k}="${escapeLabel(l[k])}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

abstract class Metric {
  constructor(readonly name: string, readonly help: string, readonly type: string) {}
  abstract samples(): string[];
  render(): string {
    const s = this.samples();
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n${s.length ? s.join('\n') + '\n' : ''}`;
  }
}

export class Counter extends Metric {
  private values = new Map<string, { labels: Labels | undefined; v: number }>();
  constructor(name: string, help: string, private readonly labelNames: string[] = [], private readonly maxSeries = 200) {
    super(name, help, 'counter');
    if (!labelNames.length) this.values.set('', { labels: undefined, v: 0 });
  }
  inc(labels?: Labels, by = 1): void {
    const key = labels ? this.labelNames.map((n) => labels[n] ?? '').join('\0') : '';
    let e = this.values.get(key);
    if (!e) {
      if (this.values.size >= this.maxSeries) return; // bounded cardinality
      e = { labels: labels ? { ...labels } : undefined, v: 0 };
      this.values.set(key, e);
    }
    e.v += by;
  }
  get(labels?: Labels): number {
    const key = labels ? this.labelNames.map((n) => labels[n] ?? '').join('\0') : '';
    return this.values.get(key)?.v ?? 0;
  }
  total(): number {
    let t = 0;
    for (const e of this.values.values()) t += e.v;
    return t;
  }
  samples(): string[] {
    return [...this.values.values()].map((e) => `${this.name}${labelText(e.labels)} ${num(e.v)}`);
  }
}

/** A gauge (or a counter kept elsewhere) whose value(s) are read when scraped. */
export class Gauge extends Metric {
  constructor(name: string, help: string, private readonly read: () => number | [Labels, number][], type: 'gauge' | 'counter' = 'gauge') {
    super(name, help, type);
  }
  samples(): string[] {
    const v = this.read();
    if (typeof v === 'number') return [`${this.name} ${num(v)}`];
    return v.map(([l, x]) => `${this.name}${labelText(l)} ${num(x)}`);
  }
}

export class Histogram extends Metric {
  private counts: number[];
  private sum = 0;
  private count = 0;
  constructor(name: string, help: string, readonly buckets: number[]) {
    super(name, help, 'histogram');
    this.counts = new Array(buckets.length).fill(0);
  }
  observe(v: number, times = 1): void {
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) this.counts[i] += times;
    this.sum += v * times;
    this.count += times;
  }
  samples(): string[] {
    const out = this.buckets.map((b, i) => `${this.name}_bucket{le="${num(b)}"} ${this.counts[i]}`);
    out.push(`${this.name}_bucket{le="+Inf"} ${this.count}`);
    out.push(`${this.name}_sum ${num(this.sum)}`);
    out.push(`${this.name}_count ${this.count}`);
    return out;
  }
}

export class Registry {
  private metrics: Metric[] = [];
  add<T extends Metric>(m: T): T {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.push(m);
    return m;
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('');
  }
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
