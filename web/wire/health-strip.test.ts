import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HealthStrip } from './health-strip.tsx';
import type { StreamHealth } from './stream-health.ts';

const health: StreamHealth = { segments: 10, retransmissions: 0, zeroWindows: 0, windowUpdates: 0, resets: 0, notes: [] };
const html = (dropped?: number): string => renderToStaticMarkup(createElement(HealthStrip, { health, dropped }));

describe('health strip', () => {
  it('says how many frames the kernel dropped before the capture took them, as a problem', () => {
    expect(html(1234)).toContain('data-testid="health-dropped"');
    expect(html(1234)).toMatch(/class="health-item tone-bad"[^>]*data-count="1234"/);
    expect(html(1234)).toContain('frames lost to capture (all connections)');
    expect(html(1)).toContain('frame lost to capture');
  });

  it('says nothing of drops while there are none', () => {
    expect(html(0)).not.toContain('health-dropped');
    expect(html()).not.toContain('health-dropped');
  });
});
