// Reading and writing small files in Fluent Bit's accessible_paths (WASI preopened directories,
// fd 3, 4, ... in order). Used once at start (lad.json, baseline, state) and for periodic state
// writes; never on the per-record path.
import {
  fd_prestat_get, prestat, fd_read, fd_write, fd_close, fd_sync, path_open, path_rename, path_unlink_file,
  iovec, errno, rights, oflags
} from "bindings/wasi_snapshot_preview1";
import { ByteBuf } from "../core/byte_buf";

// @ts-ignore: decorator
@lazy const scratch = memory.data(64);
const FIRST_PREOPEN: u32 = 3;
const MAX_PREOPENS: u32 = 64;
const MAX_FILE_BYTES: usize = 64 << 20;

function openIn(dirFd: u32, name: string, write: bool): i32 {
  let path = String.UTF8.encode(name);
  let fdOut = scratch;
  let base: u64 = write ? (rights.FD_WRITE | rights.FD_SYNC) : (rights.FD_READ | rights.FD_SEEK | rights.FD_FILESTAT_GET);
  let flags: u16 = write ? <u16>(oflags.CREAT | oflags.TRUNC) : 0;
  let err = path_open(dirFd, 0, changetype<usize>(path), <usize>path.byteLength, flags, base, 0, 0, fdOut);
  if (err != errno.SUCCESS) return -1;
  return load<i32>(fdOut);
}

/** The preopened directory the last successful read found its file in. */
export let lastReadDir: u32 = FIRST_PREOPEN;

/** Reads `name` from the first preopened directory that holds it into `out`; false if none does. */
export function readPreopenFile(name: string, out: ByteBuf): bool {
  for (let fd = FIRST_PREOPEN; fd < FIRST_PREOPEN + MAX_PREOPENS; fd++) {
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != errno.SUCCESS) break; // no more preopens
    let f = openIn(fd, name, false);
    if (f < 0) continue;
    out.reset();
    let ok = true;
    while (true) {
      out.ensure(65536);
      let iov = scratch + 16;
      changetype<iovec>(iov).buf = out.ptr + out.len;
      changetype<iovec>(iov).buf_len = 65536;
      let err = fd_read(<u32>f, iov, 1, scratch + 32);
      if (err != errno.SUCCESS) { ok = false; break; }
      let n = load<usize>(scratch + 32);
      if (n == 0) break;
      out.len += n;
      if (out.len > MAX_FILE_BYTES) { ok = false; break; }
    }
    fd_close(<u32>f);
    if (ok) lastReadDir = fd;
    return ok;
  }
  return false;
}

/** Writes `data` to `name` in preopened directory `dirFd` without ever leaving a partial file
 *  under `name`: the bytes go to `name`.tmp, which is synced and then renamed over `name` (a crash
 *  or a full disk mid-write leaves the previous file whole). On failure the temporary file is
 *  removed and `name` is untouched. */
export function writePreopenFile(dirFd: u32, name: string, ptr: usize, len: usize): bool {
  if (fd_prestat_get(dirFd, changetype<prestat>(scratch)) != errno.SUCCESS) return false;
  let tmpName = name + ".tmp";
  let f = openIn(dirFd, tmpName, true);
  if (f < 0) return false;
  let done: usize = 0;
  let ok = true;
  while (done < len) {
    let iov = scratch + 16;
    changetype<iovec>(iov).buf = ptr + done;
    changetype<iovec>(iov).buf_len = len - done;
    if (fd_write(<u32>f, iov, 1, scratch + 32) != errno.SUCCESS) { ok = false; break; }
    let n = load<usize>(scratch + 32);
    if (n == 0) { ok = false; break; }
    done += n;
  }
  if (ok) fd_sync(<u32>f); // best effort: a host without it still gets the rename
  fd_close(<u32>f);
  let tmpPath = String.UTF8.encode(tmpName);
  if (ok) {
    let path = String.UTF8.encode(name);
    ok = path_rename(dirFd, changetype<usize>(tmpPath), <usize>tmpPath.byteLength,
                     dirFd, changetype<usize>(path), <usize>path.byteLength) == errno.SUCCESS;
  }
  if (!ok) path_unlink_file(dirFd, changetype<usize>(tmpPath), <usize>tmpPath.byteLength);
  return ok;
}

/** One line on stderr (configuration errors and the like). */
export function stderrLine(msg: string): void {
  let b = String.UTF8.encode("lad: " + msg + "\n");
  let iov = scratch + 16;
  changetype<iovec>(iov).buf = changetype<usize>(b);
  changetype<iovec>(iov).buf_len = <usize>b.byteLength;
  fd_write(2, iov, 1, scratch + 32);
}
