// The load generator in Node, used when there is no C compiler: the same arguments and output as
// loadgen.c (read its header). It needs more CPU than the C one for the same load, which on a small
// machine leaves less for the server under test; the bench says which one ran.
import net from 'node:net';
import { percentileSorted } from '../stats.ts';

const CHUNK = 256 * 1024;

function connect(host: string, port: number, noDelay: boolean): Promise<net.Socket> {
  if (host !== '127.0.0.1' && host !== '::1') throw new Error('host must be 127.0.0.1 or ::1');
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, noDelay }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

async function stream(host: string, port: number, conns: number, perConn: number, reply: string, hold: boolean, maxSeconds: number) {
  const echo = reply === 'echo';
  const ack = reply === 'ack';
  const out = Buffer.alloc(CHUNK, 'abcdefghijklmnopqrstuvwxyz');
  const t0c = process.hrtime.bigint();
  const sockets: net.Socket[] = [];
  for (let i = 0; i < conns; i++) {
    // A pause every 128 connects lets the server accept them: a dropped SYN costs a second.
    if (i > 0 && i % 128 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    sockets.push(await connect(host, port, false));
  }
  const localPort = sockets[0]!.localPort; // gone once the socket closes
  const t0 = process.hrtime.bigint();
  const deadline = maxSeconds > 0 ? t0 + BigInt(Math.round(maxSeconds * 1e9)) : null;
  let stoppedEarly = false;
  let sent = 0;
  let received = 0;
  let acked = 0;
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          let mine = 0;
          let got = 0;
          let done = false;
          const finish = () => {
            if (!done) {
              done = true;
              resolve();
            }
          };
          s.on('error', reject);
          let target = perConn;
          // ack: the N of each `Received: N`; a number ends where the next reply's text starts.
          let mineAcked = 0;
          let acc = 0;
          let inNum = false;
          const endNum = () => {
            if (inNum) mineAcked += acc;
            acc = 0;
            inNum = false;
          };
          s.on('data', (d: Buffer) => {
            got += d.length;
            received += d.length;
            if (ack) {
              for (let i = 0; i < d.length; i++) {
                const ch = d[i]!;
                if (ch >= 48 && ch <= 57) {
                  acc = acc * 10 + (ch - 48);
                  inNum = true;
                } else endNum();
              }
            }
            if (hold && mine === target && got >= target) finish();
          });
          s.on('end', () => {
            endNum();
            acked += mineAcked;
            if (ack && mineAcked !== mine) reject(new Error(`replies acknowledged ${mineAcked} bytes for ${mine} sent`));
            else if (mine < target) reject(new Error(`server closed after ${mine} of ${target} bytes`));
            else if (echo && got !== mine) reject(new Error(`${got} bytes echoed for ${mine} sent`));
            else finish();
          });
          const pump = () => {
            while (mine < target) {
              if (deadline !== null && process.hrtime.bigint() > deadline) {
                stoppedEarly = true;
                target = mine;
                break;
              }
              const n = Math.min(CHUNK, target - mine);
              mine += n;
              sent += n;
              if (!s.write(n === CHUNK ? out : out.subarray(0, n))) {
                s.once('drain', pump);
                return;
              }
            }
            if (!hold) s.end();
            else if (got >= target) finish();
          };
          pump();
        }),
    ),
  );
  const t1 = process.hrtime.bigint();
  process.stdout.write(
    JSON.stringify({
      impl: 'node',
      conns,
      bytesSent: sent,
      bytesReceived: received,
      ackedBytes: acked,
      elapsedNs: Number(t1 - t0),
      connectNs: Number(t0 - t0c),
      localPort,
      stoppedEarly,
    }) + '\n',
  );
  if (hold) {
    await new Promise<void>((resolve) => {
      process.stdin.on('data', (d: Buffer) => d.includes(10) && resolve());
      process.stdin.on('end', resolve);
    });
  }
  for (const s of sockets) s.destroy();
}

async function pingpong(host: string, port: number, count: number, size: number, warmup: number) {
  const msg = Buffer.alloc(size, 'abcdefghijklmnopqrstuvwxyz');
  const s = await connect(host, port, true);
  const rtt: number[] = [];
  let got = 0;
  let t0 = 0n;
  let i = -warmup;
  await new Promise<void>((resolve, reject) => {
    s.on('error', reject);
    s.on('end', () => reject(new Error('server closed')));
    s.on('data', (d: Buffer) => {
      got += d.length;
      if (got < size) return;
      got -= size;
      if (i >= 0) rtt.push(Number(process.hrtime.bigint() - t0));
      if (++i >= count) return resolve();
      t0 = process.hrtime.bigint();
      s.write(msg);
    });
    t0 = process.hrtime.bigint();
    s.write(msg);
  });
  s.destroy();
  rtt.sort((a, b) => a - b);
  const at = (q: number) => percentileSorted(rtt, q);
  process.stdout.write(
    JSON.stringify({
      impl: 'node',
      count,
      p50Ns: at(0.5),
      p90Ns: at(0.9),
      p99Ns: at(0.99),
      p999Ns: at(0.999),
      maxNs: rtt[rtt.length - 1],
      meanNs: Math.round(rtt.reduce((a, b) => a + b, 0) / rtt.length),
    }) + '\n',
  );
}

const [mode, host = '', port = '0', a = '0', b = '0', c = '', d = '0', e = '0'] = process.argv.slice(2);
if (mode === 'stream') {
  await stream(host, Number(port), Number(a), Number(b), c, d !== '0', Number(e));
} else if (mode === 'pingpong') {
  await pingpong(host, Number(port), Number(a), Number(b), Number(c));
} else {
  process.stderr.write('usage: loadgen.ts stream HOST PORT CONNS BYTES none|echo|ack HOLD [MAX_SECONDS] | pingpong HOST PORT COUNT SIZE WARMUP\n');
  process.exit(2);
}
