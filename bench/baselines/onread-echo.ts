// The baseline tcpscope is measured against: the smallest echo server that reads exactly as tcpscope
// reads (each read one kernel read into one user buffer of the same size, via Node's `onread`) and
// replies the same way, with no events, no hex, no HTTP and no subscribers. tcpscope ÷ this is the
// price of watching.
import net from 'node:net';
import { readIntoUserBuffer } from '../../server/echo/socket-internals.ts';
import { baselineSettings, MAX_PENDING_REPLY_BYTES, type ReadTotals, serveBaseline } from './control.ts';

let settings = baselineSettings(process.argv.slice(2));
let readBuf = Buffer.allocUnsafe(settings.bufferSize);
const totals: ReadTotals = { reads: 0, bytesRead: 0 };

const server = net.createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.on('drain', () => socket.resume());
  readIntoUserBuffer(socket, readBuf, (nread, buf) => {
    totals.reads++;
    totals.bytesRead += nread;
    const reply = settings.reply;
    if (reply === 'none' || socket.destroyed) return;
    // The read buffer is reused by the next read: what is written must be a copy.
    socket.write(reply === 'echo' ? Buffer.from(buf.subarray(0, nread)) : Buffer.from(`Received: ${nread}`, 'latin1'));
    if (socket.writableLength > MAX_PENDING_REPLY_BYTES) socket.pause();
  });
  socket.resume();
});

serveBaseline('onread-echo', server, totals, (next) => {
  if (next.bufferSize !== settings.bufferSize) readBuf = Buffer.allocUnsafe(next.bufferSize);
  settings = next;
});
