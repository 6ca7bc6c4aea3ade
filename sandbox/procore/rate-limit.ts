/** Procore's two windows: hourly (fixed, from the first call) and a rolling 10-second spike window. */
export interface RateLimits {
  hourly: number;
  spike: number;
}

/** The window reported in the `X-Rate-Limit-*` headers. */
export interface RateReport {
  limit: number;
  remaining: number;
  /** Unix epoch seconds when the reported window frees up. */
  reset: number;
}

/** Whether a request may pass, and what the headers report. */
export type RateDecision =
  | { allowed: true; report: RateReport }
  | { allowed: false; report: RateReport; retryAfter: number };

interface Bucket {
  hourStart: number;
  hourCount: number;
  spikeHits: number[];
}

const HOUR_MS = 3_600_000;
const SPIKE_MS = 10_000;

/** Per-company request quotas on the simulator clock. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    public limits: RateLimits,
    private readonly now: () => number,
  ) {}

  /** Counts one request against `key`, or refuses it when either window is spent (refused calls are not counted). */
  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.bucket(key, now);
    const hourlyLeft = this.limits.hourly - bucket.hourCount;
    const spikeLeft = this.limits.spike - bucket.spikeHits.length;
    if (hourlyLeft <= 0 || spikeLeft <= 0) {
      const resetMs = hourlyLeft <= 0 ? bucket.hourStart + HOUR_MS : (bucket.spikeHits[0] ?? now) + SPIKE_MS;
      const limit = hourlyLeft <= 0 ? this.limits.hourly : this.limits.spike;
      return {
        allowed: false,
        report: { limit, remaining: 0, reset: Math.ceil(resetMs / 1000) },
        retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
      };
    }
    bucket.hourCount += 1;
    bucket.spikeHits.push(now);
    return { allowed: true, report: this.report(bucket, now) };
  }

  /** The headers' view of `key` without counting a request. */
  peek(key: string): RateReport {
    const now = this.now();
    return this.report(this.bucket(key, now), now);
  }

  /** Test hook: leave exactly `remaining` requests in a window of `key`. */
  setRemaining(key: string, window: 'hourly' | 'spike', remaining: number): void {
    const now = this.now();
    const bucket = this.bucket(key, now);
    if (window === 'hourly') {
      bucket.hourCount = Math.max(0, this.limits.hourly - remaining);
    } else {
      const used = Math.max(0, this.limits.spike - remaining);
      bucket.spikeHits = Array.from({ length: used }, () => now);
    }
  }

  /** Forgets every count. */
  reset(): void {
    this.buckets.clear();
  }

  private bucket(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { hourStart: now, hourCount: 0, spikeHits: [] };
      this.buckets.set(key, bucket);
    }
    if (now >= bucket.hourStart + HOUR_MS) {
      bucket.hourStart = now;
      bucket.hourCount = 0;
    }
    bucket.spikeHits = bucket.spikeHits.filter((t) => t > now - SPIKE_MS);
    return bucket;
  }

  private report(bucket: Bucket, now: number): RateReport {
    const hourly: RateReport = {
      limit: this.limits.hourly,
      remaining: Math.max(0, this.limits.hourly - bucket.hourCount),
      reset: Math.ceil((bucket.hourStart + HOUR_MS) / 1000),
    };
    const spike: RateReport = {
      limit: this.limits.spike,
      remaining: Math.max(0, this.limits.spike - bucket.spikeHits.length),
      reset: Math.ceil(((bucket.spikeHits[0] ?? now) + SPIKE_MS) / 1000),
    };
    // Procore reports the window the caller is closest to exhausting.
    return spike.remaining / spike.limit < hourly.remaining / hourly.limit ? spike : hourly;
  }
}
