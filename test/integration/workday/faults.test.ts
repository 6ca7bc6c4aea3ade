import { afterEach, describe, expect, it } from 'vitest';
import type { WorkdayPage } from '../../../lambdas/pipeline/poll';
import { WorkdayError } from '../../../lambdas/shared/errors';
import { FAULT_PROFILES, type Fault, FaultPlan } from '../../../sandbox/faults';
import {
  callsOf,
  type Harness,
  OAUTH,
  query,
  readAll,
  rejectionOf,
  seedSuppliers,
  startHarness,
  T0,
  widsOf,
} from './harness';

describe('WorkdayClient: transient faults are retried', () => {
  let h: Harness;
  afterEach(() => h.close());

  it.each<[string, Fault]>([
    ['HTTP 503', { type: 'serverError', status: 503 }],
    ['HTTP 502 with an HTML page', { type: 'serverError', status: 502 }],
    ['HTTP 500 with an internal-error processing fault', { type: 'serverError', status: 500 }],
    ['a throttling fault (HTTP 500)', { type: 'throttle' }],
    ['a dropped connection', { type: 'drop' }],
    ['a request that times out', { type: 'timeout' }],
  ])('retries %s and reads the page', async (_name, fault) => {
    h = await startHarness();
    const stored = seedSuppliers(h.sim, 2);
    h.sim.faults.force(fault);
    const client = h.client({ timeoutMs: 250 });

    const pages = await readAll(client, query('suppliers'));

    expect(widsOf(pages)).toEqual(stored.map((s) => s.wid));
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(2);
    expect(client.stats).toEqual({ calls: 2, retries: 1, pages: 1 });
  });

  it('retries a failing token endpoint too', async () => {
    h = await startHarness({ auth: 'oauth' });
    h.sim.faults.force({ type: 'serverError', status: 503 });
    h.sim.faults.force({ type: 'throttle' });

    await expect(h.client().probe('suppliers')).resolves.toEqual({ totalResults: 0 });

    expect(callsOf(h.sim, 'oauth2/token')).toBe(3);
  });

  it('backs off with jitter between attempts', async () => {
    h = await startHarness();
    h.sim.faults.force({ type: 'serverError', status: 503 }, 3);
    const waits: number[] = [];
    const client = h.client({
      retry: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    await client.probe('suppliers');

    expect(waits).toEqual([1000, 1500, 2500]);
  });

  it('retries a page that does not parse once, then reads it', async () => {
    h = await startHarness();
    seedSuppliers(h.sim, 1);
    h.sim.store.corrupt('truncate');

    const pages = await readAll(h.client(), query('suppliers'));

    expect(pages[0]?.records).toHaveLength(1);
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(2);
  });
});

describe('WorkdayClient: failures that end the read are typed errors, never an empty page', () => {
  let h: Harness;
  afterEach(() => h.close());

  /** Reads a window, returning the pages yielded before the error and the error. */
  async function failingRead(client: ReturnType<Harness['client']>): Promise<{ pages: WorkdayPage[]; error: unknown }> {
    const pages: WorkdayPage[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const page of client.pages(query('suppliers'))) pages.push(page);
      })(),
    );
    return { pages, error };
  }

  it('gives up on 5xx after retry.maxAttempts with an unavailable error', async () => {
    h = await startHarness();
    seedSuppliers(h.sim, 1);
    h.sim.faults.force({ type: 'serverError', status: 503 }, 3);

    const { pages, error } = await failingRead(
      h.client({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 } }),
    );

    expect(pages).toEqual([]);
    expect(error).toBeInstanceOf(WorkdayError);
    expect(error).toMatchObject({
      kind: 'unavailable',
      retryable: true,
      message: expect.stringMatching(/after 3 attempts.*HTTP 503/),
    });
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(3);
  });

  it('refuses an answer larger than the response limit, naming the call and the fix', async () => {
    h = await startHarness({ maxResponseBytes: 8 * 1024 });
    seedSuppliers(h.sim, 40);

    const { pages, error } = await failingRead(h.client());

    expect(pages).toEqual([]);
    expect(error).toBeInstanceOf(WorkdayError);
    expect(error).toMatchObject({
      kind: 'malformed',
      retryable: false,
      message: expect.stringMatching(/Get_Suppliers.*larger than the response limit.*lower workday.pageSize/),
    });
  });

  it('gives up on persistent throttling with a throttled error', async () => {
    h = await startHarness();
    h.sim.faults.force({ type: 'throttle' }, 5);

    const { pages, error } = await failingRead(h.client());

    expect(pages).toEqual([]);
    expect(error).toMatchObject({ kind: 'throttled', retryable: true });
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(5);
  });

  it('fails a later page without yielding it, after the earlier pages', async () => {
    h = await startHarness({ config: { pageSize: 1 } });
    seedSuppliers(h.sim, 3);
    const client = h.client({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    const pages: WorkdayPage[] = [];

    const error = await rejectionOf(
      (async () => {
        for await (const page of client.pages(query('suppliers'))) {
          pages.push(page);
          h.sim.faults.force({ type: 'drop' }, 2);
        }
      })(),
    );

    expect(pages.map((p) => p.page)).toEqual([1]);
    expect(error).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/Get_Suppliers page 2/) });
  });

  it('stops retrying at the deadline rather than starting another attempt', async () => {
    h = await startHarness();
    h.sim.faults.force({ type: 'serverError', status: 503 }, 10);
    const deadline = T0 + 4_000;
    const client = h.client({
      retry: { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000 },
      deadline: () => deadline,
    });

    const error = await rejectionOf(client.probe('suppliers'));

    expect(error).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/deadline/) });
    // Waits of 1000 and 1500 ms fit before the deadline; the third (2500 ms) would not.
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(3);
    expect(h.clock.now).toBeLessThan(deadline);
  });

  it('starts nothing once the deadline has passed', async () => {
    h = await startHarness();

    const error = await rejectionOf(h.client({ deadline: () => T0 }).probe('suppliers'));

    expect(error).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/deadline/) });
    expect(h.sim.calls.total).toBe(0);
  });

  it('does not retry a validation fault (an unknown version)', async () => {
    h = await startHarness({ config: { version: 'v99.9' } });

    const error = await rejectionOf(h.client().probe('suppliers'));

    expect(error).toMatchObject({ kind: 'validation', message: expect.stringMatching(/version is invalid/) });
    expect(h.sim.calls.total).toBe(1);
  });

  it('does not retry a processing fault, and says how to grant the domain', async () => {
    h = await startHarness();
    h.sim.denyOperation('Get_Supplier_Invoices');

    const error = await rejectionOf(readAll(h.client(), query('invoices')));

    expect(error).toMatchObject({
      kind: 'processing',
      message: expect.stringMatching(/not authorized.*security group/),
    });
    expect(h.sim.calls.total).toBe(1);
  });

  it('fails a page that does not parse twice as malformed', async () => {
    h = await startHarness();
    seedSuppliers(h.sim, 1);
    h.sim.store.corrupt('doctype', 2);

    const { pages, error } = await failingRead(h.client());

    expect(pages).toEqual([]);
    expect(error).toMatchObject({ kind: 'malformed', retryable: false });
    expect(callsOf(h.sim, 'Get_Suppliers')).toBe(2);
  });
});

describe('WorkdayClient under the heavy fault profile', () => {
  it('reads a whole window with OAuth and rotation: every stored record exactly once', async () => {
    const h = await startHarness({
      auth: 'oauth',
      config: { pageSize: 4 },
      sim: { faults: new FaultPlan(FAULT_PROFILES.heavy, 1), oauth: { ...OAUTH, rotateRefreshTokens: true } },
    });
    const stored = seedSuppliers(h.sim, 400);
    const client = h.client({ timeoutMs: 250 });

    const pages = await readAll(client, query('suppliers'));

    expect(widsOf(pages)).toEqual(stored.map((s) => s.wid));
    expect(pages.map((p) => p.page)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Seed 1 draws every fault a read can meet: 5xx, throttling, drops, timeouts and expired tokens.
    const { lostResponse, ...injected } = h.sim.faults.injected;
    expect(Object.values(injected).every((count) => count > 0)).toBe(true);
    expect(client.stats.pages).toBe(100);
    expect(client.stats.retries).toBeGreaterThan(0);
    expect((await h.secrets.get('workday'))?.refreshToken).toBe(h.sim.currentRefreshToken());
    await h.close();
  });
});
