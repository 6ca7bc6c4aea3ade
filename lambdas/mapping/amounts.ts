import { type Decimal, isDecimal, isZero, normalize, sum } from '../shared/money';
import { MappingProblem } from './problems';

function scaleOf(value: Decimal): number {
  const text = value.trim();
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** The amount, checked to be a plain decimal before it goes anywhere near Procore. */
export function requireAmount(label: string, value: Decimal): Decimal {
  if (!isDecimal(value)) {
    throw new MappingProblem(
      `${label}: the amount ${JSON.stringify(value.slice(0, 40))} is not a decimal amount; check it in Workday.`,
    );
  }
  return value;
}

/**
 * The amount with its sign forced, digits untouched ("100.00" → "-100.00"): credit memos take their sign
 * from Increase_Liability, whatever sign Workday put on the line.
 */
export function withSign(value: Decimal, negative: boolean): Decimal {
  if (!isDecimal(value)) throw new RangeError(`not a decimal amount: ${JSON.stringify(value.slice(0, 40))}`);
  const digits = value.trim().replace(/^[+-]/, '');
  return negative && !isZero(digits) ? `-${digits}` : digits;
}

/** Exact sum that keeps the largest scale of its terms ("100.00" + "50.00" → "150.00"); one term is returned as is. */
export function sumAmounts(values: readonly Decimal[]): Decimal {
  if (values.length === 1 && values[0] !== undefined) return values[0];
  return normalize(sum(values), Math.max(0, ...values.map(scaleOf)));
}
