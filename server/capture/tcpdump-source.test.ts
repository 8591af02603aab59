import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { hasProgram, livePids } from '../../test/processes.ts';
import { buildFrame } from './frame-builder.ts';
import { LINKTYPE_ETHERNET, type PcapRecord } from './pcap-reader.ts';
import { writePcap } from './pcap-writer.ts';
import { isStartMarker } from './start-marker.ts';
import { CAPTURE_PIPE_BYTES, captureFilter, createTcpdumpSource, tcpdumpCommand, type SourceState } from './tcpdump-source.ts';
import { ssFilter } from './ss-sampler.ts';

const quick = { initialMs: 1, maxMs: 4, maxAttempts: 3, stableMs: 60_000 };
const node = (script: string) => [process.execPath, '-e', script];
const hasPerl = hasProgram('perl');

/** The pids of the running processes whose command line holds `marker`. */
const processesNamed = (marker: string): Promise<number[]> => livePids((cmdline) => cmdline.includes(marker));

describe('tcpdump source', () => {
  it('says how to install tcpdump when it is missing', async () => {
    const src = createTcpdumpSource({ port: 1, command: ['/nonexistent/tcpdump', '-i', 'lo'], onRecord: () => {} });
    src.start();
    expect(await src.whenListening()).toBe(false);
    expect(src.state()).toEqual({ active: false, reason: 'tcpdump is not installed: run `apt-get install -y tcpdump`', restarts: 0, droppedByKernel: 0 });
  });

  it('restarts a dying capture program with backoff, reports each attempt, then gives up', async () => {
    const seen: SourceState[] = [];
    const src = createTcpdumpSource({
      port: 1,
      command: ['sh', '-c', 'echo "tcpdump: simulated failure" >&2; exit 3'],
      backoff: quick,
      onRecord: () => {},
      onChange: () => seen.push(src.state()),
    });
    src.start();
    expect(await src.whenListening()).toBe(false);
    expect(src.state()).toEqual({
      active: false,
      reason: 'the capture program (sh) exited with code 3: tcpdump: simulated failure; gave up after 3 restarts',
      restarts: 3,
      droppedByKernel: 0,
    });
    expect(seen.map((s) => s.reason)).toContain('the capture program (sh) exited with code 3: tcpdump: simulated failure; restarting in 2 ms (attempt 2 of 3)');
    expect(seen.every((s) => !s.active)).toBe(true);
  });

  it('says which command grants the privilege when tcpdump may not capture', async () => {
    // Real tcpdump, run as nobody without capabilities.
    const argv = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', ...tcpdumpCommand(1)];
    const src = createTcpdumpSource({ port: 1, command: argv, onRecord: () => {} });
    src.start();
    expect(await src.whenListening()).toBe(false);
    const st = src.state();
    expect(st.active).toBe(false);
    expect(st.reason).toMatch(/lacks the privilege to capture \(tcpdump: lo: You don't have permission to perform this capture on that device\): run `setcap cap_net_raw,cap_net_admin=eip \$\(command -v tcpdump\)` or start tcpscope as root/);
  });

  it.each([
    ['a FIFO', true],
    ['its stdout socket pair', false],
  ])('delivers the records of the pcap stream the program writes into %s, and stops it', async (_how, fifo) => {
    const frames = [1, 2, 3].map((i) => ({ tsSec: 100 + i, tsNsec: 0, data: buildFrame({ payload: `Hello${i}\n` }), originalLength: 0 }));
    const pcap = writePcap(LINKTYPE_ETHERNET, frames).toString('base64');
    const got: PcapRecord[] = [];
    let allIn!: () => void;
    const done = new Promise<void>((r) => (allIn = r));
    const src = createTcpdumpSource({
      port: 1,
      fifo,
      // Written in two pieces that split a record, then it waits to be stopped as tcpdump would.
      command: node(`const b=Buffer.from('${pcap}','base64');process.stdout.write(b.subarray(0,50));setTimeout(()=>process.stdout.write(b.subarray(50)),0);setInterval(()=>{},1e6)`),
      onRecord: (r, linkType) => {
        expect(linkType).toBe(LINKTYPE_ETHERNET);
        got.push(r);
        if (got.length === 3) allIn();
      },
    });
    src.start();
    expect(await src.whenListening()).toBe(true);
    await done;
    expect(src.state()).toEqual({ active: true, reason: null, restarts: 0, droppedByKernel: 0 });
    expect(got.map((r) => r.tsSec)).toEqual([101, 102, 103]);
    await src.stop();
    expect(src.state()).toEqual({ active: false, reason: 'capture stopped', restarts: 0, droppedByKernel: 0 });
  });

  it.skipIf(!hasPerl).each([
    { when: 'as they are captured', ageMs: 0, naps: true },
    { when: 'an hour late (the capture is behind)', ageMs: 3_600_000, naps: false },
  ])('reads its FIFO, enlarged to 1 MiB, loses no record, and naps between reads only once caught up: frames stamped $when (needs perl)', async ({ ageMs, naps }) => {
    // 20,000 records in 200 writes, each in a turn of its own: the reader empties the pipe many times, and
    // naps after each if the newest frame is recent, while the writes go on filling it. The writer stamps
    // each record with the time of its write, less ageMs; the microseconds below 1,000 keep its index.
    const n = 20_000;
    const frames = Array.from({ length: n / 200 }, (_, i) => ({ tsSec: 0, tsNsec: i * 1000, data: buildFrame({ payload: `burst ${i}\n` }), originalLength: 0 }));
    const burst = writePcap(LINKTYPE_ETHERNET, frames);
    const header = burst.subarray(0, 24).toString('base64');
    const records = burst.subarray(24).toString('base64');
    let got = 0;
    let inOrder = true;
    let allIn!: () => void;
    const done = new Promise<void>((r) => (allIn = r));
    const src = createTcpdumpSource({
      port: 1,
      command: node(
        `const h=Buffer.from('${header}','base64'),r=Buffer.from('${records}','base64');process.stdout.write(h);` +
          `const stamp=()=>{const t=Date.now()-${ageMs};for(let o=0,i=0;o<r.length;i++){r.writeUInt32LE(Math.floor(t/1000),o);r.writeUInt32LE((t%1000)*1000+i,o+4);o+=16+r.readUInt32LE(o+8)}};` +
          `let k=0;const next=()=>{if(k++<200){stamp();process.stdout.write(r);setImmediate(next)}};next();setInterval(()=>{},1e6)`,
      ),
      onRecord: (r) => {
        inOrder &&= (r.tsNsec / 1000) % 1000 === got % (n / 200);
        if (++got === n) allIn();
      },
    });
    src.start();
    await done;
    expect(inOrder).toBe(true);
    expect(src.stats().pipeBytes).toBe(CAPTURE_PIPE_BYTES);
    expect(src.stats().naps > 0).toBe(naps);
    expect(src.state()).toEqual({ active: true, reason: null, restarts: 0, droppedByKernel: 0 });
    await src.stop();
    expect(got).toBe(n);
  });

  it('reads a stream that is no pipe (its stdout socket pair) without napping', async () => {
    const header = writePcap(LINKTYPE_ETHERNET, [{ tsSec: 1, tsNsec: 0, data: buildFrame({ payload: 'x' }), originalLength: 0 }]).toString('base64');
    let seen!: () => void;
    const one = new Promise<void>((r) => (seen = r));
    const src = createTcpdumpSource({
      port: 1,
      fifo: false,
      command: node(`process.stdout.write(Buffer.from('${header}','base64'));setInterval(()=>{},1e6)`),
      onRecord: () => seen(),
    });
    src.start();
    await one;
    expect(src.stats()).toEqual({ pipeBytes: 0, naps: 0 });
    await src.stop();
  });

  it('stops a program that ignores SIGTERM: past the grace it is killed, and nothing is left running', async () => {
    // The program keeps our pipes (its stderr, its stream) open: killing its sh alone would leave stop()
    // waiting on them for ever. A SIGTERM lost in a race looks just like this to the stop.
    const marker = `tcpscope-test-deaf-${process.pid}`;
    const src = createTcpdumpSource({
      port: 1,
      command: ['sh', '-c', 'trap "" TERM; echo "listening on lo" >&2; exec sleep 1000', marker],
      onRecord: () => {},
    });
    src.start();
    expect(await src.whenListening()).toBe(true);
    await src.stop();
    expect(await processesNamed(marker)).toEqual([]);
    expect(src.state()).toMatchObject({ active: false, reason: 'capture stopped' });
  });

  it('stops cleanly however soon after its start the stop comes: no program or wrapper outlives it', async () => {
    const marker = `tcpscope-test-quick-${process.pid}`;
    for (let round = 0; round < 20; round++) {
      const src = createTcpdumpSource({ port: 1, command: ['sh', '-c', 'echo "listening on lo" >&2; exec sleep 1000', marker], onRecord: () => {} });
      src.start();
      // Alternately at once (the sh may not have started its program yet) and once it listens.
      if (round % 2 === 1) await src.whenListening();
      await src.stop();
      expect(await processesNamed(marker), `round ${round}`).toEqual([]);
    }
  });

  it('reports the packets the kernel dropped, as tcpdump counts them, when the count changes', async () => {
    const header = writePcap(LINKTYPE_ETHERNET, []).toString('base64');
    let told!: () => void;
    const tellsOfDrops = new Promise<void>((r) => (told = r));
    const src = createTcpdumpSource({
      port: 1,
      command: node(`process.stdout.write(Buffer.from('${header}','base64'));process.stderr.write('listening on lo\\n12 packets dropped by kernel\\n');setInterval(()=>{},1e6)`),
      onRecord: () => {},
      onChange: () => src.state().droppedByKernel > 0 && told(),
    });
    src.start();
    await tellsOfDrops;
    expect(src.state()).toEqual({ active: true, reason: null, restarts: 0, droppedByKernel: 12 });
    await src.stop();
  });

  /** Records as a capture program writes them, and what the source hands on and counts as dropped. */
  async function throughStartMarker(frames: Uint8Array[]): Promise<{ got: number[]; dropped: number }> {
    const pcap = writePcap(LINKTYPE_ETHERNET, frames.map((data, i) => ({ tsSec: i, tsNsec: 0, data, originalLength: 0 }))).toString('base64');
    const got: number[] = [];
    const tcpFrames = frames.filter((f) => !isStartMarker(LINKTYPE_ETHERNET, f)).length;
    let allIn!: () => void;
    const done = new Promise<void>((r) => (allIn = r));
    const src = createTcpdumpSource({
      port: 1,
      startMarker: true,
      command: node(`process.stdout.write(Buffer.from('${pcap}','base64'));setInterval(()=>{},1e6)`),
      onRecord: (r) => got.push(r.tsSec) === tcpFrames && allIn(),
    });
    src.start();
    await done;
    const dropped = src.state().droppedByKernel;
    await src.stop();
    return { got, dropped };
  }
  const marker = (): Uint8Array => {
    const f = buildFrame({ payload: 'tcpscope capture start' });
    f[23] = 17; // the IP header's protocol: UDP
    return f;
  };

  it('skips the start marker; a first frame before it counts as dropped (libpcap rejects that one)', async () => {
    const tcp = (i: number) => buildFrame({ payload: `Hello${i}\n` });
    expect(await throughStartMarker([marker(), tcp(1), tcp(2)])).toEqual({ got: [1, 2], dropped: 0 });
    expect(await throughStartMarker([tcp(0), tcp(1), marker(), tcp(3)])).toEqual({ got: [0, 1, 3], dropped: 1 });
  });

  it('captures the first segment after tcpdump starts, each packet once, and no marker (real tcpdump on lo)', async () => {
    const server = net.createServer((c) => c.resume().on('end', () => c.end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const flags: number[] = [];
    let finSeen!: () => void;
    const fins = new Promise<void>((r) => (finSeen = r));
    let finCount = 0;
    let markers = 0;
    const src = createTcpdumpSource({
      port,
      onRecord: (r, linkType) => {
        if (isStartMarker(linkType, r.data)) markers++;
        const f = r.data[14 + 20 + 13]!; // Ethernet, IPv4 without options, the TCP flags byte
        flags.push(f);
        if ((f & 0x01) !== 0 && ++finCount === 2) finSeen();
      },
    });
    src.start();
    expect(await src.whenListening()).toBe(true);
    const c = net.connect(port, '127.0.0.1', () => c.end('hi'));
    c.resume();
    await fins;
    c.destroy();
    server.close();
    const state = src.state();
    await src.stop();
    expect(flags[0]).toBe(0x02); // the SYN, first
    expect(flags.filter((f) => f === 0x02)).toHaveLength(1);
    expect(flags.filter((f) => f === 0x12)).toHaveLength(1);
    expect(state.droppedByKernel).toBe(0);
    expect(markers).toBe(0);
  });

  it('restarts a program whose stream is unreadable, and says why', async () => {
    const src = createTcpdumpSource({
      port: 1,
      command: node(`process.stdout.write('this is no pcap stream at all');setInterval(()=>{},1e6)`),
      backoff: { ...quick, maxAttempts: 1 },
      onRecord: () => {},
    });
    src.start();
    expect(await src.whenListening()).toBe(false);
    expect(src.state().reason).toMatch(/killed by SIGTERM: unreadable capture stream: not a pcap stream: magic number 0x74686973; gave up after 1 restarts/);
    expect(src.state().restarts).toBe(1);
  });

  it('filters on the echo port alone, or on it and every watched port; on lo, arriving packets and the start marker', () => {
    expect(tcpdumpCommand(5055).at(-1)).toBe('(udp and dst host 127.0.0.1 and dst port 9) or (tcp port 5055 and inbound)');
    expect(captureFilter([5055, 8080, 9000])).toBe('(udp and dst host 127.0.0.1 and dst port 9) or (tcp and (port 5055 or port 8080 or port 9000) and inbound)');
    expect(tcpdumpCommand(5055, 'eth0').at(-1)).toBe('tcp port 5055');
    expect(ssFilter([5055, 8080])).toBe('( sport = :5055 or dport = :5055 or sport = :8080 or dport = :8080 )');
  });
});
