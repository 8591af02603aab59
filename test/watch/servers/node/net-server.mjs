// A Node net server that reads with a fixed buffer (onread: each read is at most BUFFER bytes, as the
// tutorial's) and replies "Received: N" per read. Usage: node net-server.mjs PORT BUFFER (PORT 0 picks
// one; prints "listening PORT").
import net from 'node:net';

const port = Number(process.argv[2]);
const size = Number(process.argv[3]);
const server = net.createServer((socket) => {
  socket.on('error', () => {});
});
server.on('connection', (socket) => {
  // Re-created per connection with onread: net.createServer takes no onread option, so the socket is
  // wrapped by reading its handle's data through a paused stream and a fixed buffer.
  socket.pause();
  const wrapped = new net.Socket({ handle: socket._handle, onread: { buffer: Buffer.alloc(size), callback: (n) => void socket.write(`Received: ${n}`) } });
  wrapped.on('error', () => {});
  wrapped.on('end', () => wrapped.end());
});
server.listen(port, '127.0.0.1', () => console.log('listening', server.address().port));
