// The server's live settings: what PATCH /api/config changes and what every `config` event carries.
import { z } from 'zod';
import { BUFFER_SIZE_DEFAULT, BUFFER_SIZE_MAX, BUFFER_SIZE_MIN } from './limits.ts';

export const REPLY_MODES = ['ack', 'echo', 'none'] as const;
export const ReplyModeSchema = z.enum(REPLY_MODES, {
  error: `must be one of ${REPLY_MODES.join(', ')}`,
});
export type ReplyMode = z.infer<typeof ReplyModeSchema>;

export const BufferSizeSchema = z
  .number({ error: `must be an integer from ${BUFFER_SIZE_MIN} to ${BUFFER_SIZE_MAX}` })
  .int({ error: `must be an integer from ${BUFFER_SIZE_MIN} to ${BUFFER_SIZE_MAX}` })
  .min(BUFFER_SIZE_MIN, { error: `must be an integer from ${BUFFER_SIZE_MIN} to ${BUFFER_SIZE_MAX}` })
  .max(BUFFER_SIZE_MAX, { error: `must be an integer from ${BUFFER_SIZE_MIN} to ${BUFFER_SIZE_MAX}` });

export const FRAMING_MAX_MESSAGE_BYTES_DEFAULT = 65536;
export const FRAMING_MAX_MESSAGE_BYTES_MAX = 16 * 1024 * 1024;
export const FRAMING_DELIMITER_MAX_BYTES = 16;

const framingBytes = () =>
  z
    .number({ error: `must be an integer from 1 to ${FRAMING_MAX_MESSAGE_BYTES_MAX}` })
    .int({ error: `must be an integer from 1 to ${FRAMING_MAX_MESSAGE_BYTES_MAX}` })
    .min(1, { error: `must be an integer from 1 to ${FRAMING_MAX_MESSAGE_BYTES_MAX}` })
    .max(FRAMING_MAX_MESSAGE_BYTES_MAX, { error: `must be an integer from 1 to ${FRAMING_MAX_MESSAGE_BYTES_MAX}` });

const maxMessageBytes = framingBytes().default(FRAMING_MAX_MESSAGE_BYTES_DEFAULT);

/** How the server cuts the byte stream into messages. `raw`: it does not; every read stands alone. */
export const FramingSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('raw') }),
    z.strictObject({
      mode: z.literal('delimiter'),
      delimiter: z
        .string({ error: 'must be a string' })
        .min(1, { error: 'must not be empty' })
        .max(FRAMING_DELIMITER_MAX_BYTES, { error: `must be at most ${FRAMING_DELIMITER_MAX_BYTES} characters` })
        .default('\n'),
      maxMessageBytes,
    }),
    z.strictObject({
      mode: z.literal('fixed'),
      size: framingBytes(),
    }),
    z.strictObject({
      mode: z.literal('length-prefix'),
      prefixBytes: z.union([z.literal(1), z.literal(2), z.literal(4)], { error: 'must be 1, 2 or 4' }).default(2),
      maxMessageBytes,
    }),
  ],
  { error: 'mode must be one of raw, delimiter, fixed, length-prefix' },
);
export type Framing = z.infer<typeof FramingSchema>;

export const ConfigSchema = z.strictObject({
  bufferSize: BufferSizeSchema,
  replyMode: ReplyModeSchema,
  /** While true the echo server reads nothing: the kernel's receive queue fills and the window closes. */
  paused: z.boolean({ error: 'must be true or false' }),
  framing: FramingSchema,
});
export type Config = z.infer<typeof ConfigSchema>;

/** PATCH /api/config: any subset of the fields; unknown fields are refused, not ignored. */
export const ConfigPatchSchema = ConfigSchema.partial().refine((p) => Object.keys(p).length > 0, {
  error: 'give at least one of bufferSize, replyMode, paused, framing',
});
export type ConfigPatch = z.infer<typeof ConfigPatchSchema>;

export const DEFAULT_CONFIG: Config = {
  bufferSize: BUFFER_SIZE_DEFAULT,
  replyMode: 'ack',
  paused: false,
  framing: { mode: 'raw' },
};
