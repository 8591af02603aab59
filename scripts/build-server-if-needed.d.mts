// Types for the plain-JavaScript build script, so that TypeScript callers (tests, bench) can import it.
export const SERVER_MAIN: string;
export function serverBuildIsStale(): boolean;
export function buildServerIfNeeded(options?: { quiet?: boolean }): Promise<boolean>;
