// Every number that bounds what crosses the wire, in one place. Both the server and the page
// import these, so a limit cannot mean one thing on one side and another on the other.

export const DEFAULT_HTTP_PORT = 3000;
export const DEFAULT_TCP_PORT = 5055;
export const DEFAULT_HOST = '127.0.0.1';

/** The echo server's read buffer: one kernel read returns at most this many bytes. */
export const BUFFER_SIZE_MIN = 1;
export const BUFFER_SIZE_MAX = 65536;
export const BUFFER_SIZE_DEFAULT = 1024;
/** One-click presets in the UI: the tutorial's two buffers. */
export const BUFFER_SIZE_PRESETS = [7, 1024] as const;

/** A stored event keeps at most this many of its chunk's bytes (as hex); longer chunks are `truncated`. */
export const EVENT_HEX_MAX_BYTES = 4096;
/** A live WebSocket batch carries at most this many bytes of each chunk; the page fetches the rest on demand. */
export const LIVE_HEX_PREVIEW_BYTES = 256;
/**
 * The event store keeps whole chunks (up to EVENT_HEX_MAX_BYTES) for this many bytes a second; past it,
 * within the same tenth of a second, each chunk keeps its first EVENT_THIN_HEX_BYTES (`truncated`). A
 * flood of 200,000 reads a second wraps the store in a tenth of a second anyway: copying every read's
 * bytes into it cost the echo a fifth of its speed. Counts and lengths stay exact; only hex thins.
 */
export const EVENT_KEPT_BYTES_PER_SEC = 32 * 1024 * 1024;
export const EVENT_THIN_HEX_BYTES = LIVE_HEX_PREVIEW_BYTES;
/**
 * Segment events keep whole payloads (up to EVENT_HEX_MAX_BYTES) for this many bytes a second, then, within
 * the same tenth of a second, their first EVENT_THIN_HEX_BYTES (`truncated`; the pcap download has every
 * byte). Each segment event owns its bytes as an object in the store: with 2,000 detailed segments a second
 * of 4 KiB each, the store held up to 20 MB of them, which the flood's RSS after it showed. At 4 MiB a
 * second, one flood in five still ended at 158-165 MB: those copies, freed, stayed in malloc's arena among
 * the ones kept. 1 MiB a second is 25 whole 4 KiB payloads (or 100 of 1 KiB) every tenth of a second.
 */
export const SEGMENT_KEPT_BYTES_PER_SEC = 1 * 1024 * 1024;
/**
 * Chunk events (reads, writes, replies) recorded in detail per second, after a burst of
 * EVENT_DETAIL_BURST_CHUNKS in a row. Past it a chunk is counted exactly on its connection (reads,
 * bytesRead, …, and `eventsSummarised`) and numbered, but gets no event of its own: recording each of
 * 300,000 reads a second cost the echo a quarter of its speed, while the store holds 20,000 events and the
 * live stream sends at most 8,000 a second. A burst from the page (1,000 writes and the reads and replies
 * they cause) stays whole; a stream keeps 8,000 detailed events a second, spread evenly: what the live
 * stream can send (LIVE_BATCH_MAX_EVENTS per LIVE_BATCH_INTERVAL_MS), and 2.5 s of history in the store.
 * At 20,000 a second the echo lost a tenth of its speed at buffer 1024, reply echo, to events no page
 * could be sent.
 */
export const EVENT_DETAIL_CHUNKS_PER_SEC = 8_000;
export const EVENT_DETAIL_BURST_CHUNKS = 5_000;

export const BURST_COUNT_MIN = 1;
export const BURST_COUNT_MAX = 1000;
export const BURST_COUNT_DEFAULT = 3;
export const BURST_PAYLOAD_MAX_BYTES = 65536;
/** `{n}` is replaced by the 1-based index of the write: Hello1\n, Hello2\n, … as in the tutorial. */
export const BURST_PAYLOAD_DEFAULT = 'Hello{n}\n';
export const BURST_INTERVAL_MS_MIN = 0;
export const BURST_INTERVAL_MS_MAX = 10000;
export const BURST_INTERVAL_MS_DEFAULT = 0;

/** The server-side event store is a ring of this many events; older ones fall off. */
export const EVENT_STORE_CAPACITY = 20000;
/**
 * The bytes the event store keeps of its chunks, in all: the newest events' bytes always fit (2,048 chunks
 * of EVENT_HEX_MAX_BYTES, more than a snapshot's SNAPSHOT_EVENTS), and past it the oldest events lose
 * theirs (empty hex, `truncated`) while their counts stay. Without it 20,000 kept kilobyte reads held
 * 20 MB after a stream, and up to 80 MB at 4 KiB each.
 */
export const EVENT_STORE_BYTES = 8 * 1024 * 1024;
export const EVENTS_QUERY_LIMIT_MIN = 1;
export const EVENTS_QUERY_LIMIT_MAX = 10000;
export const EVENTS_QUERY_LIMIT_DEFAULT = 1000;
/** How many recent events a WebSocket snapshot carries. */
export const SNAPSHOT_EVENTS = 2000;
/** Closed connections kept for GET /api/connections. */
export const CLOSED_CONNECTIONS_KEPT = 100;

