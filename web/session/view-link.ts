// Keeps the address bar in step with the view (selected connection, buffer, framing, replay position)
// and applies a link's buffer and framing to the live server once, when the page opens.
import { useEffect, useRef } from 'react';
import { sameFramingShape } from '../framing/framing-text.ts';
import { parseViewLink, type ViewLink, viewLinkSearch } from '../../shared/view-link.ts';
import { api } from '../api.ts';
import { useCommand } from '../controls/notice.tsx';
import { useStore, useStoreView } from '../stream/event-store.ts';

/** What the address said when the page opened, and what it got wrong. */
export const openedWith: { link: ViewLink; problems: string[] } = parseViewLink(typeof location === 'undefined' ? '' : location.search);

/** `?session=` in the address: main.tsx leaves the live socket closed for such a page. */
export function linkedSessionUrl(): string | null {
  return openedWith.link.session ?? null;
}

/** The connection the link selects, for the page's first render. */
export function linkedConnection(): number | null {
  return openedWith.link.conn ?? null;
}

/** Rewrites the address without a new history entry; other parameters stay. */
export function writeViewLink(patch: Partial<ViewLink>): void {
  const current = parseViewLink(location.search).link;
  const next: ViewLink = { ...current, ...patch };
  for (const k of Object.keys(patch) as (keyof ViewLink)[]) if (patch[k] === undefined) delete next[k];
  const search = viewLinkSearch(next, new URLSearchParams(location.search));
  if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
}

export function useViewLink(pinned: number | null): void {
  const store = useStore();
  const command = useCommand();
  const { config, link } = useStoreView();
  const applied = useRef(false);

  // Once, on the first live config: a link's buffer and framing are set on the server, so the view matches.
  useEffect(() => {
    if (applied.current || link !== 'live' || config === null) return;
    applied.current = true;
    const { buffer, framing } = openedWith.link;
    const patch = {
      ...(buffer !== undefined && buffer !== config.bufferSize ? { bufferSize: buffer } : {}),
      ...(framing !== undefined && !sameFramingShape(framing, config.framing) ? { framing } : {}),
    };
    const problems = openedWith.problems;
    const report = () => {
      if (problems.length > 0) void command('Link', () => Promise.reject(new Error(`ignored ${problems.join('; ')}`)));
    };
    if (Object.keys(patch).length === 0) return report();
    void command('Link', () => api.patchConfig(patch)).then((next) => {
      if (next) store.applyConfig(next);
      report();
    });
  }, [link, config, command, store]);

  useEffect(() => {
    if (config === null) return;
    writeViewLink({ conn: pinned ?? undefined, buffer: config.bufferSize, framing: config.framing });
  }, [pinned, config]);
}
