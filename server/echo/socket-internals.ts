// The one place that reaches into Node's socket internals, so that a read is exactly one kernel read
// of at most `bufferSize` bytes and the buffer can change on an open socket.
//
// What it relies on (Node 20/22, lib/net.js and lib/internal/stream_base_commons.js):
// - A socket made with `onread: { buffer, callback }` keeps the buffer and callback under the private
//   symbols kBuffer / kBufferCb / kBufferGen, and its native handle reads straight into that buffer
//   (`handle.useUserBuffer(buf)`); `onStreamRead` then calls `callback(nread, socket[kBuffer])`.
// - Accepted sockets cannot be given `onread`, so we set the same three symbols on them and call
//   `useUserBuffer` ourselves before the first read (the server is created with pauseOnConnect).
// - `useUserBuffer` on an open handle installs a new listener reading into the new buffer from the
//   next read on; we update kBuffer too so the callback is handed the buffer the kernel wrote into.
// - `handle.getsockname` gives a connecting socket's local port before its 'connect' event.
import net from 'node:net';

interface NativeHandle {
  useUserBuffer(buf: Uint8Array): void;
  getsockname?(out: Record<string, unknown>): number;
}

type OnRead = (nread: number, buf: Buffer) => void;

function findSymbols(): { kBuffer: symbol; kBufferCb: symbol; kBufferGen: symbol } {
  const withOnread = { onread: { buffer: Buffer.alloc(1), callback: () => true } };
  const probe = new net.Socket(withOnread as net.SocketConstructorOpts);
  const byName = new Map(Object.getOwnPropertySymbols(probe).map((s) => [s.description, s]));
  probe.destroy();
  const kBuffer = byName.get('kBuffer');
  const kBufferCb = byName.get('kBufferCb');
  const kBufferGen = byName.get('kBufferGen');
  if (!kBuffer || !kBufferCb || !kBufferGen) {
    throw new Error(`this Node.js (${process.version}) does not expose the onread buffer symbols tcpscope relies on`);
  }
  return { kBuffer, kBufferCb, kBufferGen };
}

const SYMBOLS = findSymbols();

function handleOf(socket: net.Socket): NativeHandle | null {
  return (socket as unknown as { _handle: NativeHandle | null })._handle;
}

/** Makes every read of `socket` one kernel read into `buf`, handed to `onRead`. Call before reading starts. */
export function readIntoUserBuffer(socket: net.Socket, buf: Buffer, onRead: OnRead): void {
  const handle = handleOf(socket);
  if (!handle) throw new Error('socket has no handle');
  const s = socket as unknown as Record<symbol, unknown>;
  s[SYMBOLS.kBuffer] = buf;
  s[SYMBOLS.kBufferCb] = onRead;
  s[SYMBOLS.kBufferGen] = null;
  handle.useUserBuffer(buf);
}

/** Switches an open socket to a new read buffer: its next read returns at most `buf.length` bytes. */
export function swapUserBuffer(socket: net.Socket, buf: Buffer): void {
  const handle = handleOf(socket);
  if (!handle) return; // closed meanwhile: nothing to read into
  (socket as unknown as Record<symbol, unknown>)[SYMBOLS.kBuffer] = buf;
  handle.useUserBuffer(buf);
}

/** The local address and port of a socket whose connect() is still in flight. */
export function pendingLocalAddress(socket: net.Socket): { address: string; port: number } | null {
  const handle = handleOf(socket);
  if (!handle?.getsockname) return null;
  const out: Record<string, unknown> = {};
  if (handle.getsockname(out) !== 0) return null;
  return typeof out.port === 'number' && typeof out.address === 'string'
    ? { address: out.address, port: out.port }
    : null;
}
