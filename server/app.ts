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
import { useJsonBody } from './api/json-body.ts';
import { useZodValidation } from './api/zod-validation.ts';
import { BuiltinClaims } from './client/builtin-claims.ts';
import { BurstClient } from './client/burst-client.ts';
import { ConfigStore } from './config/config-store.ts';
import { ConnectionRegistry } from './echo/connection-registry.ts';
import { EchoServer } from './echo/echo-server.ts';
import { FramingReadHandler } from './framing/framing-read-handler.ts';
import { scenariosRoute } from './api/scenarios-route.ts';
import { sessionRoute } from './api/session-route.ts';
import { sessionResetRoute } from './api/session-reset-route.ts';
import { ScenarioRunner } from './scenarios/scenario-runner.ts';
import { ConfigHistory } from './session/config-history.ts';
import { nowMs } from './events/clock.ts';
import { EventStore } from './events/event-store.ts';
import { type DetailBudget, Recorder } from './events/recorder.ts';
import { LiveHub } from './live/live-hub.ts';
import { wsRoute } from './live/ws-route.ts';
import { captureRoute } from './api/capture-route.ts';
import { attachCapture } from './capture/attach-capture.ts';
import type { CaptureService } from './capture/capture-service.ts';
import type { GateOptions } from './capture/segment-gate.ts';
import { limitsRoute } from './api/limits-route.ts';
import { selectLiveProtocol } from './security/access-token.ts';
import { ResponseBudget } from './api/response-budget.ts';
import { LIMIT_FLAGS } from './security/limits.ts';
import { watchesRoute } from './api/watches-route.ts';
import { WatchManager } from './watch/watch-manager.ts';
import { readSlowdown } from './watch/slowdown-file.ts';
import type { WatchMechanism } from '../shared/watch.ts';
import { resolveSecurity, type SecurityInput } from './security/security-options.ts';
import { type SecurityState, useSecurity } from './security/use-security.ts';

// The built page: dist/web beside server/ when the sources run, and beside dist/node/ when the compiled
// server runs (npm start, the installed command).
export const DEFAULT_STATIC_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  import.meta.url.endsWith('.ts') ? '../dist/web' : '../../web',
);

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
  /** Whole chunks the store keeps per second before they thin (EVENT_KEPT_BYTES_PER_SEC); tests of the largest answers raise it. */
  eventKeptBytesPerSec: number;
  /** Bytes the store keeps of all its chunks (EVENT_STORE_BYTES); tests of the largest answers raise it. */
  eventStoreBytes: number;
  /** Chunk events recorded in detail (EVENT_DETAIL_CHUNKS_PER_SEC after a burst of EVENT_DETAIL_BURST_CHUNKS); tests that need every event raise it. */
  eventDetail: DetailBudget;
  batchIntervalMs?: number;
  /** A WebSocket subscriber with more unsent bytes than this is resynchronised instead of fed. */
  maxSubscriberBufferedBytes?: number;
  /** Access token, extra host names and limits (server/security); defaults are safe on loopback. */
  security?: SecurityInput;
  /** How often live subscribers are pinged; one that missed the last ping is dropped. */
  heartbeatMs?: number;
  /** Run tcpdump for the wire view (default true; false with --no-capture). Socket sampling runs either way. */
  capture?: boolean;
  /** Replaces tcpdump's argv (tests simulate a capture program that fails). */
  captureCommand?: string[];
  /** Plain segments shown in detail (CAPTURE_DETAIL_SEGMENTS_PER_SEC after a burst of CAPTURE_DETAIL_BURST_SEGMENTS); tests that need every segment raise it. */
  captureDetail?: Pick<GateOptions, 'ratePerSec' | 'burst'>;
  /** Servers to watch from the start (--watch PORT). */
  watch?: number[];
  /** Tracing mechanisms to try, in order (default eBPF, then strace; tests pin one). */
  watchMechanisms?: WatchMechanism[];
  /** The bench's measured cost of watching (server/watch/slowdown-file.ts); default bench/results/watch-slowdown.json. */
  watchSlowdownFile?: string;
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
  /** The token in force (and whether it was made up here), the limits and their refusal counts. */
  security: SecurityState;
  /** The wire view: tcpdump's segments and ss's socket samples of the echo server's connections. */
  capture: CaptureService;
  /** Bytes held by large answers in flight (--max-response-bytes). */
  responses: ResponseBudget;
  /** Other local servers traced at the syscall level (server/watch/). */
  watches: WatchManager;
  close(): Promise<void>;
}

/**
 * Bounds on the dashboard's own connections. A header must arrive within --header-timeout seconds and a
 * whole request within a minute (or the header timeout, if longer), checked every second; on close every
 * connection is cut, a request half sent or a body that never comes included, so shutdown does not wait.
 */
function httpServerOptions(limits: { headerTimeoutSeconds: number }) {
  const headersTimeout = limits.headerTimeoutSeconds * 1000;
  const requestTimeout = Math.max(60_000, headersTimeout);
  return {
    forceCloseConnections: true,
    requestTimeout,
    http: { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) },
  } as const;
}

