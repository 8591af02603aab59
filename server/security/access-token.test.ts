// The token: made, compared, and read from a request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessTokenSchema } from '../../shared/security.ts';
import { bearerToken, generateToken, protocolToken, selectLiveProtocol, tokenMatches } from './access-token.ts';

describe('access token', () => {
  it('is made fresh each time, and valid as a --token', () => {
    const a = generateToken();
    expect(a).not.toBe(generateToken());
    expect(AccessTokenSchema.safeParse(a).success).toBe(true);
  });

  it('matches only itself, whatever the lengths (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(tokenMatches(a, a)).toBe(true);
        expect(tokenMatches(a, b)).toBe(a === b);
      }),
    );
    expect(tokenMatches(null, 'x'.repeat(20))).toBe(false);
  });

  it('reads a Bearer header, case-insensitively, and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('reads the token of a tcpscope.token.T subprotocol, exactly one, and answers only with the plain protocol', () => {
    expect(protocolToken('tcpscope, tcpscope.token.abc')).toBe('abc');
    expect(protocolToken(['tcpscope', 'tcpscope.token.abc'])).toBe('abc');
    expect(protocolToken('tcpscope')).toBeNull();
    expect(protocolToken('tcpscope.token.a, tcpscope.token.b')).toBeNull();
    expect(protocolToken('TCPSCOPE.TOKEN.abc')).toBeNull();
    expect(protocolToken('tcpscope.token.')).toBe('');
    expect(protocolToken(undefined)).toBeNull();
    expect(selectLiveProtocol(new Set(['tcpscope.token.abc', 'tcpscope']))).toBe('tcpscope');
    expect(selectLiveProtocol(new Set(['tcpscope.token.abc']))).toBe(false);
  });
});
