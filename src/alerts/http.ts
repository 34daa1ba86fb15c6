/// <reference types="node" />
// One JSON POST with a whole-request deadline, on node:http(s) without keep-alive so no socket
// outlives the request (a CLI must be able to exit right after close()).
import * as http from 'node:http';
import * as https from 'node:https';

export interface PostResult {
  ok: boolean;
  status?: number;
  statusText?: string;
  /** short, control-character-free start of the response body (for the log) */
  bodySnippet?: string;
  /** network-level failure, e.g. 'timed out after 2000 ms', 'connection refused (ECONNREFUSED)' */
  error?: string;
  /** from a Retry-After header, if any */
  retryAfterMs?: number;
  /** transient failures are retried forever; permanent ones are dead-lettered after a few tries */
  transient: boolean;
}

const SNIPPET = 200;

function describeError(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  const map: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by peer',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed (temporary)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connect timed out',
    EPIPE: 'connection closed while sending',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS self-signed certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  };
  const what = map[code];
  if (what) return `${what} (${code})`;
  return code ? `${err.message} (${code})` : err.message;
}

function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

export function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  abort: AbortSignal,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: PostResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      abort.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const mod = url.protocol === 'https:' ? https : http;
    const payload = Buffer.from(body, 'utf8');
    let req: http.ClientRequest;
    try {
      req = mod.request(url, {
        method: 'POST',
        agent: false, // fresh connection, closed after the response
        headers: {
          'content-type': 'application/json',
          'user-agent': 'lad-alerts',
          ...headers,
          'content-length': String(payload.length),
          connection: 'close',
        },
      });
    } catch (e) {
      resolve({ ok: false, error: describeError(e as NodeJS.ErrnoException), transient: false });
      return;
    }
    const timer = setTimeout(() => {
      finish({ ok: false, error: `timed out after ${timeoutMs} ms`, transient: true });
      req.destroy();
    }, timeoutMs);
    const onAbort = (): void => {
      finish({ ok: false, error: 'aborted at shutdown deadline', transient: true });
      req.destroy();
    };
    if (abort.aborted) { onAbort(); return; }
    abort.addEventListener('abort', onAbort);
    req.on('error', (err) => finish({ ok: false, error: describeError(err), transient: true }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let got = 0;
      res.on('data', (c: Buffer) => {
        if (got < SNIPPET * 4) { chunks.push(c); got += c.length; }
      });
      res.on('error', (err) => finish({ ok: false, error: describeError(err), transient: true }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const snippet = Buffer.concat(chunks).toString('utf8').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, SNIPPET);
        // 408/425/429 and 5xx are worth retrying; other 4xx and 3xx need a config fix.
        const transient = status >= 500 || status === 408 || status === 425 || status === 429;
        finish({
          ok,
          status,
          statusText: res.statusMessage ?? '',
          bodySnippet: snippet || undefined,
          retryAfterMs: parseRetryAfter(res.headers['retry-after']),
          transient,
        });
      });
    });
    req.end(payload);
  });
}
