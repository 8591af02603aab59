// Guided scenarios: one click sets the echo server up, sends the traffic and says what to look at. The
// names, titles and captions live here so that the page can show them even with no server (a session file).
import { z } from 'zod';

export interface ScenarioInfo {
  name: ScenarioName;
  title: string;
  /** Two sentences: what happened, and why. */
  caption: string;
}

/** In the order the panel shows them: from "why did my messages merge?" to "framing fixes it". */
export const SCENARIOS = [
  {
    name: 'single-write',
    title: "The tutorial's single write",
    caption:
      'The client writes Hello1\\n once and the server\'s one read returns those 7 bytes, answered with "Received: 7" as in the tutorial. ' +
      'One write and one read line up here only because nothing else was in flight.',
  },
  {
    name: 'three-writes-merge',
    title: 'Three writes merge into one read',
    caption:
      "The client writes Hello1\\n, Hello2\\n and Hello3\\n back to back, and the server's one read returns all 21 bytes: TCP is a byte stream and keeps no write boundaries. " +
      'The server answers once, "Received: 21", where the client expected three answers.',
  },
  {
    name: 'buffer-7-splits',
    title: 'Buffer 7 splits them again',
    caption:
      'With the read buffer at 7 bytes the same 21 bytes come out as three reads of 7, and each looks like one message again. ' +
      'The buffer found no boundaries: it cuts every 7 bytes, and these messages happen to be 7 bytes long.',
  },
  {
    name: 'long-message-buffer-7',
    title: 'A 10-byte message with buffer 7',
    caption:
      'Greeting1\\n and Greeting2\\n, 10 bytes each, arrive with the buffer at 7 as reads of 7, 7 and 6, and the middle read holds the end of one message and the start of the next. ' +
      'A buffer size only fits messages of exactly that size; the fix is framing, which marks where each message ends.',
  },
  {
    name: 'newline-framing-chaos',
    title: 'Newline framing reassembles chaos',
    caption:
      'The client cuts each line into random pieces of 1 to 4 bytes (seed 7) and the server reads them as they come, yet newline framing hands out exactly three messages, Hello1, Hello2 and Hello3. ' +
      'Select a message to see the reads that carried it; each message gets its own "Received: 6".',
  },
  {
    name: 'length-prefix-oversize',
    title: 'Length-prefix framing and an oversize prefix',
    caption:
      'With 2-byte length-prefix framing (at most 64 bytes a message) the first client\'s three writes still arrive as one read, and the server cuts exactly three messages out of it. ' +
      'The second client announces 101 bytes: the server logs a length-prefix-too-large error and closes only that connection, with reason protocol, without keeping a byte of the message.',
  },
  {
    name: 'close-unread-reset',
    title: 'Closing with replies unread',
    caption:
      "The client sends three messages and closes without reading the server's three replies. " +
      'Unread data in a closing socket makes its kernel send a reset instead of a clean close, so the server logs reset (ECONNRESET) rather than end.',
  },
  {
    name: 'nagle-on-off',
    title: 'Nagle on versus off',
    caption:
      'Two clients send the same four lines one byte at a time, 2 ms apart, and the server answers each line: the first with Nagle off (noDelay), the second with Nagle on. ' +
      "With Nagle off each byte leaves at once and usually arrives as its own read; with Nagle on the kernel holds small writes while one is unacknowledged, and the server's delayed ACK lets them pile up into a few larger reads.",
  },
] as const satisfies readonly { name: string; title: string; caption: string }[];

export type ScenarioName = (typeof SCENARIOS)[number]['name'];
export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name) as [ScenarioName, ...ScenarioName[]];

export const ScenarioNameSchema = z.enum(SCENARIO_NAMES, { error: `must be one of ${SCENARIO_NAMES.join(', ')}` });

/** POST /api/scenarios/:name */
export const ScenarioParamsSchema = z.strictObject({ name: ScenarioNameSchema });

export const ScenarioInfoSchema = z.object({ name: ScenarioNameSchema, title: z.string(), caption: z.string() });

/** The answer to a run: the connections it made, oldest first, and what to look at. */
export const ScenarioRunSchema = ScenarioInfoSchema.extend({ connIds: z.array(z.number().int().positive()) });
export type ScenarioRun = z.infer<typeof ScenarioRunSchema>;

export function scenarioInfo(name: ScenarioName): ScenarioInfo {
  return SCENARIOS.find((s) => s.name === name)!;
}
