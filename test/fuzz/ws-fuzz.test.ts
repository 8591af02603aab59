// The live stream's message handler, fed arbitrary JSON, arbitrary text and arbitrary binary frames:
// each gets exactly one answer (an error naming the problem, or the pong/snapshot a valid command
// asks for), the socket stays open, and the config never moves.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/live.ts';
import type { Tcpscope } from '../../server/app.ts';
import { startTestScope, WsClient } from '../helpers.ts';
import { closed } from '../raw-clients.ts';

const RUNS = 200;
const ANSWERS = new Set(['error', 'pong', 'snapshot']);

let scope: Tcpscope;
let client: WsClient;

beforeAll(async () => {
  scope = await startTestScope();
  client = await WsClient.open(scope);
  await client.waitFor((m) => m.type === 'snapshot');
});
afterAll(async () => {
  client.close();
  await scope.close();
});

/** Sends one frame and waits for the one answer to it. */
async function ask(data: string | Uint8Array, binary: boolean): Promise<ServerMessage> {
  const before = JSON.stringify(scope.config.get());
  const from = client.messages.length;
  client.ws.send(data, { binary });
  const answer = await client.waitFor((m) => ANSWERS.has(m.type), from);
  expect(client.ws.readyState).toBe(client.ws.OPEN);
  expect(JSON.stringify(scope.config.get())).toBe(before);
  return answer;
}

describe('WebSocket fuzz', () => {
  it('answers arbitrary JSON with an error naming the message, or with what a valid command asks for', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record({ type: fc.constantFrom('ping', 'resync', 'subscribe'), id: fc.oneof(fc.integer(), fc.string(), fc.double()) }, { requiredKeys: ['type'] }),
        ),
        async (value) => {
          const answer = await ask(JSON.stringify(value), false);
          if (answer.type === 'error') expect(answer.message).toMatch(/^message/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers arbitrary text and arbitrary binary frames with an error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 500 }), async (text) => {
        const answer = await ask(text, false);
        expect(ANSWERS.has(answer.type)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        expect(await ask(bytes, true)).toEqual({ type: 'error', message: 'message: must be a JSON text message' });
      }),
      { numRuns: RUNS },
    );
  });

  it('closes only the socket that sends a text frame of invalid UTF-8 (1007), and the rest go on', async () => {
    const bad = await WsClient.open(scope);
    const done = closed(bad.ws);
    bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await done).code).toBe(1007);
    const pong = await ask(JSON.stringify({ type: 'ping', id: 7 }), false);
    expect(pong).toEqual({ type: 'pong', id: 7 });
  });
});
