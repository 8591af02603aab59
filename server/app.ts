// Wires the parts together: echo server, built-in client, event store, live hub and HTTP API.
// Used by main.ts and by the tests, which start it on port 0.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../shared/config.ts';
import { DEFAULT_HOST, EVENT_STORE_CAPACITY } from '../shared/limits.ts';
import { burstsRoute } from './api/bursts-route.ts';
import { configRoute } from './api/config-route.ts';
import { connectionsRoute } from './api/connections-route.ts';
import { eventsRoute } from './api/events-route.ts';
import { useZodValidation } from './api/zod-validation.ts';
import { BuiltinClaims } from './client/builtin-claims.ts';
import { BurstClient } from './client/burst-client.ts';
import { ConfigStore } from './config/config-store.ts';
import { ConnectionRegistry } from './echo/connection-registry.ts';
import { EchoServer } from './echo/echo-server.ts';
import { nowMs } from './events/clock.ts';
import { EventStore } from './events/event-store.ts';
import { Recorder } from './events/recorder.ts';
import { LiveHub } from './live/live-hub.ts';
import { wsRoute } from './live/ws-route.ts';

export const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/web');

export interface TcpscopeOptions {
  httpPort: number;
  tcpPort: number;
  /** Where the dashboard and API listen. */
  host: string;
  /** Where the echo server listens; the default loopback also listens on ::1. */
  tcpHost: string;
  config: Partial<Config>;
  staticDir: string;
  eventStoreCapacity: number;
  batchIntervalMs?: number;
  /** A WebSocket subscriber with more unsent bytes than this is resynchronised instead of fed. */
  maxSubscriberBufferedBytes?: number;
}

export interface Tcpscope {
  httpUrl: string;
  tcpPort: number;
  app: FastifyInstance;
  config: ConfigStore;
  registry: ConnectionRegistry;
  recorder: Recorder;
  echo: EchoServer;
  hub: LiveHub;
  close(): Promise<void>;
}

function tcpHostsFor(host: string): string[] {
  return host === DEFAULT_HOST ? [DEFAULT_HOST, '::1'] : [host];
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startTcpscope(options: Partial<TcpscopeOptions> = {}): Promise<Tcpscope> {
  const host = options.host ?? DEFAULT_HOST;
  const tcpHost = options.tcpHost ?? host;
  const config = new ConfigStore(options.config);
  const registry = new ConnectionRegistry();
  const recorder = new Recorder(new EventStore(options.eventStoreCapacity ?? EVENT_STORE_CAPACITY));
  const claims = new BuiltinClaims();
  const echo = new EchoServer({ registry, recorder, config, claims });
  const hub = new LiveHub(
    { recorder, registry, config },
    { batchIntervalMs: options.batchIntervalMs, maxBufferedBytes: options.maxSubscriberBufferedBytes },
  );
  config.onChange((next) => recorder.record({ kind: 'config', t: nowMs(), connId: 0, config: next }));

  const tcpPort = await echo.listen(tcpHostsFor(tcpHost), options.tcpPort ?? 0);
  const client = new BurstClient({
    recorder,
    claims,
    target: () => ({ host: tcpHost === '0.0.0.0' || tcpHost === '::' ? DEFAULT_HOST : tcpHost, port: tcpPort }),
  });

  const app = Fastify({ logger: false });
  useZodValidation(app);
  await app.register(fastifyWebsocket);
  await app.register(configRoute, { config });
  await app.register(burstsRoute, { client });
  await app.register(connectionsRoute, { registry });
  await app.register(eventsRoute, { store: recorder.store });
  await app.register(wsRoute, { hub });
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (existsSync(staticDir)) await app.register(fastifyStatic, { root: staticDir });

  try {
    await app.listen({ host, port: options.httpPort ?? 0 });
  } catch (err) {
    await echo.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`HTTP port ${options.httpPort} on ${host} is already in use`);
    throw err;
  }
  const httpPort = (app.server.address() as { port: number }).port;

  return {
    httpUrl: `http://${urlHost(host)}:${httpPort}`,
    tcpPort,
    app,
    config,
    registry,
    recorder,
    echo,
    hub,
    async close() {
      hub.closeAll(1001, 'tcpscope is shutting down');
      await echo.close();
      await app.close();
    },
  };
}
