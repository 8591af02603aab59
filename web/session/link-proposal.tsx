// A link's buffer and framing, offered rather than applied: a link can come from any site, and only the
// user's click may change the live server.
import { describeFraming } from '../framing/framing-text.ts';
import type { LinkProposal } from './view-link.ts';

export function describeProposal(patch: LinkProposal['patch']): string {
  const parts: string[] = [];
  if (patch.bufferSize !== undefined) parts.push(`read buffer ${patch.bufferSize} B`);
  if (patch.framing !== undefined) parts.push(`framing ${describeFraming(patch.framing)}`);
  return `This link proposes ${parts.join(' and ')} for the live server.`;
}

export function LinkProposalBanner({ proposal }: { proposal: LinkProposal }) {
  return (
    <div className="link-proposal" role="region" aria-label="Link proposal" data-testid="link-proposal">
      <span>{describeProposal(proposal.patch)}</span>
      <button type="button" className="primary" onClick={proposal.apply} data-testid="link-proposal-apply">
        Apply
      </button>
      <button type="button" onClick={proposal.dismiss} data-testid="link-proposal-dismiss">
        Dismiss
      </button>
    </div>
  );
}
