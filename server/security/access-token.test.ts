// The token: made, compared, and read from a request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessTokenSchema } from '../../shared/security.ts';
import { bearerToken, cookieNameFor, cookieValue, generateToken, tokenCookie, tokenMatches } from './access-token.ts';

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

  it('reads its cookie among others, and sets it HttpOnly and SameSite=Strict', () => {
    const name = cookieNameFor(3000);
    expect(cookieValue(`a=1; ${name}=tok; b=2`, name)).toBe('tok');
    expect(cookieValue(`${name}x=tok`, name)).toBeNull();
    expect(cookieValue(undefined, name)).toBeNull();
    expect(tokenCookie(name, 'tok')).toBe(`${name}=tok; Path=/; HttpOnly; SameSite=Strict`);
    expect(cookieNameFor(3001)).not.toBe(name);
  });
});
