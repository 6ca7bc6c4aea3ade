/** Seeded, reproducible fault injection shared by the Workday and Procore simulators. */

export type FaultProfileName = 'none' | 'light' | 'heavy';

/** Probability of each fault per request (0–1); a request draws at most one fault. */
export interface FaultRates {
  /** 500/502/503 before the request is applied. */
  serverError: number;
  /** Throttling: Procore 429 (with Retry-After), Workday HTTP 500 throttling fault. */
  throttle: number;
  /** Socket destroyed before any response. */
  drop: number;
  /** No response until the client gives up (the simulator holds the request for `timeoutMs`). */
  timeout: number;
  /** Write requests only: the change is applied, then the connection is dropped (the idempotency case). */
  lostResponse: number;
  /** The caller's access token is expired before the request is checked. */
  tokenExpiry: number;
}

export const FAULT_PROFILES: Record<FaultProfileName, FaultRates> = {
  none: { serverError: 0, throttle: 0, drop: 0, timeout: 0, lostResponse: 0, tokenExpiry: 0 },
  light: { serverError: 0.01, throttle: 0.01, drop: 0.005, timeout: 0.002, lostResponse: 0.005, tokenExpiry: 0.002 },
  heavy: { serverError: 0.05, throttle: 0.05, drop: 0.02, timeout: 0.01, lostResponse: 0.03, tokenExpiry: 0.01 },
};

export type Fault =
  | { type: 'serverError'; status: 500 | 502 | 503 }
  | { type: 'throttle' }
  | { type: 'drop' }
  | { type: 'timeout' }
  | { type: 'lostResponse' }
  | { type: 'tokenExpiry' };

export type FaultType = Fault['type'];

/** mulberry32: a tiny deterministic PRNG, good enough for reproducible fault schedules and data. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, request by request, which fault (if any) to inject; forced faults come first. */
export class FaultPlan {
  private readonly random: () => number;
  private readonly forced: Fault[] = [];
  readonly injected: Record<FaultType, number> = {
    serverError: 0,
    throttle: 0,
    drop: 0,
    timeout: 0,
    lostResponse: 0,
    tokenExpiry: 0,
  };

  constructor(
    public rates: FaultRates = FAULT_PROFILES.none,
    seed = 1,
  ) {
    this.random = createRng(seed);
  }

  /** Queue `fault` for the next `count` eligible requests, ahead of the random schedule. */
  force(fault: Fault, count = 1): void {
    for (let i = 0; i < count; i++) this.forced.push(fault);
  }

  /** The fault for this request, or undefined. `write` says whether a lost response is possible. */
  next(write: boolean): Fault | undefined {
    const forcedIndex = this.forced.findIndex((f) => write || f.type !== 'lostResponse');
    const fault = forcedIndex >= 0 ? this.forced.splice(forcedIndex, 1)[0] : this.draw(write);
    if (fault) this.injected[fault.type] += 1;
    return fault;
  }

  private draw(write: boolean): Fault | undefined {
    const r = this.random();
    let edge = 0;
    const pick = (rate: number) => {
      edge += rate;
      return r < edge;
    };
    const { serverError, throttle, drop, timeout, lostResponse, tokenExpiry } = this.rates;
    if (pick(serverError))
      return { type: 'serverError', status: ([500, 502, 503] as const)[Math.floor(r * 1e6) % 3] ?? 500 };
    if (pick(throttle)) return { type: 'throttle' };
    if (pick(drop)) return { type: 'drop' };
    if (pick(timeout)) return { type: 'timeout' };
    if (write && pick(lostResponse)) return { type: 'lostResponse' };
    if (pick(tokenExpiry)) return { type: 'tokenExpiry' };
    return undefined;
  }
}
