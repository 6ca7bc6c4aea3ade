import { describe, expect, it } from 'vitest';
import { budgetHours, median, parseLatency, per1000, ratio, stageDurations } from '../../../bench/stats';

describe('bench stats', () => {
  it('normalises calls per 1,000 records and refuses zero records', () => {
    expect(per1000(25, 500)).toBe(50);
    expect(per1000(3, 0)).toBeUndefined();
  });

  it('turns calls into hours of rate budget', () => {
    expect(budgetHours(7200, 3600)).toBe(2);
    expect(budgetHours(900, 600)).toBe(1.5);
  });

  it('takes the median of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives no ratio against zero', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(1, 0)).toBeUndefined();
  });

  it('attributes each interval to the stage that opened it', () => {
    const marks = [
      { stage: 'poll', at: 0 },
      { stage: 'poll', at: 10 },
      { stage: 'map', at: 30 },
      { stage: 'write', at: 35 },
      { stage: 'map', at: 50 },
    ];
    expect(stageDurations(marks, 60)).toEqual({ poll: 30, map: 15, write: 15 });
  });

  it('parses a latency spec', () => {
    expect(parseLatency('procore=80,workday=400')).toEqual({ procoreMs: 80, workdayMs: 400 });
    expect(() => parseLatency('jira=5')).toThrow(/unknown system/);
  });
});
