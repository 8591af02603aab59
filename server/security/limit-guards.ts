// The limits that are answered over HTTP and WebSocket: live subscribers (503, or close 1013 when
// several upgrades race past the first check), WebSocket message size (ws closes with 1009; here we
// count it), body size (Fastify's bodyLimit answers 413; here we name the limit), bursts in flight (503)
// and the burst rate (429). Each refusal is counted.
import type { FastifyInstance } from 'fastify';
import type { WebSocketServer } from 'ws';
import type { BurstRequest } from '../../shared/api.ts';
import { burstCost, burstCostRefusal } from '../../shared/burst-cost.ts';
import type { Framing } from '../../shared/config.ts';
import type { Limits } from '../../shared/security.ts';
import type { BurstClient } from '../client/burst-client.ts';
import { type RefusalCounter, LIMIT_FLAGS } from './limits.ts';
import { RateBucket } from './rate-bucket.ts';
import { isGuardRefusal, refuse } from './refuse.ts';

export interface LimitGuardDeps {
  limits: Limits;
  refusals: RefusalCounter;
  client: BurstClient;
  wss: WebSocketServer;
  /** The echo server's framing, which a burst with `framing: {mode: 'server'}` writes in. */
  serverFraming?: () => Framing;
  now?: () => number;
}

export function useLimitGuards(app: FastifyInstance, deps: LimitGuardDeps): void {
  guardSubscribers(app, deps);
  guardBodySize(app, deps);
  guardBursts(app, deps);
}

function guardSubscribers(app: FastifyInstance, { limits, refusals, wss }: LimitGuardDeps): void {
  const max = limits.maxSubscribers;
  const message = `live subscribers: at most ${max} at once (${LIMIT_FLAGS.maxSubscribers})`;
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket' && wss.clients.size >= max) {
      refusals.add('subscribers');
      refuse(reply, 503, message);
      return;
    }
    done();
  });
  wss.on('connection', (ws) => {
    // Upgrades that passed the check together can overshoot it; the ones beyond are closed at once.
    if (wss.clients.size > max) {
      refusals.add('subscribers');
      ws.close(1013, message);
    }
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') refusals.add('wsMessage');
    });
  });
}

function guardBodySize(app: FastifyInstance, { limits, refusals }: LimitGuardDeps): void {
  const body = JSON.stringify({
    statusCode: 413,
    error: 'Payload Too Large',
    message: `body: at most ${limits.maxBodyBytes} bytes (${LIMIT_FLAGS.maxBodyBytes})`,
  });
  // Fastify refuses the body (by Content-Length, or while reading a chunked one) before any route
  // runs; its message does not say what the limit is, so we replace it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode !== 413 || isGuardRefusal(reply)) {
      done(null, payload);
      return;
    }
    refusals.add('body');
    done(null, body);
  });
}

function guardBursts(
  app: FastifyInstance,
  { limits, refusals, client, serverFraming = () => ({ mode: 'raw' }), now = () => performance.now() }: LimitGuardDeps,
): void {
  const bucket = new RateBucket(limits.burstRatePerMinute, now());
  // Synchronous and last before the handler: the handler's client.start() counts the new burst in the
  // same tick, so concurrent requests cannot all slip past the in-flight check.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/api/bursts') {
      done();
      return;
    }
    // The whole cost first, from lengths alone: a burst too big to make is refused before it takes a slot or a token.
    const body = request.body as BurstRequest;
    const framing = body.framing.mode === 'server' ? serverFraming() : body.framing;
    const tooCostly = burstCostRefusal(burstCost(body, framing, limits.maxBurstWrites), limits);
    if (tooCostly !== null) {
      refusals.add('burstCost');
      refuse(reply, 413, tooCostly);
      return;
    }
    if (client.bursts >= limits.maxBursts) {
      refusals.add('bursts');
      refuse(reply, 503, `bursts: at most ${limits.maxBursts} in flight at once (${LIMIT_FLAGS.maxBursts}); wait for one to finish`);
      return;
    }
    const waitMs = bucket.take(now());
    if (waitMs > 0) {
      refusals.add('burstRate');
      const seconds = Math.ceil(waitMs / 1000);
      reply.header('retry-after', String(seconds));
      refuse(reply, 429, `bursts: at most ${limits.burstRatePerMinute} per minute (${LIMIT_FLAGS.burstRatePerMinute}); retry in ${seconds} s`);
      return;
    }
    done();
  });
}
