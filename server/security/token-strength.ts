// How much a --token could be guessed. The shape check (16–256 URL-safe characters) lets
// `aaaaaaaaaaaaaaaa` through; this estimate does not. It is the token's length times the Shannon entropy
// of its own character frequencies: 0 bits for one repeated character, 16 for `abab…` of 16, about 4.5
// bits a character for random base64url. It cannot see dictionary words or keyboard walks, and it is
// no password meter: it only refuses tokens that are plainly not random.

/** What a --token must reach: 2^64 guesses, beyond any online attack at the dashboard's rate limits. */
export const TOKEN_MIN_ENTROPY_BITS = 64;

export function tokenEntropyBits(token: string): number {
  if (token.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of token) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / token.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * token.length;
}

/** Null when strong enough, else the reason, worded for the CLI after `--token "…": `. */
export function tokenStrengthProblem(token: string): string | null {
  const bits = tokenEntropyBits(token);
  if (bits >= TOKEN_MIN_ENTROPY_BITS) return null;
  return (
    `has about ${Math.floor(bits)} bits of entropy (estimated from how often its characters repeat); ` +
    `at least ${TOKEN_MIN_ENTROPY_BITS} are needed: use 20 or more random characters, e.g. \`openssl rand -hex 16\`, or leave --token out to have one made up`
  );
}
