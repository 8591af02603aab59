// What the burst form's fields become: a POST /api/bursts body checked by the server's own schema, so the
// page refuses exactly what the server would and in the same words, and the bytes and writes it will make.
// Pure: no React, no store.
import { BurstRequestSchema, type BurstRequest, type BurstRequestInput } from '../../shared/api.ts';
import { burstCost, burstCostRefusal } from '../../shared/burst-cost.ts';
import { createSplitter } from '../../shared/chaos-split.ts';
import { MAX_BURST_BYTES_DEFAULT, MAX_BURST_WRITES_DEFAULT } from '../../shared/limits.ts';
import { frameLength, payloadLength } from '../../shared/burst-cost.ts';
import type { Framing } from '../../shared/config.ts';
import { unescapePayload } from '../format/escapes.ts';

/** The client framings the form offers; the API takes any framing, these are the ones worth a click. */
export const CLIENT_FRAMINGS = ['raw', 'server', 'delimiter', 'length-prefix'] as const;
export type ClientFraming = (typeof CLIENT_FRAMINGS)[number];

export const SPLIT_CHOICES = ['none', 'fixed', 'random'] as const;
export type SplitChoice = (typeof SPLIT_CHOICES)[number];

/** The form as typed: numbers stay text until sent, so a half-typed value is never rewritten under the cursor. */
export interface BurstDraft {
  count: string;
  /** As typed, with escapes (\n, \xNN). */
  payload: string;
  intervalMs: string;
  noDelay: boolean;
  framing: ClientFraming;
  split: SplitChoice;
  /** Piece size for `fixed`. */
  splitSize: string;
  /** Seed for `random` ("chaos"). */
  seed: string;
  chunkGapMs: string;
  leaveRepliesUnread: boolean;
}

export type DraftField = keyof BurstDraft;

/** The harder options at their defaults: what the form sends unless the user opens "More…". */
export const SIMPLE_OPTIONS: Pick<BurstDraft, 'framing' | 'split' | 'splitSize' | 'seed' | 'chunkGapMs' | 'leaveRepliesUnread'> = {
  framing: 'raw',
  split: 'none',
  splitSize: '3',
  seed: '1',
  chunkGapMs: '0',
  leaveRepliesUnread: false,
};

const FRAMING_BODY: Record<Exclude<ClientFraming, 'raw'>, BurstRequestInput['framing']> = {
  server: { mode: 'server' },
  delimiter: { mode: 'delimiter', delimiter: '\n' },
  'length-prefix': { mode: 'length-prefix', prefixBytes: 2 },
};

/** Blank means "the server's default" for optional numbers; anything else is handed to the schema as typed. */
const optionalNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
/** A required number left blank is sent as NaN, so the schema names the field instead of guessing a value. */
const requiredNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** The request body; the harder fields appear only when they differ from their defaults. */
export function burstBody(d: BurstDraft): BurstRequestInput {
  const body: BurstRequestInput = {
    count: optionalNumber(d.count),
    payload: unescapePayload(d.payload),
    intervalMs: optionalNumber(d.intervalMs),
    noDelay: d.noDelay,
  };
  if (d.framing !== 'raw') body.framing = FRAMING_BODY[d.framing];
  if (d.split === 'fixed') body.split = { mode: 'fixed', size: requiredNumber(d.splitSize) };
  if (d.split === 'random') body.split = { mode: 'random', seed: requiredNumber(d.seed) };
  const gap = optionalNumber(d.chunkGapMs);
  if (gap !== 0) body.chunkGapMs = gap;
  if (d.leaveRepliesUnread) body.leaveRepliesUnread = true;
  return body;
}

export type CheckedBurst =
  | { ok: true; body: BurstRequestInput; request: BurstRequest }
  | { ok: false; field: DraftField | null; message: string };

