import BigConstructor from 'big.js';

/**
 * Money and quantities as exact decimals. Values travel as plain decimal strings ("1250.00", "-3.5")
 * from the Workday XML to the Procore JSON; arithmetic goes through big.js, never through Number.
 */
export type Decimal = string;

// A private constructor in strict mode: passing a JS number throws, so floats cannot sneak in.
const Big = BigConstructor();
Big.strict = true;
Big.DP = 10;
Big.RM = Big.roundHalfUp;
Big.NE = -30;
Big.PE = 40;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** True when `value` is a plain decimal string (no exponent, no thousands separators). */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value.trim());
}

/** Parses a decimal string exactly; throws a RangeError naming the value when it is not one. */
export function toBig(value: Decimal): BigConstructor.Big {
  const text = value.trim();
  if (!DECIMAL.test(text)) throw new RangeError(`not a decimal amount: ${JSON.stringify(value.slice(0, 40))}`);
  // big.js refuses a leading '+', which Workday's xsd:decimal allows.
  return new Big(text.startsWith('+') ? text.slice(1) : text);
}

/** The canonical text of a decimal: no leading '+', no superfluous leading zeros, trailing zeros kept to `minScale`. */
export function normalize(value: Decimal, minScale = 0): Decimal {
  const b = toBig(value);
  const dp = Math.max(minScale, decimalPlaces(b));
  return b.toFixed(dp);
}

function decimalPlaces(b: BigConstructor.Big): number {
  return Math.max(0, b.c.length - b.e - 1);
}

export function add(a: Decimal, b: Decimal): Decimal {
  return toBig(a).plus(toBig(b)).toString();
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  return toBig(a).minus(toBig(b)).toString();
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return toBig(a).times(toBig(b)).toString();
}

export function negate(a: Decimal): Decimal {
  return toBig(a).times(new Big('-1')).toString();
}

/** Sum of decimals; "0" for none. */
export function sum(values: Iterable<Decimal>): Decimal {
  let total = new Big('0');
  for (const v of values) total = total.plus(toBig(v));
  return total.toString();
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  return toBig(a).cmp(toBig(b));
}

/** Numeric equality: "250.0" equals "250.00". */
export function equals(a: Decimal, b: Decimal): boolean {
  return compare(a, b) === 0;
}

export function abs(a: Decimal): Decimal {
  return toBig(a).abs().toString();
}

export function isZero(a: Decimal): boolean {
  return toBig(a).eq(new Big('0'));
}

export function isNegative(a: Decimal): boolean {
  return toBig(a).lt(new Big('0'));
}

/** Fixed two-decimal text for amounts shown to people and sent to Procore ("1250.5" → "1250.50"); never rounds away cents it has. */
export function toAmount(a: Decimal): Decimal {
  return normalize(a, 2);
}
