// Context, not a baseline of the same kind: a plain Node `net` echo server with Node's default reading
// (up to 64 KiB per read into a fresh buffer), whatever buffer size the bench asks for.
import net from 'node:net';
import { baselineSettings, MAX_PENDING_REPLY_BYTES, type ReadTotals, serveBaseline } from './control.ts';

let settings = baselineSettings(process.argv.slice(2));
const totals: ReadTotals = { reads: 0, bytesRead: 0 };

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.on('drain', () => socket.resume());
  socket.on('data', (chunk: Buffer) => {
    totals.reads++;
    totals.bytesRead += chunk.length;
    const reply = settings.reply;
    if (reply === 'none') return;
    socket.write(reply === 'echo' ? chunk : Buffer.from(`Received: ${chunk.length}`, 'latin1'));
    if (socket.writableLength > MAX_PENDING_REPLY_BYTES) socket.pause();
  });
});

serveBaseline('plain-echo', server, totals, (next) => {
  settings = next;
});
