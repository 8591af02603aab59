// What the wire view carries: one `segment` event per captured TCP segment of an accepted connection,
// one `sample` event per look at the kernel's socket state, and the capture's own state.
// Kept apart from events.ts so that the capture can evolve on its own; events.ts adds both to its union.
import { z } from 'zod';
import { connIdQuery } from './conn-id.ts';

const u32 = z.number().int().min(0).max(0xffffffff);

/** Same fields as the base of every event in events.ts, so these schemas can join its union. */
export const wireEventBase = {
  seq: z.number().int().nonnegative(),
  t: z.number(),
  connId: z.number().int().nonnegative(),
};

export const DIRECTIONS = ['c2s', 's2c'] as const;
export const DirectionSchema = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof DirectionSchema>;

/** In the order Wireshark lists them (the flags byte from its high bit down, with FIN last). */
export const TCP_FLAGS = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;
export const TcpFlagSchema = z.enum(TCP_FLAGS);
export type TcpFlag = z.infer<typeof TcpFlagSchema>;

export const TcpOptionsSchema = z.object({
  mss: z.number().int().optional(),
  /** The shift count the sender offers (RFC 7323); windows are scaled only once both ends offered one. */
  windowScale: z.number().int().optional(),
  sackPermitted: z.boolean().optional(),
  /** SACK blocks as absolute [left, right) edges. */
  sack: z.array(z.tuple([u32, u32])).optional(),
  timestamps: z.object({ value: u32, echo: u32 }).optional(),
});
export type TcpOptions = z.infer<typeof TcpOptionsSchema>;

export const SegmentEventSchema = z.object({
  ...wireEventBase,
  kind: z.literal('segment'),
  direction: DirectionSchema,
  flags: z.array(TcpFlagSchema),
  ipVersion: z.union([z.literal(4), z.literal(6)]),
  /** The sequence and acknowledgment numbers as on the wire. */
  seqNumber: u32,
  ackNumber: u32,
  /** As Wireshark shows them: 0 at the SYN of each direction (or at its first segment seen, if the SYN was missed). */
  relativeSeq: u32,
  /** Null when the ACK flag is off or the other direction's start is unknown. */
  relativeAck: u32.nullable(),
  /** The window field as on the wire. */
  windowRaw: z.number().int().min(0).max(0xffff),
  /** The window in bytes: windowRaw shifted by the sender's scale once the handshake agreed one. */
  window: z.number().int().nonnegative(),
  /** The shift applied to windowRaw; null when the handshake was not seen and the scale is unknown. */
  windowShift: z.number().int().min(0).max(14).nullable(),
  /** payloadLength = ipTotalLength − ipHeaderLength − tcpHeaderLength (for IPv6, ipTotalLength is payload length + 40). */
  payloadLength: z.number().int().nonnegative(),
  ipTotalLength: z.number().int().nonnegative(),
  ipHeaderLength: z.number().int().nonnegative(),
  tcpHeaderLength: z.number().int().nonnegative(),
  options: TcpOptionsSchema,
  /** The payload as "48 65 6C …" (shared/hex.ts), at most EVENT_HEX_MAX_BYTES of it. */
  hex: z.string(),
  /** True when `hex` holds fewer bytes than payloadLength. */
  truncated: z.boolean(),
});
export type SegmentEvent = z.infer<typeof SegmentEventSchema>;

export const SOCKET_SIDES = ['server', 'client'] as const;
export const SocketSideSchema = z.enum(SOCKET_SIDES);
export type SocketSide = z.infer<typeof SocketSideSchema>;

/** The kernel's view of one end of a connection, as `ss -tin` reports it. Null where ss gave no value. */
export const SampleEventSchema = z.object({
  ...wireEventBase,
  kind: z.literal('sample'),
  /** `server`: the echo server's socket. `client`: the peer's socket, visible because it is on this host. */
  side: SocketSideSchema,
  /** ss's state name: ESTAB, FIN-WAIT-1, CLOSE-WAIT, … */
  state: z.string(),
  /** Bytes received by the kernel that the application has not read yet. */
  recvQ: z.number().int().nonnegative(),
  /** Bytes written by the application that the peer has not acknowledged yet. */
  sendQ: z.number().int().nonnegative(),
  rttMs: z.number().nonnegative().nullable(),
  rttVarMs: z.number().nonnegative().nullable(),
  /** Congestion window, in segments. */
  cwnd: z.number().int().nonnegative().nullable(),
  /** The peer's advertised window, in bytes (ss's snd_wnd). */
  sndWnd: z.number().int().nonnegative().nullable(),
  /** The window this end advertises, in bytes (ss's rcv_wnd; older ss versions do not print it). */
  rcvWnd: z.number().int().nonnegative().nullable(),
  /** The receive buffer space the kernel auto-tunes (ss's rcv_space). */
  rcvSpace: z.number().int().nonnegative().nullable(),
  mss: z.number().int().nonnegative().nullable(),
});
export type SampleEvent = z.infer<typeof SampleEventSchema>;

