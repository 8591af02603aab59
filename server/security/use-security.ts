// Installs the guards on the root Fastify instance, before any route: security headers first (so that
// refusals carry them too), then Host, Origin and token, then the limits.
import type { FastifyInstance } from 'fastify';
import type { WebSocketServer } from 'ws';
import type { Framing } from '../../shared/config.ts';
import type { BurstClient } from '../client/burst-client.ts';
import type { Recorder } from '../events/recorder.ts';
import { FRAMING_BYTES_CLOSE_CODE } from '../framing/framing-read-handler.ts';
import { allowedHostnames } from './host-check.ts';
import { useLimitGuards } from './limit-guards.ts';
import { RefusalCounter } from './limits.ts';
import { useRequestGuard } from './request-guard.ts';
import { useSecurityHeaders } from './security-headers.ts';
import type { SecuritySettings } from './security-options.ts';

export interface SecurityState extends SecuritySettings {
  refusals: RefusalCounter;
  allowedHosts: ReadonlySet<string>;
}

export interface SecurityDeps {
  /** Where the dashboard listens. */
  host: string;
  client: BurstClient;
  recorder: Recorder;
  /** The echo server's framing, for the cost of bursts that write in it. */
  serverFraming?: () => Framing;
}

export async function useSecurity(app: FastifyInstance, settings: SecuritySettings, deps: SecurityDeps): Promise<SecurityState> {
  const refusals = new RefusalCounter();
  const allowedHosts = allowedHostnames(deps.host, settings.allowHosts);
  await useSecurityHeaders(app);
  useRequestGuard(app, { allowedHosts, token: settings.token });
  const wss = (app as FastifyInstance & { websocketServer: WebSocketServer }).websocketServer;
  useLimitGuards(app, { limits: settings.limits, refusals, client: deps.client, wss, serverFraming: deps.serverFraming });
  // The echo server enforces its own connection limit; we only count what it turned away.
  deps.recorder.subscribe(
    (e) => {
      if (e.kind === 'close' && e.reason === 'limit') refusals.add(e.code === FRAMING_BYTES_CLOSE_CODE ? 'framingBytes' : 'connections');
    },
    { chunks: false },
  );
  return { ...settings, refusals, allowedHosts };
}
