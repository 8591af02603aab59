// Which requests must show our own Origin, and what counts as our own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOwnOrigin, needsOriginCheck } from './origin-check.ts';

describe('needsOriginCheck', () => {
  it('checks writes and WebSocket upgrades, not reads', () => {
    for (const m of ['POST', 'PATCH', 'PUT', 'DELETE']) expect(needsOriginCheck(m, {})).toBe(true);
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(needsOriginCheck(m, {})).toBe(false);
    expect(needsOriginCheck('GET', { upgrade: 'WebSocket' })).toBe(true);
  });
});

const webOrigin = fc
  .tuple(fc.constantFrom('http', 'https'), fc.webAuthority({ withIPv4: true, withIPv6: true, withPort: true }))
  .map(([scheme, authority]) => `${scheme}://${authority}`);

describe('isOwnOrigin', () => {
  it('lets tools without an Origin through', () => {
    expect(isOwnOrigin(undefined, '127.0.0.1:3000')).toBe(true);
  });

  it('accepts our own origin, as the browser spells it', () => {
    expect(isOwnOrigin('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
    expect(isOwnOrigin('http://[::1]:3000', '[::1]:3000')).toBe(true);
    expect(isOwnOrigin('http://localhost', 'localhost:80')).toBe(true);
  });

  it.each([
    ['http://evil.example', '127.0.0.1:3000'],
    ['http://127.0.0.1:3001', '127.0.0.1:3000'],
    ['http://localhost:3000', '127.0.0.1:3000'],
    ['null', '127.0.0.1:3000'],
    ['file://', '127.0.0.1:3000'],
    ['chrome-extension://abc', '127.0.0.1:3000'],
    ['http://user@127.0.0.1:3000', '127.0.0.1:3000'],
    ['not a url', '127.0.0.1:3000'],
    ['http://127.0.0.1:3000', undefined],
  ])('refuses %s for Host %s', (origin, host) => {
    expect(isOwnOrigin(origin, host)).toBe(false);
  });

  it.each([
    // Near misses: a port that extends ours, a host that extends ours, a scheme change.
    ['http://127.0.0.1:39970', '127.0.0.1:3997'],
    ['http://127.0.0.1:3997', '127.0.0.1:39970'],
    ['http://127.0.0.1:399', '127.0.0.1:3997'],
    ['http://127.0.0.10:3997', '127.0.0.1:3997'],
    ['http://127.0.0.1.evil.example:3997', '127.0.0.1:3997'],
    ['http://localhost.evil.example:3997', 'localhost:3997'],
    ['http://evil-localhost:3997', 'localhost:3997'],
    ['https://127.0.0.1:3997', '127.0.0.1:3997'],
    ['https://localhost', 'localhost'],
    ['ws://127.0.0.1:3997', '127.0.0.1:3997'],
    ['http://[::1]:39970', '[::1]:3997'],
  ])('refuses the near miss %s for Host %s', (origin, host) => {
    expect(isOwnOrigin(origin, host)).toBe(false);
  });

  it('accepts a web origin exactly when it is http: and its host and port are the request Host (property)', () => {
    fc.assert(
      fc.property(webOrigin, fc.domain(), fc.integer({ min: 1, max: 65535 }), (origin, name, port) => {
        const host = `${name}:${port}`;
        const o = new URL(origin);
        const expected = o.protocol === 'http:' && o.host === new URL(`http://${host}`).host;
        expect(isOwnOrigin(origin, host)).toBe(expected);
        expect(isOwnOrigin(origin, o.host)).toBe(o.protocol === 'http:');
      }),
      { numRuns: 300 },
    );
  });
});
