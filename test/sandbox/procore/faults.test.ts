import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_PROFILES, FaultPlan } from '../../../sandbox/faults';
import { COMPANY_ID, type Harness, startHarness } from './harness';

describe('Procore simulator: fault injection', () => {
  let h: Harness;
  let faults: FaultPlan;
  beforeEach(async () => {
    faults = new FaultPlan();
    h = await startHarness({ faults, timeoutHoldMs: 5_000 });
  });
  afterEach(async () => {
    await h.close();
  });

  const createVendor = (name: string, signal?: AbortSignal) =>
    h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { name, origin_id: `WD-${name}` } },
      ...(signal ? { signal } : {}),
    });

  it('drops the connection without a response', async () => {
    faults.force({ type: 'drop' });
    await expect(h.get('/rest/v1.0/me')).rejects.toThrow(TypeError);
    expect(h.sim.calls.dropped).toBe(1);
    expect((await h.get('/rest/v1.0/me')).status).toBe(200);
  });

  it('holds a timed-out request until the client gives up', async () => {
    faults.force({ type: 'timeout' });
    const started = Date.now();
    await expect(h.get('/rest/v1.0/me', { signal: AbortSignal.timeout(150) })).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await h.get('/rest/v1.0/me')).status).toBe(200);
  });

  it('applies a write whose response is lost, then drops the connection', async () => {
    faults.force({ type: 'lostResponse' });
    await expect(createVendor('Lost Co')).rejects.toThrow(TypeError);
    const found = await h.get<{ name: string }[]>(
      `/rest/v1.0/vendors?company_id=${COMPANY_ID}&filters[origin_id]=WD-Lost Co`,
    );
    expect(found.json.map((v) => v.name)).toEqual(['Lost Co']);
  });

  it('does not lose responses of reads (lostResponse waits for a write)', async () => {
    faults.force({ type: 'lostResponse' });
    expect((await h.get('/rest/v1.0/me')).status).toBe(200);
    await expect(createVendor('Later Co')).rejects.toThrow(TypeError);
  });

  it('answers server errors with the drawn status before applying anything', async () => {
    faults.force({ type: 'serverError', status: 502 });
    expect((await createVendor('Never Co')).status).toBe(502);
    expect(h.sim.state.vendors()).toHaveLength(0);
  });

  it('throttles with 429 and Retry-After', async () => {
    faults.force({ type: 'throttle' });
    const reply = await h.get('/rest/v1.0/me');
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect(reply.headers.get('x-rate-limit-remaining')).toBe('0');
  });

  it('expires the caller token (and keeps it expired) on a tokenExpiry fault', async () => {
    faults.force({ type: 'tokenExpiry' });
    expect((await h.get('/rest/v1.0/me')).status).toBe(401);
    expect((await h.get('/rest/v1.0/me')).status).toBe(401);
  });

  it('draws faults from a seeded profile reproducibly', async () => {
    const statuses = async (seed: number) => {
      const plan = new FaultPlan(FAULT_PROFILES.none, seed);
      const local = await startHarness({ faults: plan });
      plan.rates = { ...FAULT_PROFILES.none, serverError: 0.5 };
      const out: number[] = [];
      for (let i = 0; i < 8; i++) out.push((await local.get('/rest/v1.0/me')).status);
      await local.close();
      return out;
    };
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    expect(first.some((s) => s >= 500)).toBe(true);
  });
});

describe('Procore simulator: latency', () => {
  it('adds the configured latency to every response', async () => {
    const h = await startHarness({ latencyMs: 120 });
    const started = Date.now();
    await h.get('/rest/v1.0/me');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    await h.close();
  });
});
