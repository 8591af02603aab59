// A config event's log line says what changed ("read buffer 1024 → 7 B"), not the whole config again.
import type { Config } from '../../shared/config.ts';
import { describeFraming } from '../framing/framing-text.ts';

/** The whole config in a line: read buffer, reply, reading, framing. */
export function describeConfig(c: Config): string {
  return `read buffer ${c.bufferSize} B · reply ${c.replyMode} · ${c.paused ? 'reading stopped' : 'reading'} · framing ${describeFraming(c.framing)}`;
}

/** What differs from `prev` to `next`; the whole config when there is no `prev` to compare with. */
export function describeConfigChange(prev: Config | null, next: Config): string {
  if (prev === null) return describeConfig(next);
  const parts: string[] = [];
  if (prev.bufferSize !== next.bufferSize) parts.push(`read buffer ${prev.bufferSize} → ${next.bufferSize} B`);
  if (prev.replyMode !== next.replyMode) parts.push(`reply ${prev.replyMode} → ${next.replyMode}`);
  if (prev.paused !== next.paused) parts.push(next.paused ? 'reading stopped' : 'reading resumed');
  const pf = describeFraming(prev.framing);
  const nf = describeFraming(next.framing);
  if (pf !== nf) parts.push(`framing ${pf} → ${nf}`);
  return parts.length > 0 ? parts.join(' · ') : `unchanged: ${describeConfig(next)}`;
}
