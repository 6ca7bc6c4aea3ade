import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../sandbox/faults';
import { COMPANY_ID, type Harness, START, startHarness } from './harness';

const ME = '/rest/v1.0/me';

describe('Procore simulator: rate limits', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('reports the window closest to exhaustion on every response', async () => {
    h = await startHarness({ rateLimit: { hourly: 600, spike: 25 } });
    const first = await h.get(ME);
    // 24/25 left in the spike window is closer to exhaustion than 599/600 in the hour.
    expect(first.headers.get('x-rate-limit-limit')).toBe('25');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('24');
    expect(first.headers.get('x-rate-limit-reset')).toBe(String(START / 1000 + 10));
    h.sim.rateLimiter.setRemaining(String(COMPANY_ID), 'hourly', 5);
    h.clock.advance(10_000);
    const second = await h.get(ME);
    expect(second.headers.get('x-rate-limit-limit')).toBe('600');
    expect(second.headers.get('x-rate-limit-remaining')).toBe('4');
    expect(second.headers.get('x-rate-limit-reset')).toBe(String(START / 1000 + 3600));
  });

  it('answers 429 with Retry-After once the spike window is spent', async () => {
    h = await startHarness({ rateLimit: { hourly: 3600, spike: 3 } });
    for (let i = 0; i < 3; i++) expect((await h.get(ME)).status).toBe(200);
    h.clock.advance(4_000);
    const throttled = await h.get(ME);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('6');
    expect(throttled.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(throttled.headers.get('x-rate-limit-limit')).toBe('3');
    expect(throttled.text).toBe(
      'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
    );
    h.clock.advance(6_000);
    expect((await h.get(ME)).status).toBe(200);
  });

  it('leaves Retry-After off a 429 when the retryAfterOn429 switch is off, the reset header still saying when', async () => {
    h = await startHarness({ rateLimit: { hourly: 3600, spike: 1 }, switches: { retryAfterOn429: false } });
    expect((await h.get(ME)).status).toBe(200);
    const throttled = await h.get(ME);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(Number(throttled.headers.get('x-rate-limit-reset'))).toBeGreaterThan(START / 1000);
  });

  it('answers 429 when the hourly window is spent, until the hour has passed', async () => {
    h = await startHarness({ rateLimit: { hourly: 2, spike: 100 } });
    await h.get(ME);
    await h.get(ME);
    const throttled = await h.get(ME);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3600');
    h.clock.advance(3_600_000);
    expect((await h.get(ME)).status).toBe(200);
  });

  it('counts failed calls (4xx) against the quota', async () => {
    h = await startHarness({ rateLimit: { hourly: 3600, spike: 2 } });
    expect((await h.get('/rest/v1.0/no_such_thing')).status).toBe(404);
    expect((await h.get('/rest/v1.0/vendors')).status).toBe(400);
    expect((await h.get(ME)).status).toBe(429);
    expect(h.sim.calls.throttled).toBe(1);
    expect(h.sim.calls.clientErrors).toBe(3);
  });

  it('keeps a separate quota per company header', async () => {
    h = await startHarness({ rateLimit: { hourly: 3600, spike: 1 } });
    expect((await h.get(ME)).status).toBe(200);
    const other = await h.get(ME, { noCompany: true, headers: { 'Procore-Company-Id': '7' } });
    expect(other.status).toBe(403);
    expect((await h.get(ME)).status).toBe(429);
  });

  it('answers 503 with Retry-After when the fault plan says heavy load', async () => {
    const faults = new FaultPlan();
    h = await startHarness({ faults });
    faults.force({ type: 'serverError', status: 503 });
    const reply = await h.get(ME);
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect(reply.headers.get('x-request-id')).toBeTruthy();
  });
});