function tcpHostsFor(host: string): string[] {
  return host === DEFAULT_HOST ? [DEFAULT_HOST, '::1'] : [host];
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startTcpscope(options: Partial<TcpscopeOptions> = {}): Promise<Tcpscope> {
  const host = options.host ?? DEFAULT_HOST;
  // The echo port stays on loopback unless asked: --host opens the dashboard, not the echo server.
  const tcpHost = options.tcpHost ?? DEFAULT_HOST;
  const settings = resolveSecurity(host, options.security);
  const config = new ConfigStore(options.config);
  const registry = new ConnectionRegistry();
  const recorder = new Recorder(new EventStore(options.eventStoreCapacity ?? EVENT_STORE_CAPACITY, options.eventStoreBytes), undefined, options.eventKeptBytesPerSec, options.eventDetail);
  const claims = new BuiltinClaims();
  const echo = new EchoServer({ registry, recorder, config, claims, maxConnections: settings.limits.maxConnections });
  new FramingReadHandler({ echo, config, recorder, maxTotalBytes: settings.limits.maxFramingBytes });
  const hub = new LiveHub(
    { recorder, registry, config, echo: () => (echo.boundPort ? { host: tcpHost, port: echo.boundPort } : null) },
    {
      batchIntervalMs: options.batchIntervalMs,
      maxBufferedBytes: options.maxSubscriberBufferedBytes,
      heartbeatMs: options.heartbeatMs,
    },
  );
  config.onChange((next) => recorder.record({ kind: 'config', t: nowMs(), connId: 0, config: next }));
  // After the line above, so that each change's own `config` event counts as before it.
  const configHistory = new ConfigHistory(config, recorder);

  const tcpPort = await echo.listen(tcpHostsFor(tcpHost), options.tcpPort ?? 0);
  const capture = attachCapture({
    port: tcpPort,
    watchedPorts: (options.watch ?? []).filter((p) => p !== tcpPort),
    enabled: options.capture ?? true,
    command: options.captureCommand,
    detail: options.captureDetail,
    registry,
    recorder,
    hub,
  });
  const watches = new WatchManager({
    registry,
    recorder,
    echoPort: () => tcpPort,
    mechanisms: options.watchMechanisms,
    slowdown: readSlowdown(options.watchSlowdownFile),
  });
  const client = new BurstClient({
    recorder,
    claims,
    target: () => ({ host: tcpHost === '0.0.0.0' || tcpHost === '::' ? DEFAULT_HOST : tcpHost, port: tcpPort }),
    serverFraming: () => config.get().framing,
    watched: watches,
  });
  const scenarios = new ScenarioRunner({ config, client });

  const app = Fastify({ logger: false, bodyLimit: settings.limits.maxBodyBytes, ...httpServerOptions(settings.limits) });
  // Past the cap Node closes a new dashboard connection at once: descriptors stay for the echo server.
  app.server.maxConnections = settings.limits.maxHttpConnections;
  useZodValidation(app);
  useJsonBody(app);
  // The page offers `tcpscope` (and its token as a second subprotocol): the answer is always the plain one.
  await app.register(fastifyWebsocket, { options: { maxPayload: settings.limits.maxWsMessageBytes, handleProtocols: selectLiveProtocol } });
  // Before every route: Host, Origin, token, security headers and limits apply to all of them.
  const security = await useSecurity(app, settings, { host, client, recorder, serverFraming: () => config.get().framing });
  app.server.on('drop', () => security.refusals.add('httpConnections'));
  hub.countUnread((n) => security.refusals.add('wsUnread', n));
  const budget = new ResponseBudget(settings.limits.maxResponseBytes, LIMIT_FLAGS.maxResponseBytes, () => security.refusals.add('responseBytes'));
  await app.register(limitsRoute, { security });
  await app.register(configRoute, { config });
  await app.register(burstsRoute, { client });
  await app.register(connectionsRoute, { registry });
  await app.register(eventsRoute, { store: recorder.store, budget });
  await app.register(scenariosRoute, { scenarios });
  await app.register(sessionRoute, {
    session: { store: recorder.store, connections: () => registry.list(), config: () => config.get(), history: configHistory, nextSeq: () => recorder.nextSeq },
    budget,
  });
  await app.register(sessionResetRoute, { reset: { recorder, registry, hub, forgetFrames: (id) => capture.forget(id) } });
  await app.register(wsRoute, { hub });
  await app.register(captureRoute, { capture, budget });
  await app.register(watchesRoute, { watches });
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (existsSync(staticDir)) await app.register(fastifyStatic, { root: staticDir });

  try {
    await app.listen({ host, port: options.httpPort ?? 0 });
  } catch (err) {
    await echo.close();
    await capture.stop();
    await watches.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`HTTP port ${options.httpPort} on ${host} is already in use`);
    throw err;
  }
  const httpPort = (app.server.address() as { port: number }).port;
  for (const port of options.watch ?? []) watches.add(port);
  // The wire view covers the watched ports too: capture and sampling follow the watch set (started above
  // with the --watch ports, so these adds change nothing).
  capture.setWatchedPorts(watches.list().map((w) => w.port));
  watches.onPortsChange((ports) => capture.setWatchedPorts(ports));

  return {
    httpUrl: `http://${urlHost(host)}:${httpPort}`,
    tcpPort,
    app,
    config,
    registry,
    recorder,
    echo,
    hub,
    security,
    capture,
    responses: budget,
    watches,
    async close() {
      hub.closeAll(1001, 'tcpscope is shutting down');
      await watches.close();
      await echo.close();
      await capture.stop();
      await app.close();
    },
  };
}
