// Abort for a long-lived reactor instance: the shim's abort writes at address 0 and calls
// proc_exit, which would kill Fluent Bit's instance. Write to stderr from our own buffer, then trap
// (the host drops only the current record; entries reset the shadow stack).
import { fd_write, iovec } from "bindings/wasi_snapshot_preview1";

// @ts-ignore: decorator
@lazy const ABORT_BUF_SIZE: usize = 512;
// @ts-ignore: decorator
@lazy const abortBuf = memory.data(512 + 16);

function put(ptr: usize, end: usize, s: string | null): usize {
  if (s === null) return ptr;
  let n = <usize>s.length;
  for (let i: usize = 0; i < n && ptr < end; i++) {
    let c = load<u16>(changetype<usize>(s) + (i << 1));
    store<u8>(ptr++, c < 0x80 ? <u8>c : 0x3F);
  }
  return ptr;
}

export function ladAbort(message: string | null = null, fileName: string | null = null, line: u32 = 0, column: u32 = 0): void {
  let iov = abortBuf;
  let buf = abortBuf + 16;
  let end = buf + ABORT_BUF_SIZE - 2;
  let p = put(buf, end, "lad: abort: ");
  p = put(p, end, message);
  p = put(p, end, " at ");
  p = put(p, end, fileName);
  store<u8>(p++, 0x0A);
  changetype<iovec>(iov).buf = buf;
  changetype<iovec>(iov).buf_len = p - buf;
  fd_write(2, iov, 1, iov + 8);
  unreachable();
}
