// Types for the plain-JavaScript build script, so that TypeScript callers (the test setup) can import it.
export function webBuildIsStale(): boolean;
export function buildWebIfNeeded(options?: { quiet?: boolean }): Promise<boolean>;
