// Property over a real loopback socket: whatever the writes and however the read buffer changes between
// reads, the reads concatenate to the writes byte for byte, and no read exceeds the buffer it was made with.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tcpscope } from '../app.ts';
import { connectTcp, startTestScope } from '../../test/helpers.ts';

let scope: Tcpscope;
beforeAll(async () => {
  scope = await startTestScope({ config: { replyMode: 'none' } });
});
afterAll(async () => {
  await scope.close();
});

describe('reads over a real socket', () => {
  it('concatenate to the writes for any writes and any sequence of buffer sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (writes, sizes, corked) => {
          const total = writes.reduce((n, w) => n + w.length, 0);
          scope.config.apply({ bufferSize: sizes[0]! });
          const socket = await connectTcp(scope.tcpPort);
          const got: Buffer[] = [];
          const overruns: string[] = [];
          let next = 1;
          let received = 0;
          let inEffect = sizes[0]!;
          const done = new Promise<void>((resolve) => {
            const stop = scope.recorder.subscribe((e) => {
              if (e.kind !== 'read') return;
              if (e.length > inEffect) overruns.push(`read of ${e.length} with buffer ${inEffect}`);
              got.push(Buffer.from(e.bytes));
              received += e.length;
              if (received >= total) {
                stop();
                resolve();
                return;
              }
              // Between this read and the next, as a user clicking would: never inside the read itself.
              const size = sizes[next++ % sizes.length]!;
              queueMicrotask(() => {
                scope.config.apply({ bufferSize: size });
                inEffect = size;
              });
            });
          });
          if (corked) socket.cork();
          for (const w of writes) socket.write(w);
          if (corked) socket.uncork();
          await done;
          socket.destroy();
          expect(overruns).toEqual([]);
          expect(Buffer.concat(got)).toEqual(Buffer.concat(writes));
        },
      ),
      { numRuns: 30 },
    );
  });
});
