// Bytes held for large answers in flight, over all of them (GET /api/events, /api/session.json,
// /api/session.csv, /api/capture.pcap). A client that never reads its answer keeps that answer's memory
// until it goes away; without a ceiling, sixty such requests take the process down. Each route states an
// upper bound of what it will hold BEFORE building anything; past the ceiling it gets 503 naming the limit
// and its flag, counted in /api/limits. What is held is given back when the answer is done or aborted.
import type { FastifyReply } from 'fastify';
import { refuse } from '../security/refuse.ts';

export class ResponseBudget {
  private held = 0;
  /** Answers admitted and refused so far. */
  admitted = 0;
  refused = 0;

  constructor(
    readonly max: number,
    private readonly flag: string,
    private readonly onRefused: () => void = () => {},
  ) {}

  /** Bytes reserved by answers still in flight. */
  get inFlight(): number {
    return this.held;
  }

  /**
   * Reserves `estimate` bytes for the life of `reply`, or answers 503 and returns null. Call `settle` with
   * the bytes actually held once the answer is built (never more than the estimate, so the check stands).
   */
  admit(reply: FastifyReply, estimate: number, what: string): { settle(actual: number): void } | null {
    if (this.held + estimate > this.max) {
      this.refused++;
      this.onRefused();
      refuse(
        reply,
        503,
        `${what}: answers in flight already hold ${this.held} bytes and this one needs up to ${estimate}; at most ${this.max} at once (${this.flag}); read or close the others, or ask for less`,
      );
      return null;
    }
    this.admitted++;
    let reserved = estimate;
    this.held += reserved;
    let released = false;
    reply.raw.once('close', () => {
      released = true;
      this.held -= reserved;
    });
    return {
      settle: (actual: number) => {
        if (released) return;
        const next = Math.min(actual, reserved);
        this.held -= reserved - next;
        reserved = next;
      },
    };
  }
}
