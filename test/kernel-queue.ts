// The kernel's receive queue of one established connection, read from /proc/net/tcp and tcp6 (Linux). Tests
// use it to hold a peer's writes unread until all of them have arrived, so that the next read takes them in
// one: with a peer we cannot cork (a Go program), this is what makes the merge certain rather than likely.
import { readFile } from 'node:fs/promises';
import { withDeadline } from './helpers.ts';

const ESTABLISHED = '01';

/** Bytes waiting in the receive queue of the established socket bound to `localPort`, or null if none is. */
export async function receiveQueue(localPort: number): Promise<number | null> {
  const port = localPort.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue …
      const f = line.trim().split(/\s+/);
      if (f.length < 5 || f[3] !== ESTABLISHED || !f[1]!.endsWith(`:${port}`)) continue;
      return parseInt(f[4]!.split(':')[1]!, 16);
    }
  }
  return null;
}

/** Resolves once the established socket on `localPort` holds `bytes` unread; fails naming it after the deadline. */
export function untilReceiveQueue(localPort: number, bytes: number): Promise<void> {
  return withDeadline<void>('untilReceiveQueue', `${bytes} bytes unread on :${localPort}`, (resolve) => {
    let stopped = false;
    void (async () => {
      while (!stopped) {
        if ((await receiveQueue(localPort)) === bytes) return resolve();
        await new Promise((r) => setImmediate(r));
      }
    })();
    return () => {
      stopped = true;
    };
  });
}
