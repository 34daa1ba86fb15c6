// Address arguments of `lad serve`: tcp://HOST:PORT, HOST:PORT, :PORT, PORT (TCP); http://HOST:PORT
// or HOST:PORT (HTTP); '-' (stdout, for --forward). IPv6 hosts go in brackets: tcp://[::1]:9000.

export interface HostPort { host: string; port: number }

export class AddressError extends Error {}

export function parseHostPort(raw: string, what: string, schemes: string[], defaultHost = '127.0.0.1'): HostPort {
  let s = raw.trim();
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (m) {
    if (!schemes.includes(m[1].toLowerCase())) {
      throw new AddressError(`invalid ${what} '${raw}': scheme must be ${schemes.map((x) => x + '://').join(' or ')}`);
    }
    s = s.slice(m[0].length).replace(/\/+$/, '');
  }
  let host = defaultHost;
  let port: string;
  if (/^\d+$/.test(s)) port = s;
  else {
    const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(s);
    const v4 = /^([^:[\]/]*):(\d+)$/.exec(s);
    if (v6) { host = v6[1]; port = v6[2]; }
    else if (v4) { host = v4[1] || defaultHost; port = v4[2]; }
    else throw new AddressError(`invalid ${what} '${raw}': expected HOST:PORT (e.g. 127.0.0.1:9000)`);
  }
  const p = Number(port);
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new AddressError(`invalid ${what} '${raw}': port must be 0..65535`);
  return { host, port: p };
}

export function formatHostPort(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
