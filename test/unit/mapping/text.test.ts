import { describe, expect, it } from 'vitest';
import { sumAmounts, withSign } from '../../../lambdas/mapping/amounts';
import { lineDescription, truncate } from '../../../lambdas/mapping/text';

describe('truncate()', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('a'.repeat(255))).toBe('a'.repeat(255));
  });

  it('cuts at a word boundary and marks the cut', () => {
    expect(truncate('alpha beta gamma delta', 15)).toBe('alpha beta…');
  });

  it('keeps a word that ends exactly at the cut', () => {
    expect(truncate('alpha beta gamma', 11)).toBe('alpha beta…');
  });

  it('cuts a single long word where it must', () => {
    expect(truncate('x'.repeat(300))).toBe(`${'x'.repeat(254)}…`);
  });

  it('counts characters, not UTF-16 units, and never splits a grapheme', () => {
    const text = `${'é'.repeat(250)} 👍🏽👍🏽👍🏽👍🏽`;

    const cut = truncate(text);

    expect(Array.from(cut).length).toBeLessThanOrEqual(255);
    expect(cut).toBe(`${'é'.repeat(250)}…`);
  });
});

describe('lineDescription()', () => {
  it.each([
    [{ quantity: '12.500', unitOfMeasure: 'EA', unitCost: '45.1250' }, 'Rebar #5 — 12.500 EA × 45.1250'],
    [{ quantity: '0.001', unitCost: '0.0001' }, 'Rebar #5 — 0.001 × 0.0001'],
    [{ quantity: '3', unitOfMeasure: 'HR' }, 'Rebar #5 — 3 HR'],
    [{ unitCost: '45.1250' }, 'Rebar #5'],
  ])('describes %j', (detail, expected) => {
    expect(lineDescription('Rebar #5', detail, 'fallback')).toBe(expected);
  });

  it('falls back when Workday sent no description', () => {
    expect(lineDescription('  ', {}, 'PO PO-1 line 2')).toBe('PO PO-1 line 2');
  });
});

describe('amounts', () => {
  it.each([
    ['100.00', true, '-100.00'],
    ['-100.00', true, '-100.00'],
    ['+7.5', false, '7.5'],
    ['-0.00', true, '0.00'],
  ])('withSign(%s, negative %s) is %s', (value, negative, expected) => {
    expect(withSign(value, negative)).toBe(expected);
  });

  it('sums exactly, keeping the largest scale', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['99999999999.99', '0.01'])).toBe('100000000000.00');
    expect(sumAmounts(['1.5'])).toBe('1.5');
  });
});