/** GET /api/capture. `reason` says why capture is off and how to turn it on; null while active. */
export const CaptureStateSchema = z.object({
  active: z.boolean(),
  reason: z.string().nullable(),
  /** Frames read from the capture since tcpscope started. */
  framesSeen: z.number().int().nonnegative(),
  /** Frames skipped because they were truncated or malformed. */
  framesMalformed: z.number().int().nonnegative(),
  /** Segments dropped because they belonged to no connection tcpscope accepted. */
  framesUnmatched: z.number().int().nonnegative(),
  /** How often the capture program was restarted after it died. */
  restarts: z.number().int().nonnegative(),
  /**
   * Plain data and ACK segments counted but not sent as `segment` events because they came faster than
   * `detailSegmentsPerSec` (over all connections). SYN, FIN, RST, zero-window, window-update and
   * retransmitted segments are always sent. The pcap download still has every frame.
   */
  segmentsSummarized: z.number().int().nonnegative().optional(),
  /**
   * Packets the kernel dropped before tcpdump could take them (tcpscope was behind and tcpdump's pipe
   * full; tcpdump's own count, asked for every second): the capture missed these, nothing else did.
   */
  framesDropped: z.number().int().nonnegative().optional(),
  /** The same count for each of the newest connections that had any (CAPTURE_SUMMARY_CONNECTIONS_KEPT). */
  summarizedByConn: z.array(z.object({ connId: z.number().int().nonnegative(), segments: z.number().int().nonnegative() })).optional(),
  /** The detail budget: plain segments per second sent as events, over all connections. */
  detailSegmentsPerSec: z.number().int().nonnegative().optional(),
  /** The server ports captured and sampled: the echo port, then each watched server's. */
  ports: z.array(z.number().int().min(1).max(65535)).optional(),
  /**
   * How often the filter changed with the watches: each time a new tcpdump took over from the old one,
   * which ran on until the new one captured, so no frame fell in between. `handoverDuplicates` counts
   * the frames both saw meanwhile, passed on once.
   */
  filterChanges: z.number().int().nonnegative().optional(),
  handoverDuplicates: z.number().int().nonnegative().optional(),
  /**
   * Segment and sample events the capture could not hand to the event store because the server was that
   * far behind (CAPTURE_THREAD_PENDING_EVENTS waiting): counted here, their frames still in the pcap.
   */
  eventsShed: z.number().int().nonnegative().optional(),
});
export type CaptureState = z.infer<typeof CaptureStateSchema>;

// Defined in limits.ts, which imports nothing: the capture thread needs them without the schemas above.
export { NO_CAPTURE_REASON } from './limits.ts';

/** What the capture hands to the recorder: an event before the recorder gives it its `seq`. */
/**
 * A segment as the capture hands it to the recorder: its payload stays bytes (at most
 * EVENT_HEX_MAX_BYTES of them), formatted as hex only when the event leaves the process, like a read's.
 */
export type UnsequencedSegment = Omit<SegmentEvent, 'seq' | 'hex'> & { bytes: Uint8Array };
export type UnsequencedSample = Omit<SampleEvent, 'seq'>;
export type UnsequencedWireEvent = UnsequencedSegment | UnsequencedSample;

/** GET /api/capture.pcap?connId=N: the connection whose captured frames to download. */
export const PcapQuerySchema = z.strictObject({
  connId: connIdQuery(1),
});
export type PcapQuery = z.infer<typeof PcapQuerySchema>;

export { PCAP_PER_CONNECTION_BYTES, PCAP_TOTAL_BYTES } from './limits.ts';
