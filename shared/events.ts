// Every event the server records, as one discriminated union on `kind`. The store keeps them, the
// WebSocket streams them, GET /api/events returns them, session files hold them: one shape everywhere.
import { z } from 'zod';
import { ConfigSchema } from './config.ts';
import { ErrorEventSchema, MessageEventSchema } from './message-events.ts';
import { SampleEventSchema, SegmentEventSchema } from './wire.ts';
import { WatchRefSchema } from './watch-ref.ts';

const seq = z.number().int().nonnegative();
const base = {
  /** Monotonic across the whole server: the order in which things happened. */
  seq,
  /** Wall-clock milliseconds since the epoch, with sub-millisecond precision. */
  t: z.number(),
  /** The connection the event belongs to; 0 for events of the whole server (config). */
  connId: z.number().int().nonnegative(),
};

/** A chunk of the stream: `offset` is its first byte's position in its direction of the connection. */
const chunk = {
  ...base,
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  /** Uppercase byte pairs separated by single spaces, as the tutorial logs them: "48 65 6C 6C 6F 31 0A". */
  hex: z.string(),
  /** True when `hex` holds fewer bytes than `length`. */
  truncated: z.boolean(),
};

export const CLOSE_REASONS = ['end', 'reset', 'error', 'server', 'limit', 'protocol'] as const;
export const CloseReasonSchema = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReasonSchema>;

export const CONNECTION_ORIGINS = ['external', 'builtin', 'watched'] as const;
export const ConnectionOriginSchema = z.enum(CONNECTION_ORIGINS);
export type ConnectionOrigin = z.infer<typeof ConnectionOriginSchema>;

export const OpenEventSchema = z.object({
  ...base,
  kind: z.literal('open'),
  remoteAddress: z.string(),
  remotePort: z.number().int(),
  localAddress: z.string(),
  localPort: z.number().int(),
  origin: ConnectionOriginSchema,
  /** For `watched` connections: the watched server (its port, process and command line). */
  watch: WatchRefSchema.optional(),
});

export const CloseEventSchema = z.object({
  ...base,
  kind: z.literal('close'),
  reason: CloseReasonSchema,
  /** The error code (ECONNRESET, EPIPE, …) when the reason is `error` or `reset`. */
  code: z.string().optional(),
});

/** One receive from the kernel on the echo server: `length` is exactly what that one read returned. */
export const ReadEventSchema = z.object({
  ...chunk,
  kind: z.literal('read'),
  /** On a watched server: the count the read call asked for (for readv/recvmsg the sum of its buffers). */
  requested: z.number().int().nonnegative().optional(),
});
/** One write by the built-in client. */
export const WriteEventSchema = z.object({ ...chunk, kind: z.literal('write') });
/** One write back from the echo server to its peer (`Received: N`, or the echoed bytes). */
export const ReplyEventSchema = z.object({
  ...chunk,
  kind: z.literal('reply'),
  /** On a watched server: the count the write call offered; a short write returned less (`length`). */
  requested: z.number().int().nonnegative().optional(),
});

export const ConfigEventSchema = z.object({ ...base, kind: z.literal('config'), config: ConfigSchema });

export const EventSchema = z.discriminatedUnion('kind', [
  OpenEventSchema,
  CloseEventSchema,
  ReadEventSchema,
  WriteEventSchema,
  ReplyEventSchema,
  ConfigEventSchema,
  MessageEventSchema,
  ErrorEventSchema,
  SegmentEventSchema,
  SampleEventSchema,
]);
export type TcpEvent = z.infer<typeof EventSchema>;
export type EventKind = TcpEvent['kind'];
export type EventOf<K extends EventKind> = Extract<TcpEvent, { kind: K }>;
export type ChunkEvent = EventOf<'read' | 'write' | 'reply'>;
export const EVENT_KINDS = EventSchema.options.map((o) => o.shape.kind.value) as EventKind[];

export function isChunkEvent(e: TcpEvent): e is ChunkEvent {
  return e.kind === 'read' || e.kind === 'write' || e.kind === 'reply';
}
