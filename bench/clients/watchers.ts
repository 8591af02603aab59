// WebSocket subscribers to tcpscope's /ws, in a process of their own so that the bench process stays
// free to time things. They read every message as a page would receive it but do not parse it: what
// is measured is the server's cost of feeding them. Controlled over Node IPC:
//   {type:'set', count}  open or close subscribers until `count` are connected (each has its snapshot)
//   {type:'stats'}       messages, bytes and `missed` notices received so far, over all subscribers
import WebSocket from 'ws';

export type WatcherRequest = { type: 'set'; count: number } | { type: 'stats' };
export type WatcherReply =
  | { type: 'ready'; count: number }
  | { type: 'stats'; count: number; messages: number; bytes: number; missed: number };

const url = process.argv[2];
if (!url?.startsWith('ws://127.0.0.1:')) {
  process.stderr.write('usage: watchers.ts ws://127.0.0.1:PORT/ws\n');
  process.exit(2);
}

const MISSED_PREFIX = Buffer.from('{"type":"missed"');
const sockets: WebSocket[] = [];
const totals = { messages: 0, bytes: 0, missed: 0 };

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url!, { perMessageDeflate: false, skipUTF8Validation: true });
    ws.once('error', reject);
    ws.once('message', () => resolve(ws));
    ws.on('message', (data: Buffer) => {
      totals.messages++;
      totals.bytes += data.length;
      if (data.subarray(0, MISSED_PREFIX.length).equals(MISSED_PREFIX)) totals.missed++;
    });
  });
}

async function setCount(count: number): Promise<void> {
  while (sockets.length > count) sockets.pop()!.terminate();
  const adding: Promise<WebSocket>[] = [];
  for (let i = sockets.length; i < count; i++) adding.push(open());
  sockets.push(...(await Promise.all(adding)));
}

process.on('message', (msg: WatcherRequest) => {
  if (msg.type === 'set') {
    setCount(msg.count).then(
      () => process.send?.({ type: 'ready', count: sockets.length } satisfies WatcherReply),
      (err: Error) => {
        process.stderr.write(`watchers: ${err.message}\n`);
        process.exit(1);
      },
    );
  } else {
    process.send?.({ type: 'stats', count: sockets.length, ...totals } satisfies WatcherReply);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', count: 0 } satisfies WatcherReply);
