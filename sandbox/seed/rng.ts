import { createRng } from '../faults';

/**
 * Seeded randomness addressed by (stream, index): every record draws from its own generator, so record
 * `i` can be rebuilt on demand without generating records `0 … i-1` (what keeps enterprise scale lazy).
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixed integer hash. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Streams: one per kind of generated thing, so adding a draw to one kind never shifts another. */
export const STREAM = {
  layout: 1,
  supplier: 2,
  purchaseOrder: 3,
  invoice: 4,
  adjustment: 5,
  procore: 6,
  scenario: 7,
  supplierKind: 8,
  purchaseOrderKind: 9,
  invoiceKind: 10,
  pairSupplier: 11,
  purchaseOrderSupplier: 12,
  invoiceSupplier: 13,
  adjustedInvoice: 14,
} as const;

/** The seed of record `index` of `stream` for the firm seeded with `seed`. */
export function seedFor(seed: number, stream: number, index: number): number {
  return mix32(mix32(mix32(seed) ^ Math.imul(stream, 0x9e3779b9)) + index);
}

/** A uniform value in [0, 1) that depends only on (seed, stream, index): for cheap per-record decisions. */
export function unit(seed: number, stream: number, index: number): number {
  return seedFor(seed, stream, index) / 4294967296;
}

/** A small deterministic random source with the draws the generator needs. */
export class Rand {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = createRng(seed);
  }

  /** For record `index` of `stream`. */
  static of(seed: number, stream: number, index: number): Rand {
    return new Rand(seedFor(seed, stream, index));
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** `count` lowercase hex digits. */
  hex(count: number): string {
    let text = '';
    while (text.length < count) {
      text += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    }
    return text.slice(0, count);
  }

  /** A random 32-hex WID. */
  wid(): string {
    return this.hex(32);
  }
}

/** The inverse of `mix32` (each step of the finaliser is invertible), so an encoded index can be read back. */
export function unmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7ed1b41d);
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, 0xa5cb9243);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-hex WID whose first 8 digits encode `index` (scrambled), so a lazy store can find record `index` from it. */
export function indexedWid(seed: number, stream: number, index: number, tail: Rand): string {
  const mask = seedFor(seed, stream, 0x7fffffff);
  return (
    mix32((index ^ mask) >>> 0)
      .toString(16)
      .padStart(8, '0') + tail.hex(24)
  );
}

/** The index an `indexedWid` encodes (the caller confirms it by rebuilding the record). */
export function indexOfWid(seed: number, stream: number, wid: string): number | undefined {
  if (!/^[0-9a-f]{32}$/.test(wid)) return undefined;
  const mask = seedFor(seed, stream, 0x7fffffff);
  return (unmix32(Number.parseInt(wid.slice(0, 8), 16)) ^ mask) >>> 0;
}

/** Zero-padded decimal text. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Random money text `D.CC` between the two whole-dollar bounds, built from integers (no float money). */
export function money(rand: Rand, minDollars: number, maxDollars: number): string {
  return `${rand.int(minDollars, maxDollars)}.${pad(rand.int(0, 99), 2)}`;
}
