import { describe, expect, it } from 'vitest';
import { runCampaign, SIZES } from '../../campaign/campaign';
import { CRASH_KINDS } from '../../campaign/crash';
import { formatReport } from '../../campaign/report';

describe('the crash and fault campaign (CI size)', () => {
  it('loses nothing, duplicates nothing and adds up after SIGKILLs at every step of a write and under seeded faults', async () => {
    const result = await runCampaign({ size: SIZES.ci, seed: 1, launcher: 'bundle' });

    expect(result.failures).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.duplicated).toBe(0);
    expect(result.wrong).toBe(0);
    expect(result.summariesNotAddingUp).toBe(0);
    expect(result.crash.failedRestarts).toBe(0);
    expect(result.rerunWrites).toBe(0);
    // Every kind is aimed at; the request-counted ones land for sure, a kill by the clock may come too late.
    for (const kind of CRASH_KINDS) expect(result.crash.points[kind].aimed, kind).toBeGreaterThan(0);
    for (const kind of CRASH_KINDS.filter((k) => k !== 'anyMoment'))
      expect(result.crash.points[kind].hit, kind).toBeGreaterThan(0);
    expect(result.faults.byAuth.isu + result.faults.byAuth.oauth).toBe(SIZES.ci.faultRuns);
    expect(Object.values(result.faults.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
    expect(formatReport(result, 'ci')).toContain('| **duplicated** | 0 |');
  }, 150_000);
});
