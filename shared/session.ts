// A session file: what the server saw, as one JSON document that opens again on any tcpscope page,
// without the server. `parseSession` is the one way in: it checks size, format, version and every
// event against the same schemas the live stream uses, and says what is wrong, naming the field.
import { z } from 'zod';
import { ConfigSchema } from './config.ts';
import { ConnectionSchema } from './connections.ts';
import { EventSchema } from './events.ts';

export const SESSION_FORMAT = 'tcpscope-session';
/** Bumped whenever a reader of the previous version would misread a file; see MIGRATIONS. */
export const SESSION_VERSION = 1;
/** Larger files are refused before they are read. */
export const SESSION_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** As many as the page holds (and the server keeps by default). */
export const SESSION_MAX_EVENTS = 20_000;
export const SESSION_MAX_CONNECTIONS = 10_000;
/** The server spends at most this many characters of hex on a whole export, and gives each event at least LIVE_HEX_PREVIEW_BYTES. */
export const SESSION_EXPORT_HEX_BUDGET_CHARS = 32 * 1024 * 1024;

export const SessionSchema = z
  .strictObject({
    format: z.literal(SESSION_FORMAT, { error: `must be "${SESSION_FORMAT}"` }),
    version: z.literal(SESSION_VERSION, { error: `must be ${SESSION_VERSION}` }),
    /** When the file was written, ms since the epoch. */
    exportedAt: z.number({ error: 'must be a number' }),
    /** The config in effect before the first event; `config` events in `events` are every change after it. */
    initialConfig: ConfigSchema,
    /** The config when the file was written. */
    config: ConfigSchema,
    /** Every connection the server listed then, with its final counters. */
    connections: z.array(ConnectionSchema).max(SESSION_MAX_CONNECTIONS, { error: `must hold at most ${SESSION_MAX_CONNECTIONS} connections` }),
    /** Oldest first, seq strictly increasing. */
    events: z.array(EventSchema).max(SESSION_MAX_EVENTS, { error: `must hold at most ${SESSION_MAX_EVENTS} events` }),
  })
  .superRefine((doc, ctx) => {
    for (let i = 1; i < doc.events.length; i++) {
      if (doc.events[i]!.seq <= doc.events[i - 1]!.seq) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'seq'], message: `must be above the previous event's seq ${doc.events[i - 1]!.seq}` });
        return;
      }
    }
  });
export type SessionDocument = z.infer<typeof SessionSchema>;

/**
 * Upgrades a file of an older version to the next one. Version 1 is the first, so there is nothing to
 * upgrade yet; a file that names a version below it is not one this format ever wrote.
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export type SessionParse = { ok: true; session: SessionDocument } | { ok: false; reason: string };

export function sessionSizeProblem(bytes: number): string | null {
  if (bytes <= SESSION_FILE_MAX_BYTES) return null;
  return `the file is ${mib(bytes)}; a session file may be at most ${mib(SESSION_FILE_MAX_BYTES)}`;
}

/** Text in, a checked session or the reason it is refused. Never throws. */
export function parseSession(text: string): SessionParse {
  const size = sessionSizeProblem(text.length);
  if (size !== null) return { ok: false, reason: size };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `the file is not JSON (${(err as Error).message})` };
  }
  return checkSession(raw);
}

/** A parsed JSON value in, a checked session or the reason it is refused. */
export function checkSession(raw: unknown): SessionParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { format?: unknown }).format !== SESSION_FORMAT) {
    return { ok: false, reason: `this is not a tcpscope session file (format must be "${SESSION_FORMAT}")` };
  }
  let doc = raw as Record<string, unknown>;
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return { ok: false, reason: 'version: must be an integer (the format version of the file)' };
  }
  if (version > SESSION_VERSION) {
    return { ok: false, reason: `the file has format version ${version}, from a newer tcpscope; this page reads versions up to ${SESSION_VERSION}` };
  }
  for (let v = version; v < SESSION_VERSION; v++) {
    const up = MIGRATIONS[v];
    if (up === undefined) {
      return { ok: false, reason: `the file has format version ${version}, which this tcpscope cannot read (it reads version ${SESSION_VERSION})` };
    }
    doc = up(doc);
  }
  const result = SessionSchema.safeParse(doc);
  if (!result.success) return { ok: false, reason: describeIssues(result.error) };
  return { ok: true, session: result.data };
}

/** "events.3.length: must be …" for the first problem, and how many more there are. */
function describeIssues(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (first === undefined) return 'the file does not match the session format';
  const path = first.path.map(String).join('.') || 'file';
  const what = first.code === 'unrecognized_keys' ? `unknown field ${first.keys.join(', ')}` : first.message;
  return `${path}: ${what}${rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : ''}`;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The file name a session is saved under: tcpscope-session-2024-05-01T12-30-05.json */
export function sessionFileName(exportedAt: number, ext: 'json' | 'csv'): string {
  const stamp = new Date(exportedAt).toISOString().slice(0, 19).replaceAll(':', '-');
  return `tcpscope-session-${stamp}.${ext}`;
}
