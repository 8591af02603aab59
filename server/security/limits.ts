// The limits in force and the count of what each one refused.
import {
  BURST_RATE_PER_MINUTE_DEFAULT,
  HEADER_TIMEOUT_SECONDS_DEFAULT,
  MAX_BODY_BYTES_DEFAULT,
  MAX_BURST_BYTES_DEFAULT,
  MAX_BURST_WRITES_DEFAULT,
  MAX_BURSTS_DEFAULT,
  MAX_FRAMING_BYTES_DEFAULT,
  MAX_HTTP_CONNECTIONS_DEFAULT,
  MAX_RESPONSE_BYTES_DEFAULT,
  MAX_CONNECTIONS_DEFAULT,
  MAX_SUBSCRIBERS_DEFAULT,
  MAX_WS_MESSAGE_BYTES_DEFAULT,
} from '../../shared/limits.ts';
import type { LimitName, Limits, Refusals } from '../../shared/security.ts';

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxConnections: MAX_CONNECTIONS_DEFAULT,
  maxSubscribers: MAX_SUBSCRIBERS_DEFAULT,
  maxWsMessageBytes: MAX_WS_MESSAGE_BYTES_DEFAULT,
  maxBodyBytes: MAX_BODY_BYTES_DEFAULT,
  maxBursts: MAX_BURSTS_DEFAULT,
  burstRatePerMinute: BURST_RATE_PER_MINUTE_DEFAULT,
  maxBurstWrites: MAX_BURST_WRITES_DEFAULT,
  maxBurstBytes: MAX_BURST_BYTES_DEFAULT,
  maxResponseBytes: MAX_RESPONSE_BYTES_DEFAULT,
  maxFramingBytes: MAX_FRAMING_BYTES_DEFAULT,
  maxHttpConnections: MAX_HTTP_CONNECTIONS_DEFAULT,
  headerTimeoutSeconds: HEADER_TIMEOUT_SECONDS_DEFAULT,
};

/** The flag that changes each limit, so that every refusal can say how to raise it. */
export const LIMIT_FLAGS: Record<keyof Limits, string> = {
  maxConnections: '--max-connections',
  maxSubscribers: '--max-subscribers',
  maxWsMessageBytes: '--max-ws-message',
  maxBodyBytes: '--max-body',
  maxBursts: '--max-bursts',
  burstRatePerMinute: '--burst-rate',
  maxBurstWrites: '--max-burst-writes',
  maxBurstBytes: '--max-burst-bytes',
  maxResponseBytes: '--max-response-bytes',
  maxFramingBytes: '--max-framing-bytes',
  maxHttpConnections: '--max-http-connections',
  headerTimeoutSeconds: '--header-timeout',
};

export class RefusalCounter {
  private readonly counts: Refusals = {
    connections: 0,
    subscribers: 0,
    wsMessage: 0,
    body: 0,
    bursts: 0,
    burstRate: 0,
    burstCost: 0,
    responseBytes: 0,
    framingBytes: 0,
    httpConnections: 0,
    wsUnread: 0,
  };

  add(name: LimitName, n = 1): void {
    this.counts[name] += n;
  }

  snapshot(): Refusals {
    return { ...this.counts };
  }
}
