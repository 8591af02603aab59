// The WebSocket protocol on /ws. Server → page: a snapshot on connect, then batches. Page → server:
// small commands, each validated like an HTTP body.
import { z } from 'zod';
import { ConfigSchema } from './config.ts';
import { ConnectionSchema } from './connections.ts';
import { EventSchema } from './events.ts';
import { CaptureStateSchema } from './wire.ts';

export const SnapshotMessageSchema = z.object({
  type: z.literal('snapshot'),
  config: ConfigSchema,
  connections: z.array(ConnectionSchema),
  events: z.array(EventSchema),
  /** The seq the next event will have: events below it are in the snapshot or gone. */
  nextSeq: z.number().int(),
  /** The wire capture's state (GET /api/capture); absent from servers without a capture. */
  capture: CaptureStateSchema.optional(),
  /** Where the echo server listens, so the page can say how to connect to it. */
  echo: z.object({ host: z.string(), port: z.number().int() }).optional(),
  /**
   * The first snapshot after a new session (POST /api/session/reset): what the page holds from before
   * is gone from the server, so the page starts over from this snapshot instead of merging it.
   */
  reset: z.literal(true).optional(),
});

export const BatchMessageSchema = z.object({
  type: z.literal('batch'),
  events: z.array(EventSchema),
  /** Events recorded in this period but left out of `events` to bound the stream; they are in the store. */
  skipped: z.number().int().nonnegative(),
  /**
   * Reads, writes and replies of this period counted past the event detail budget: numbered, in their
   * connections' counters (`eventsSummarised`), but with no event anywhere. Absent when none.
   */
  summarised: z.number().int().nonnegative().optional(),
  /** Connections whose counters or state changed in this period, with exact totals. */
  connections: z.array(ConnectionSchema),
});

/** Sent to a subscriber that fell behind, just before the fresh snapshot that resynchronises it. */
export const MissedMessageSchema = z.object({ type: z.literal('missed'), count: z.number().int().nonnegative() });

export const ErrorMessageSchema = z.object({ type: z.literal('error'), message: z.string() });
export const PongMessageSchema = z.object({ type: z.literal('pong'), id: z.number().int() });
/** The wire capture turned on or off, or its reason changed. */
export const CaptureMessageSchema = z.object({ type: z.literal('capture'), state: CaptureStateSchema });

export const ServerMessageSchema = z.discriminatedUnion('type', [
  SnapshotMessageSchema,
  BatchMessageSchema,
  MissedMessageSchema,
  ErrorMessageSchema,
  PongMessageSchema,
  CaptureMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type SnapshotMessage = z.infer<typeof SnapshotMessageSchema>;
export type BatchMessage = z.infer<typeof BatchMessageSchema>;

export const ClientMessageSchema = z.discriminatedUnion(
  'type',
  [
    /** Ask for a fresh snapshot (after the page cleared its view, say). */
    z.strictObject({ type: z.literal('resync') }),
    z.strictObject({ type: z.literal('ping'), id: z.number().int().nonnegative() }),
  ],
  { error: 'type must be one of resync, ping' },
);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
