import type { IncomingHttpHeaders } from 'node:http';
import { pause, type Runtime } from './context';
import type { RateLimitState } from './types';

const HOUR_MS = 3_600_000;

/** The `X-Rate-Limit-*` headers of a response, if it carries all three. */
export function readRateLimit(headers: IncomingHttpHeaders): RateLimitState | undefined {
  const limit = numberHeader(headers['x-rate-limit-limit']);
  const remaining = numberHeader(headers['x-rate-limit-remaining']);
  const reset = numberHeader(headers['x-rate-limit-reset']);
  if (limit === undefined || remaining === undefined || reset === undefined || limit <= 0) return undefined;
  return { limit, remaining: Math.max(0, remaining), resetAt: reset * 1000 };
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Paces requests by the window Procore reports, so the limit is never reached: with plenty left requests go
 * at once; under the threshold (10% of the window, at least 5) they are spread evenly until the reset; with
 * nothing left they wait for it. Decisions are taken one request at a time, and requests sent since the last
 * report count against it, so concurrent callers cannot burst past the window.
 */
export class Pacer {
  private window: RateLimitState | undefined;
  /** Requests sent (or in flight) that the last report may not include. */
  private unreported = 0;
  private inFlight = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private gate: Promise<void> = Promise.resolve();
  private changed: (() => void)[] = [];

  constructor(private readonly rt: Runtime) {}

  /** Waits until a request may be sent, then counts it as in flight; pair with `settle`. */
  admit(what: string): Promise<void> {
    const turn = this.gate.then(() => this.decide(what));
    this.gate = turn.catch(() => undefined);
    return turn;
  }

  /** A request is over: its response reported `window` (or nothing, when it failed or had no headers). */
  settle(window: RateLimitState | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (window) {
      this.window = window;
      this.unreported = this.inFlight;
    }
    const waiting = this.changed;
    this.changed = [];
    for (const wake of waiting) wake();
  }

  /** After a 429: nothing is left until the window resets. */
  exhausted(resetAt: number): void {
    this.window = { limit: this.window?.limit ?? 1, remaining: 0, resetAt };
    this.unreported = this.inFlight;
  }

  private async decide(what: string): Promise<void> {
    for (;;) {
      const wait = this.waitBeforeSending();
      if (wait === 'next-report') {
        await new Promise<void>((resolve) => this.changed.push(resolve));
        continue;
      }
      if (wait > 0) {
        this.rt.logger.debug('procore pacing', { waitMs: wait, remaining: this.window?.remaining });
        await pause(this.rt, wait, `${what} (paced by Procore's rate limit)`);
        continue;
      }
      this.inFlight += 1;
      this.unreported += 1;
      this.lastSentAt = this.rt.now();
      return;
    }
  }

  /** Milliseconds to wait before the next request, or 'next-report' to wait for a response in flight. */
  private waitBeforeSending(): number | 'next-report' {
    const w = this.window;
    // Until the first report (or once the reported window has reset) send one request at a time to learn it.
    if (!w) return this.inFlight === 0 ? 0 : 'next-report';
    const now = this.rt.now();
    if (now >= w.resetAt) {
      if (this.inFlight > 0) return 'next-report';
      this.window = undefined;
      return 0;
    }
    const left = w.remaining - this.unreported;
    const untilReset = Math.min(w.resetAt - now, HOUR_MS);
    if (left <= 0) return untilReset + Math.round(this.rt.random() * 250);
    const threshold = Math.max(5, Math.ceil(w.limit / 10));
    if (left > threshold) return 0;
    const spacing = untilReset / left;
    return Math.max(0, Math.round(this.lastSentAt + spacing - now));
  }
}
