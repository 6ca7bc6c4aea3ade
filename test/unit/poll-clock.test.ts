import { describe, expect, it } from 'vitest';
import { parseCustomerConfig } from '../../lambdas/config/loader';
import { planWindow, pollMoment, SETTLE_LAG_MS } from '../../lambdas/pipeline/poll';
import { createMemoryLogger } from '../../lambdas/shared/logger';
import { buildConfigInput } from './config/build-config';

const LOCAL = Date.parse('2026-03-02T10:00:00Z');

function pager(workdayNow: number | undefined) {
  return {
    pages: () => ({ [Symbol.asyncIterator]: async function* () {} }),
    ...(workdayNow === undefined ? {} : { clock: async () => workdayNow }),
  };
}

describe('pollMoment(): windows follow Workday’s clock when it is behind ours', () => {
  it('plans at Workday’s moment when this machine runs ahead, and says so', async () => {
    const logger = createMemoryLogger();
    const workday = LOCAL - 10 * 60_000;

    const moment = await pollMoment({ workday: pager(workday), logger, now: () => LOCAL }, 'suppliers');
    const window = planWindow(parseCustomerConfig(buildConfigInput(), 't'), 'suppliers', {}, moment);

    expect(moment).toBe(workday);
    expect(window?.to).toBe(new Date(workday - SETTLE_LAG_MS).toISOString());
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('600 s ahead of Workday') }),
    );
  });

  it('keeps this machine’s moment when Workday runs ahead, or when the pager cannot tell', async () => {
    const logger = createMemoryLogger();

    const behind = await pollMoment({ workday: pager(LOCAL + 3 * 60_000), logger, now: () => LOCAL }, 'purchaseOrders');
    const unknown = await pollMoment({ workday: pager(undefined), logger, now: () => LOCAL }, 'purchaseOrders');
    const close = await pollMoment({ workday: pager(LOCAL - 1000), logger, now: () => LOCAL }, 'purchaseOrders');

    expect([behind, unknown, close]).toEqual([LOCAL, LOCAL, LOCAL - 1000]);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });
});