/** Where a schema issue points, as the form's field; the message then starts with that field's label. */
const FIELD_OF_PATH: Record<string, DraftField> = {
  count: 'count',
  payload: 'payload',
  intervalMs: 'intervalMs',
  noDelay: 'noDelay',
  framing: 'framing',
  'split.size': 'splitSize',
  'split.seed': 'seed',
  split: 'split',
  chunkGapMs: 'chunkGapMs',
  leaveRepliesUnread: 'leaveRepliesUnread',
};

export const FIELD_LABELS: Record<DraftField, string> = {
  count: 'Count',
  payload: 'Payload',
  intervalMs: 'Interval',
  noDelay: 'nodelay',
  framing: 'Framing',
  split: 'Split',
  splitSize: 'Piece size',
  seed: 'Seed',
  chunkGapMs: 'Gap',
  leaveRepliesUnread: 'Leave replies unread',
};

/** The first thing the server would refuse, with its message under the form's name for the field. */
export function checkBurst(d: BurstDraft): CheckedBurst {
  const body = burstBody(d);
  const parsed = BurstRequestSchema.safeParse(body);
  if (parsed.success) {
    // The server's default ceilings on a burst's writes and bytes, in its words (the server's own framing counts as raw here).
    const cost = burstCost(parsed.data, framingOnWire(parsed.data.framing, null), MAX_BURST_WRITES_DEFAULT);
    const tooCostly = burstCostRefusal(cost, { maxBurstWrites: MAX_BURST_WRITES_DEFAULT, maxBurstBytes: MAX_BURST_BYTES_DEFAULT });
    if (tooCostly !== null) return { ok: false, field: null, message: tooCostly };
    return { ok: true, body, request: parsed.data };
  }
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const field = FIELD_OF_PATH[path] ?? null;
  return { ok: false, field, message: `${field ? FIELD_LABELS[field] : path}: ${issue.message}` };
}

export interface BurstSize {
  /** Bytes the client writes, framing included. */
  bytes: number;
  /** Writes the client makes; null when counting them would mean cutting too many bytes (random split of a large burst). */
  writes: number | null;
}

/** Above this many bytes a random split is not replayed just to count its pieces. */
const COUNT_RANDOM_PIECES_MAX_BYTES = 1 << 20;

/**
 * What a checked burst puts on the wire, as the built-in client builds it: each payload framed, each frame cut
 * by one splitter that runs across the whole burst. `serverFraming` stands in for `{mode: 'server'}`.
 */
export function burstSize(req: BurstRequest, serverFraming: Framing | null): BurstSize {
  const framing = framingOnWire(req.framing, serverFraming);
  const lengthOf = payloadLength(req.payload);
  let bytes = 0;
  for (let i = 1; i <= req.count; i++) bytes += frameLength(lengthOf(i), framing);

  const split = req.split;
  if (split.mode === 'none') return { bytes, writes: req.count };
  let writes = 0;
  if (split.mode === 'fixed') {
    for (let i = 1; i <= req.count; i++) writes += Math.max(1, Math.ceil(frameLength(lengthOf(i), framing) / split.size));
    return { bytes, writes };
  }
  if (bytes > COUNT_RANDOM_PIECES_MAX_BYTES) return { bytes, writes: null };
  // The splitter looks only at lengths, so one zeroed buffer stands in for every frame.
  const cut = createSplitter(split);
  const scratch = new Uint8Array(bytes);
  for (let i = 1; i <= req.count; i++) writes += Math.max(1, cut(scratch.subarray(0, frameLength(lengthOf(i), framing))).length);
  return { bytes, writes };
}

/** The framing the client will write in; the server's is unknown until its config arrives, and raw until then. */
export function framingOnWire(framing: BurstRequest['framing'], serverFraming: Framing | null): Framing {
  return framing.mode === 'server' ? (serverFraming ?? { mode: 'raw' }) : framing;
}

/** True when the payload already ends with the delimiter that the framing appends: each write then adds an empty message. */
export function doubledDelimiter(payload: string, framing: Framing | null): boolean {
  return framing?.mode === 'delimiter' && payload.endsWith(framing.delimiter);
}
