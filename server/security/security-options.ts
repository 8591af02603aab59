// Who may reach the dashboard, decided once at start: the token (given, made up, or none) and the
// host names we answer to. Binding beyond loopback without a token would let anyone on the network
// steer the server, so then a token is made up and printed.
import type { Limits } from '../../shared/security.ts';
import { generateToken } from './access-token.ts';
import { interfaceAddresses, isLoopbackHost, isWildcardHost } from './host-check.ts';
import { DEFAULT_LIMITS } from './limits.ts';

export interface SecurityOptions {
  /** Required on every API request and the WebSocket when set. */
  token: string | null;
  /** Host names to answer to besides loopback and the listening address (--allow-host). */
  allowHosts: string[];
  limits: Limits;
}

export interface SecuritySettings extends SecurityOptions {
  /** True when the token was made up here and must be shown to the user once. */
  tokenGenerated: boolean;
}

export interface SecurityInput {
  token?: string | null | undefined;
  allowHosts?: string[] | undefined;
  limits?: Partial<Limits> | undefined;
}

export function resolveSecurity(host: string, input: SecurityInput = {}): SecuritySettings {
  const given = input.token ?? null;
  const needsToken = !isLoopbackHost(host);
  const token = given ?? (needsToken ? generateToken() : null);
  return {
    token,
    tokenGenerated: given === null && token !== null,
    allowHosts: input.allowHosts ?? [],
    limits: { ...DEFAULT_LIMITS, ...input.limits },
  };
}

/**
 * The address to print for the dashboard: a wildcard listen address is not one a browser can open,
 * so an address of this machine's network stands in. A made-up token rides along, ready to open.
 */
export function dashboardUrl(httpUrl: string, settings: Pick<SecuritySettings, 'token' | 'tokenGenerated'>): string {
  const url = new URL(httpUrl);
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  if (isWildcardHost(bare)) {
    const external = interfaceAddresses().find((a) => a.includes('.') && !isLoopbackHost(a));
    url.hostname = external ?? '127.0.0.1';
  }
  url.pathname = '/';
  if (settings.tokenGenerated && settings.token !== null) url.searchParams.set('token', settings.token);
  return url.toString();
}

/** What to tell the user about access at start ('' when nothing needs saying). */
export function accessNote(settings: Pick<SecuritySettings, 'token' | 'tokenGenerated'>): string {
  if (settings.token === null) return '';
  if (settings.tokenGenerated) {
    return 'tcpscope: the dashboard needs an access token; one was made up for this run and the address above carries it: open it, or paste the token into the page (each browser tab keeps it until closed)\n';
  }
  return 'tcpscope: the dashboard needs the --token: open /?token=TOKEN or paste it into the page (each browser tab keeps it until closed); scripts send Authorization: Bearer TOKEN\n';
}

/** The echo port has no token: say so when it listens beyond loopback ('' otherwise). */
export function echoExposureWarning(tcpHost: string): string {
  if (isLoopbackHost(tcpHost)) return '';
  return `tcpscope: warning: the echo server listens on ${tcpHost}; anyone who can reach that address can connect to it and send it data\n`;
}