/** Live batches go out this often: fast enough to feel live, slow enough to batch. */
export const LIVE_BATCH_INTERVAL_MS = 25;
/** At most this many events per batch travel in detail; the rest are counted, and totals stay exact. */
export const LIVE_BATCH_MAX_EVENTS = 200;
/** A subscriber whose socket holds more than this many unsent bytes is behind: it skips to a fresh snapshot. */
export const LIVE_SUBSCRIBER_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

// Guards against floods; each has a flag (server/security/security-flags.ts) and a line in the README.
/** Open echo connections; more are accepted, closed at once and logged as `close` with reason `limit`. */
export const MAX_CONNECTIONS_DEFAULT = 1000;
/** Live WebSocket subscribers at once; more are refused with 503. */
export const MAX_SUBSCRIBERS_DEFAULT = 50;
/** Largest WebSocket message a page may send; a larger one closes the socket with 1009. */
export const MAX_WS_MESSAGE_BYTES_DEFAULT = 64 * 1024;
/** Largest HTTP request body; a larger one is refused with 413. */
export const MAX_BODY_BYTES_DEFAULT = 1024 * 1024;
/** Bursts of the built-in client in flight at once; more are refused with 503. */
export const MAX_BURSTS_DEFAULT = 10;
/** Bursts started per minute, all clients together; more are refused with 429. */
export const BURST_RATE_PER_MINUTE_DEFAULT = 600;
/** Writes one burst may make (count × pieces after the split); a costlier burst is refused with 413 before it starts. */
export const MAX_BURST_WRITES_DEFAULT = 1_000_000;
/** Bytes one burst may write, framing included: 1000 writes of the largest payload fit, with any framing's prefix or delimiter. */
export const MAX_BURST_BYTES_DEFAULT = 64 * 1024 * 1024;
/** Bytes held at once for large HTTP answers in flight (events, session exports, pcap); past it they get 503. */
export const MAX_RESPONSE_BYTES_DEFAULT = 128 * 1024 * 1024;
/** Bytes framing may hold over all connections for unfinished messages; the connection that would pass it closes with `limit`. */
export const MAX_FRAMING_BYTES_DEFAULT = 64 * 1024 * 1024;
/** Open dashboard (HTTP and WebSocket) connections; more are closed at once, so the echo server keeps its descriptors. */
export const MAX_HTTP_CONNECTIONS_DEFAULT = 512;
/** Seconds a dashboard request has to send its whole header; a slower one is answered 408 and closed. */
export const HEADER_TIMEOUT_SECONDS_DEFAULT = 10;
/** The server pings every live subscriber this often; one that has not answered the last ping is dropped. */
export const WS_HEARTBEAT_MS = 30_000;
/** On shutdown, a subscriber that has not finished the closing handshake by then is cut off. */
export const WS_CLOSE_GRACE_MS = 1000;

// The capture path (tcpdump → pcap reader → decoder → tracker → events), each queue bounded in bytes.
/** Frames held for connections whose accept is not logged yet, in all (the tracker's pending segments). */
export const CAPTURE_PENDING_MAX_BYTES = 4 * 1024 * 1024;
/** Plain data and ACK segments shown in detail per second, over all connections; beyond it they are counted, not shown. SYN, FIN, RST, zero windows, window updates and retransmissions are always shown. */
export const CAPTURE_DETAIL_SEGMENTS_PER_SEC = 2000;
/** The detail budget's burst: this many plain segments in a row before the rate applies. */
export const CAPTURE_DETAIL_BURST_SEGMENTS = 2000;
/** Connections whose count of summarised segments the capture state lists (the newest). */
export const CAPTURE_SUMMARY_CONNECTIONS_KEPT = 100;
/**
 * Events the capture thread holds while the server's main thread is behind (ten seconds of the detail
 * budget); past it they are shed and counted in the capture state's `eventsShed`, their frames kept for the pcap.
 */
export const CAPTURE_THREAD_PENDING_EVENTS = 20_000;

/** Servers watched at once (--watch, POST /api/watches); more are refused with 400 naming the limit. */
export const MAX_WATCHES = 8;
/** While waiting for a listener, or after the watched process died, the socket table is read this often. */
export const WATCH_POLL_MS = 250;
/** Bytes of each traced call kept as its preview (the tracer copies them out of the process). */
export const WATCH_PREVIEW_BYTES = 64;
/** Traced calls shown in detail per second, per watch (eBPF); beyond it they are counted in the kernel, not shown. */
export const WATCH_DETAIL_CALLS_PER_SEC = 2000;
/** The watch detail budget's burst: this many calls in a row before the rate applies. */
export const WATCH_DETAIL_BURST_CALLS = 2000;

/** What a pcap download holds at most: the newest frames of each connection within these bounds. */
export const PCAP_PER_CONNECTION_BYTES = 10 * 1024 * 1024;
export const PCAP_TOTAL_BYTES = 32 * 1024 * 1024;

/** The reason GET /api/capture gives when tcpscope was started with --no-capture. */
export const NO_CAPTURE_REASON = 'turned off with --no-capture';
