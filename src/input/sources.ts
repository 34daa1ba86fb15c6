// Input sources for replays: plain files (read straight into module memory), gzip files and stdin
// (streamed; gzip recognised by its magic bytes, whatever the name).
import { openSync, closeSync, readSync, fstatSync, createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Feeder } from '../module/feeder.js';

export class SourceError extends Error {}

export interface FeedProgress {
  /** Bytes of the source consumed so far (compressed bytes for gzip) and its size when known. */
  (consumed: number, size: number | null): void;
}

const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

/** Checks that a replay source can be read; throws SourceError with a one-line reason. */
export function checkSource(path: string): void {
  if (path === '-') return;
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceError(code === 'ENOENT' ? `no such file: '${path}'` : `cannot read '${path}': ${code}`);
  }
  if (st.isDirectory()) throw new SourceError(`'${path}' is a directory, not a log file`);
  try {
    closeSync(openSync(path, 'r'));
  } catch (e) {
    throw new SourceError(`cannot read '${path}': ${(e as NodeJS.ErrnoException).code}`);
  }
}

/** For a gzip file (by content): decompresses it once to check it is whole, so a truncated or
 *  corrupt one is a one-line error naming it before any analysis starts (costs one inflate pass,
 *  fast next to the analysis). Plain files and stdin are not checked. */
export async function checkGzip(path: string): Promise<void> {
  if (path === '-') return;
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(2);
  let n = 0;
  try { n = readSync(fd, head, 0, 2, 0); } finally { closeSync(fd); }
  if (!isGzip(head, n)) return;
  let out = 0;
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), createGunzip({ chunkSize: 1 << 20 }),
      new Writable({ write(chunk: Buffer, _enc, cb) { out += chunk.length; cb(); } }));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const what = err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message) ? 'truncated gzip data'
      : `corrupt gzip data (${err.message})`;
    throw new SourceError(`cannot read '${path}': ${what}, after ${out.toLocaleString('en-US')} bytes of text; nothing was analysed`);
  }
}

/** Bytes looked at to tell text from binary data. */
export const SNIFF_BYTES = 64 << 10;

/** Binary data, not log text: in the sample, NUL bytes make 1% or more, control characters (other
 *  than tab, newline, CR, form feed, escape) more than 10%, or those and bytes that are not valid
 *  UTF-8 more than 30%. A log with some NUL padding or Latin-1 text still counts as text. */
export function looksBinary(b: Uint8Array): boolean {
  const n = b.length;
  if (n === 0) return false;
  let nul = 0, odd = 0, ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) { nul++; continue; }
    if (c < 0x20) { if (c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) ctrl++; continue; }
    if (c < 0x80) continue;
    // a UTF-8 sequence: lead byte and continuation bytes
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0) { odd++; continue; }
    if (i + len > n) break; // cut at the sample's end
    let ok = true;
    for (let k = 1; k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) { ok = false; break; }
    if (ok) i += len - 1; else odd++;
  }
  return nul * 100 >= n || ctrl * 10 > n || (ctrl + odd) * 10 > 3 * n;
}

/** What a source was: fed, or skipped as binary data. */
export interface FeedResult { skipped?: 'binary'; size: number | null }

function isGzip(head: Uint8Array, n: number): boolean {
  return n >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Replays one source through the feeder (feeder.end() included). `stop()` ends early. Binary data
 *  (looksBinary on its first 64 KiB, after gunzip) is not fed: the result says it was skipped. */
export async function feedSource(path: string, feeder: Feeder, progress?: FeedProgress, stop?: () => boolean): Promise<FeedResult> {
  if (path === '-') return feedStream(process.stdin, feeder, null, progress, stop, undefined, 'stdin');
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, head, 0, SNIFF_BYTES, 0);
    if (isGzip(head, n)) {
      closeSync(fd);
      const raw = createReadStream(path, { highWaterMark: 1 << 20 });
      return await feedStream(raw, feeder, size, progress, stop, () => raw.bytesRead, `'${path}'`);
    }
    if (looksBinary(head.subarray(0, n))) {
      closeSync(fd);
      return { skipped: 'binary', size };
    }
    let pos = 0;
    for (;;) {
      const got = feeder.readFd(fd, pos, 8 << 20);
      if (got === 0) break;
      pos += got;
      progress?.(pos, size);
      if (stop?.()) break;
      await yieldLoop();
    }
    feeder.end();
    closeSync(fd);
    return { size };
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    throw e;
  }
}

async function feedStream(input: Readable, feeder: Feeder, size: number | null, progress?: FeedProgress,
  stop?: () => boolean, consumed?: () => number, name = 'input'): Promise<FeedResult> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  if (first.done) { feeder.end(); return { size }; }
  let seen = 0;
  const counted = (b: Buffer) => { seen += b.length; return b; };
  let body: AsyncIterable<Buffer>;
  if (isGzip(first.value, first.value.length)) {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    (async () => {
      try {
        gunzip.write(counted(first.value));
        for (let r = await it.next(); !r.done; r = await it.next()) {
          if (!gunzip.write(counted(r.value))) await new Promise((res) => gunzip.once('drain', res));
        }
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    body = gunzip;
  } else {
    body = (async function* () {
      yield counted(first.value);
      for (let r = await it.next(); !r.done; r = await it.next()) yield counted(r.value);
    })();
  }
  // The first 64 KiB (decompressed) decide whether this is text.
  let sniff: Buffer[] | null = [];
  let sniffed = 0;
  let out = 0;
  try {
    for await (const chunk of body) {
      if (sniff) {
        sniff.push(chunk);
        sniffed += chunk.length;
        if (sniffed < SNIFF_BYTES) continue;
        const head = Buffer.concat(sniff);
        sniff = null;
        if (looksBinary(head.subarray(0, SNIFF_BYTES))) { input.destroy(); return { skipped: 'binary', size }; }
        feeder.push(head);
        out += head.length;
      } else {
        feeder.push(chunk);
        out += chunk.length;
      }
      progress?.(consumed ? consumed() : seen, size);
      if (stop?.()) { input.destroy(); break; }
    }
  } catch (e) {
    const what = (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || /unexpected end/i.test((e as Error).message)
      ? 'truncated gzip data' : (e as Error).message;
    throw new SourceError(`cannot read ${name}: ${what} (after ${out.toLocaleString('en-US')} bytes of text)`);
  }
  if (sniff) {
    const head = Buffer.concat(sniff);
    if (looksBinary(head)) return { skipped: 'binary', size };
    feeder.push(head);
  }
  feeder.end();
  return { size };
}
