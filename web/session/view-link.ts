// Keeps the address bar in step with the view (selected connection, buffer, framing, replay position),
// and offers a link's buffer and framing to the user, never applying them unasked.
import { useEffect, useRef, useState } from 'react';
import type { Framing } from '../../shared/config.ts';
import { linkProposal, parseViewLink, type ViewLink, viewLinkSearch } from '../../shared/view-link.ts';
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

export interface LinkProposal {
  patch: { bufferSize?: number; framing?: Framing };
  apply(): void;
  dismiss(): void;
}

/**
 * Keeps the address in step with the view, and turns a link's buffer and framing into a proposal: any
 * site can send a browser here with `?buffer=1&framing=…`, so the page never applies them itself. It
 * shows what the link would change (LinkProposalBanner) and sends the PATCH only on the user's click.
 */
export function useViewLink(pinned: number | null): LinkProposal | null {
  const store = useStore();
  const command = useCommand();
  const { config, link } = useStoreView();
  const decided = useRef(false);
  /** undefined until the first live config says what, if anything, the link would change. */
  const [patch, setPatch] = useState<LinkProposal['patch'] | null | undefined>(undefined);

  // Once, on the first live config: what the link proposes, and what it got wrong.
  useEffect(() => {
    if (decided.current || link !== 'live' || config === null) return;
    decided.current = true;
    const problems = openedWith.problems;
    if (problems.length > 0) void command('Link', () => Promise.reject(new Error(`ignored ${problems.join('; ')}`)));
    setPatch(linkProposal(openedWith.link, config));
  }, [link, config, command]);

  // While a proposal waits, the address keeps it (a reload shows it again); otherwise it follows the
  // live server. A replay's address holds the file and the scrubber, never a config to propose.
  useEffect(() => {
    if (config === null) return;
    if (link === 'replay') writeViewLink({ conn: pinned ?? undefined, buffer: undefined, framing: undefined });
    else if (patch === null) writeViewLink({ conn: pinned ?? undefined, buffer: config.bufferSize, framing: config.framing });
    // undefined (not yet decided) or a proposal waiting: the link's own values stay.
    else writeViewLink({ conn: pinned ?? undefined });
  }, [pinned, config, link, patch]);

  if (patch === null || patch === undefined || link === 'replay') return null;
  return {
    patch,
    apply: () => {
      setPatch(null);
      void command('Link', () => api.patchConfig(patch)).then((next) => {
        if (next) store.applyConfig(next);
      });
    },
    dismiss: () => setPatch(null),
  };
}
