import { afterEach, describe, expect, it } from 'vitest';
import { COMPANY_ID, type Harness, START, seedCompany, startHarness } from './harness';

describe('Procore client: pacing by the rate-limit headers', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('keeps under a spike window of 10 per 10 s: a 60-request run, partly concurrent, sees no 429', async () => {
    h = await startHarness({ sim: { rateLimit: { hourly: 3600, spike: 10 } } });
    const { project } = seedCompany(h.sim);
    for (let i = 0; i < 30; i++) await h.client.findCommitment(project.id, `po-${i}`);
    await Promise.all(Array.from({ length: 30 }, () => h.client.project(project.id)));

    expect(h.sim.calls.throttled).toBe(0);
    expect(h.client.stats).toMatchObject({ calls: 60, throttled: 0, clientErrors: 0 });
    // 60 requests at no more than 10 per 10 s take at least 50 s of (simulated) time.
    expect(h.clock.now() - START).toBeGreaterThanOrEqual(50_000);
  });

  it('slows down before the hourly limit rather than after it', async () => {
    h = await startHarness({ sim: { rateLimit: { hourly: 100, spike: 100 } } });
    const { project } = seedCompany(h.sim);
    await h.client.project(project.id);
    h.sim.rateLimiter.setRemaining(String(COMPANY_ID), 'hourly', 4);
    for (let i = 0; i < 6; i++) await h.client.project(project.id);

    expect(h.sim.calls.throttled).toBe(0);
    // The last requests of the hour are spread over what is left of it (about 20 minutes apart), the rest wait
    // for the new hour.
    expect(h.clock.sleeps.length).toBe(3);
    expect(h.clock.sleeps[0]).toBeGreaterThan(15 * 60_000);
    expect(h.clock.sleeps[0]).toBeLessThan(25 * 60_000);
    expect(h.clock.now() - START).toBeGreaterThanOrEqual(3_600_000);
  });
});
