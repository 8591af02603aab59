// The page's state in its URL, so that a link reopens the same view: which connection is selected, the
// read buffer and framing, and for a session file where the scrubber stands and how fast it plays.
// Every parameter is checked on its own; a bad one is named and ignored, the others still apply.
// A link's buffer and framing are only a proposal: anyone can make a link, so the page shows what it
// would change and changes the live server only when its user says so (linkProposal).
import { z } from 'zod';
import { BufferSizeSchema, type Config, type Framing, FramingSchema } from './config.ts';

export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

export interface ViewLink {
  /** Address of a session file to open instead of the live server. */
  session?: string;
  /** The selected (pinned) connection. */
  conn?: number;
  buffer?: number;
  framing?: Framing;
  /** Replay position: milliseconds after the session's first event. */
  at?: number;
  speed?: ReplaySpeed;
}

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, { error: `must be an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be an integer from ${min} to ${max}` }).max(max, { error: `must be an integer from ${min} to ${max}` }));

const FIELDS = {
  session: z.string().min(1, { error: 'must not be empty' }).max(2048, { error: 'must be at most 2048 characters' }),
  conn: int(1, 2 ** 31),
  buffer: z
    .string()
    .regex(/^\d{1,6}$/, { error: 'must be an integer from 1 to 65536' })
    .transform(Number)
    .pipe(BufferSizeSchema),
  at: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,3})?$/, { error: 'must be a number of milliseconds, 0 or more' })
    .transform(Number),
  speed: z
    .enum(REPLAY_SPEEDS.map(String) as [string, ...string[]], { error: `must be one of ${REPLAY_SPEEDS.join(', ')}` })
    .transform((s) => Number(s) as ReplaySpeed),
} as const;

/** `framing=delimiter&delim=\n&max=64`, `framing=fixed&size=7`, `framing=length-prefix&prefix=2&max=64`, `framing=raw`. */
function framingFrom(params: URLSearchParams): z.ZodSafeParseResult<Framing> | null {
  const mode = params.get('framing');
  if (mode === null) return null;
  const num = (k: string) => (params.has(k) && /^\d{1,9}$/.test(params.get(k)!) ? Number(params.get(k)) : params.get(k) ?? undefined);
  const candidate: Record<string, unknown> = { mode };
  if (mode === 'delimiter') {
    if (params.has('delim')) candidate.delimiter = params.get('delim');
    if (params.has('max')) candidate.maxMessageBytes = num('max');
  } else if (mode === 'fixed') candidate.size = num('size');
  else if (mode === 'length-prefix') {
    if (params.has('prefix')) candidate.prefixBytes = num('prefix');
    if (params.has('max')) candidate.maxMessageBytes = num('max');
  }
  return FramingSchema.safeParse(candidate);
}

/** The view named by a query string, and one line per parameter that was refused ("conn: must be …"). */
export function parseViewLink(search: string): { link: ViewLink; problems: string[] } {
  const params = new URLSearchParams(search);
  const link: ViewLink = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(FIELDS) as [keyof typeof FIELDS, z.ZodType][]) {
    const value = params.get(key);
    if (value === null) continue;
    const r = schema.safeParse(value);
    if (r.success) (link as Record<string, unknown>)[key] = r.data;
    else problems.push(`${key}: ${r.error.issues[0]?.message ?? 'not allowed'}`);
  }
  const framing = framingFrom(params);
  if (framing?.success) link.framing = framing.data;
  else if (framing) {
    const issue = framing.error.issues[0];
    const field = issue?.path[0] === 'mode' || issue?.path.length === 0 ? 'framing' : `framing.${String(issue?.path[0])}`;
    problems.push(`${field}: ${issue?.message ?? 'not allowed'}`);
  }
  return { link, problems };
}

/** The query string for a view; parameters of other parts of the page (a token, say) are kept as they are. */
export function viewLinkSearch(link: ViewLink, keep: URLSearchParams = new URLSearchParams()): string {
  const params = new URLSearchParams(keep);
  for (const k of ['session', 'conn', 'buffer', 'framing', 'delim', 'size', 'prefix', 'max', 'at', 'speed']) params.delete(k);
  if (link.session !== undefined) params.set('session', link.session);
  if (link.conn !== undefined) params.set('conn', String(link.conn));
  if (link.buffer !== undefined) params.set('buffer', String(link.buffer));
  const f = link.framing;
  if (f !== undefined) {
    params.set('framing', f.mode);
    if (f.mode === 'delimiter') {
      params.set('delim', f.delimiter);
      params.set('max', String(f.maxMessageBytes));
    } else if (f.mode === 'fixed') params.set('size', String(f.size));
    else if (f.mode === 'length-prefix') {
      params.set('prefix', String(f.prefixBytes));
      params.set('max', String(f.maxMessageBytes));
    }
  }
  if (link.at !== undefined) params.set('at', String(Math.round(link.at * 1000) / 1000));
  if (link.speed !== undefined) params.set('speed', String(link.speed));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** What a link would change on a live server with `config`: the differing buffer and framing, or null. */
export function linkProposal(link: ViewLink, config: Config): { bufferSize?: number; framing?: Framing } | null {
  const patch: { bufferSize?: number; framing?: Framing } = {};
  if (link.buffer !== undefined && link.buffer !== config.bufferSize) patch.bufferSize = link.buffer;
  if (link.framing !== undefined && !sameFraming(link.framing, config.framing)) patch.framing = link.framing;
  return Object.keys(patch).length === 0 ? null : patch;
}

/** Field by field, whatever the key order. */
function sameFraming(a: Framing, b: Framing): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
