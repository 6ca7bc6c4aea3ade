import { isDecimal, normalize } from '../../lambdas/shared/money';
import { type FieldErrors, isRecord, unprocessable } from './http';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/**
 * Reads the attributes of one request object the way Rails would, collecting validation errors instead of
 * stopping at the first: `undefined` means the attribute was not sent, `null` that it was sent as null.
 */
export class FieldReader {
  readonly errors: FieldErrors = {};

  constructor(
    readonly data: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  /** Records an error on an attribute. */
  add(key: string, message: string): void {
    const name = this.prefix + key;
    const list = this.errors[name] ?? [];
    list.push(message);
    this.errors[name] = list;
  }

  /** Copies another reader's errors into this one. */
  absorb(errors: FieldErrors): void {
    for (const [key, messages] of Object.entries(errors)) {
      const list = this.errors[key] ?? [];
      list.push(...messages);
      this.errors[key] = list;
    }
  }

  get valid(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** Throws the collected errors as a 422. */
  throwIfInvalid(): void {
    if (!this.valid) throw unprocessable(this.errors);
  }

  /** Whether the attribute was sent at all. */
  has(key: string): boolean {
    return Object.hasOwn(this.data, key) && this.data[key] !== undefined;
  }

  string(key: string): string | null | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return v;
    // Rails coerces scalars sent for string attributes.
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v === 'string') return v;
    this.add(key, 'is invalid');
    return undefined;
  }

  /** A string that must be present and not blank. */
  requiredString(key: string): string | undefined {
    const v = this.string(key);
    if (v === undefined || v === null || v.trim() === '') {
      if (!this.errors[this.prefix + key]) this.add(key, "can't be blank");
      return undefined;
    }
    return v;
  }

  integer(key: string): number | null | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && /^\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
    this.add(key, 'is not a number');
    return undefined;
  }

  boolean(key: string): boolean | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.add(key, 'is not a boolean');
    return undefined;
  }

  /** One of `values` exactly (case-sensitive, as Procore's enums are). */
  oneOf<T extends string>(key: string, values: readonly T[]): T | null | undefined {
    const v = this.string(key);
    if (v === undefined || v === null) return v;
    const hit = values.find((x) => x === v);
    if (hit === undefined) this.add(key, 'is not included in the list');
    return hit;
  }

  /** A `YYYY-MM-DD` date. */
  date(key: string): string | null | undefined {
    const v = this.string(key);
    if (v === undefined || v === null || v === '') return v === '' ? null : v;
    if (!isDate(v)) {
      this.add(key, 'is not a valid date');
      return undefined;
    }
    return v;
  }

  /**
   * A decimal as a canonical string. Procore sends and takes money as decimal strings; JSON numbers are only
   * accepted where its schema types the field as a number (`allowNumber`), and then converted exactly as written.
   */
  decimal(key: string, allowNumber = false): string | null | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return v;
    if (typeof v === 'number') {
      const text = String(v);
      if (!allowNumber) {
        this.add(key, 'must be a decimal string');
        return undefined;
      }
      if (!Number.isFinite(v) || !isDecimal(text)) {
        this.add(key, 'is not a number');
        return undefined;
      }
      return normalize(text);
    }
    if (typeof v === 'string' && isDecimal(v)) return normalize(v);
    this.add(key, 'is not a number');
    return undefined;
  }

  /** An array of integer ids. */
  idArray(key: string): number[] | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x))) return v as number[];
    this.add(key, 'must be an array of ids');
    return undefined;
  }

  /** A nested object attribute. */
  object(key: string): Record<string, unknown> | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return undefined;
    if (isRecord(v)) return v;
    this.add(key, 'is invalid');
    return undefined;
  }

  /** An array of objects attribute. */
  objects(key: string): Record<string, unknown>[] | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v) && v.every(isRecord)) return v;
    this.add(key, 'must be an array of objects');
    return undefined;
  }
}
