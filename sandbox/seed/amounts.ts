import { multiply, subtract, sum, toAmount, toBig } from '../../lambdas/shared/money';
import { pad, type Rand } from './rng';

/**
 * Exact amounts: quantities with 3 decimals and unit costs with 4 whose product has whole cents, so
 * Extended_Amount = quantity × unit cost holds exactly. Each pair of steps multiplies to 10^-5 of a unit
 * squared (e.g. 0.032 × 0.3125 = 0.01), so any multiple of one times any multiple of the other is in cents.
 */
const STEPS: readonly (readonly [quantityThousandths: number, unitCostTenThousandths: number])[] = [
  [32, 3125],
  [160, 625],
  [125, 800],
  [625, 160],
  [800, 125],
  [3125, 32],
  [250, 400],
  [40, 2500],
  [1000, 100],
];

/** `units` thousandths (or ten-thousandths with `scale` 4) as fixed decimal text. */
function fixed(units: number, scale: 3 | 4): string {
  const divisor = scale === 3 ? 1000 : 10_000;
  return `${Math.floor(units / divisor)}.${pad(units % divisor, scale)}`;
}

/** A goods line's quantity, unit cost and exact extended amount; `steps` lets a bill reuse the unit cost. */
export interface PricedQuantity {
  quantity: string;
  unitCost: string;
  extendedAmount: string;
  /** Quantity in multiples of its step: a partial bill picks fewer multiples and stays exact. */
  quantitySteps: number;
  stepIndex: number;
}

/** A random exact (quantity, unit cost, extended amount), quantity up to ~400 and unit cost up to ~2500. */
export function pricedQuantity(rand: Rand): PricedQuantity {
  const stepIndex = rand.int(0, STEPS.length - 1);
  const [q, u] = STEPS[stepIndex] ?? [1000, 100];
  const quantitySteps = rand.int(Math.ceil(1000 / q), Math.max(Math.ceil(1000 / q), Math.floor(400_000 / q)));
  const costSteps = rand.int(Math.ceil(10_000 / u), Math.floor(25_000_000 / u));
  return priced(stepIndex, quantitySteps, fixed(costSteps * u, 4));
}

/** The same unit cost for `quantitySteps` steps of the quantity's step. */
export function priced(stepIndex: number, quantitySteps: number, unitCost: string): PricedQuantity {
  const [q] = STEPS[stepIndex] ?? [1000];
  const quantity = fixed(quantitySteps * q, 3);
  return { quantity, unitCost, extendedAmount: toAmount(multiply(quantity, unitCost)), quantitySteps, stepIndex };
}

/** `amount` split in two parts in cents (the first about `share` of it), summing exactly to `amount`. */
export function splitInTwo(amount: string, share: string): [string, string] {
  const first = toBig(multiply(amount, share)).toFixed(2);
  return [first, toAmount(subtract(amount, first))];
}

/** About `share` of `amount`, in cents. */
export function portion(amount: string, share: string): string {
  return toBig(multiply(amount, share)).toFixed(2);
}

/** The sum of amounts as a two-decimal amount. */
export function total(amounts: readonly string[]): string {
  return toAmount(sum(amounts));
}

/** A share between 0.20 and 0.80 as decimal text. */
export function randomShare(rand: Rand): string {
  return `0.${pad(rand.int(20, 80), 2)}`;
}
