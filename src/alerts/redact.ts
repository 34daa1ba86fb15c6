// Secrets in sink URLs (userinfo, query strings, tokens in paths) and headers must never reach a log.

const MASK = '***';

function isSlackHost(host: string): boolean {
  return host === 'hooks.slack.com' || host.endsWith('.slack.com');
}

/** Path segments after which every segment is a credential: Slack `/services/T../B../token`
 *  (on any host: proxies and test doubles keep the path), Discord/Mattermost-style `/hooks/..`. */
const TOKEN_PARENTS = new Set(['services', 'hooks', 'webhooks']);

/** A path segment that looks like a credential: long, or mixing letters and digits. */
function tokenish(seg: string): boolean {
  if (seg.length >= 16) return true;
  return seg.length >= 8 && /[0-9]/.test(seg) && /[A-Za-z]/.test(seg);
}

/** A printable form of `url` without userinfo, query, fragment or token-like path segments. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '<invalid url>';
  }
  const userinfo = u.username || u.password ? MASK + '@' : '';
  const segs = u.pathname.split('/');
  const slack = isSlackHost(u.hostname);
  let afterServices = false;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s === '') continue;
    if (afterServices || tokenish(s)) segs[i] = MASK;
    if (TOKEN_PARENTS.has(s) || (slack && i > 0)) afterServices = true;
  }
  const q = u.search ? '?' + MASK : '';
  const h = u.hash ? '#' + MASK : '';
  return `${u.protocol}//${userinfo}${u.host}${segs.join('/')}${q}${h}`;
}

/** Collects the secret substrings of the configured sinks and scrubs them from any text (error
 *  messages from the network stack may quote a URL). */
export class Redactor {
  private secrets: string[] = [];

  addUrl(url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      this.add(url);
      return;
    }
    // The whole URL is a secret only if it holds one (else the printable form would be masked too).
    if (redactUrl(url) !== u.href) { this.add(url); this.add(u.href); }
    if (u.username) this.add(decodeSafe(u.username), u.username);
    if (u.password) this.add(decodeSafe(u.password), u.password);
    if (u.search.length > 1) {
      this.add(u.search.slice(1));
      for (const [k, v] of u.searchParams) { this.add(v); this.add(k + '=' + v); }
    }
    if (u.hash.length > 1) this.add(u.hash.slice(1));
    const slack = isSlackHost(u.hostname);
    let after = false;
    for (const s of u.pathname.split('/')) {
      if (s === '') continue;
      if (after || tokenish(s)) { this.add(s); this.add(decodeSafe(s)); }
      if (TOKEN_PARENTS.has(s) || slack) after = true;
    }
    for (const p of TOKEN_PARENTS) {
      const i = u.pathname.indexOf('/' + p + '/');
      if (i >= 0) this.add(u.pathname.slice(i + p.length + 2));
    }
  }

  addHeaders(h: Record<string, string> | undefined): void {
    if (!h) return;
    for (const v of Object.values(h)) {
      this.add(String(v));
      // "Bearer xyz": also the bare credential
      const parts = String(v).split(/\s+/);
      for (const p of parts) this.add(p);
    }
  }

  private add(...vals: string[]): void {
    for (const v of vals) {
      // Short values ("1", "on") are not secrets worth masking and would mangle every message.
      if (v && v.length >= 4 && !this.secrets.includes(v)) this.secrets.push(v);
    }
    // Longest first so a full URL is masked before its parts.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    return out;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
