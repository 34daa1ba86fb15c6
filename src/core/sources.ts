// Input sources for replays: plain files (read straight into module memory), gzip files and stdin
// (streamed; gzip recognised by its magic bytes, whatever the name).
import { openSync, closeSync, readSync, fstatSync, createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Feeder } from './feeder.js';

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

function isGzip(head: Uint8Array, n: number): boolean {
  return n >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Replays one source through the feeder (feeder.end() included). `stop()` ends early. */
export async function feedSource(path: string, feeder: Feeder, progress?: FeedProgress, stop?: () => boolean): Promise<void> {
  if (path === '-') return feedStream(process.stdin, feeder, null, progress, stop);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    if (isGzip(head, n)) {
      closeSync(fd);
      const raw = createReadStream(path, { highWaterMark: 1 << 20 });
      await feedStream(raw, feeder, size, progress, stop, () => raw.bytesRead);
      return;
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
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    throw e;
  }
}

async function feedStream(input: Readable, feeder: Feeder, size: number | null, progress?: FeedProgress,
  stop?: () => boolean, consumed?: () => number): Promise<void> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  if (first.done) { feeder.end(); return; }
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
  try {
    for await (const chunk of body) {
      feeder.push(chunk);
      progress?.(consumed ? consumed() : seen, size);
      if (stop?.()) { input.destroy(); break; }
    }
  } catch (e) {
    throw new SourceError(`cannot read ${size === null ? 'stdin' : 'input'}: ${(e as Error).message}`);
  }
  feeder.end();
}
