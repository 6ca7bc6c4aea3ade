import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** A stable content hash of any JSON-like value (key order does not matter, array order does). */
export function stableHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** The only stored form of a tax ID: sha256 over its letters and digits, upper-cased ("12-3456789" = "123456789"). */
export function hashTaxId(value: string): string {
  return sha256Hex(`taxid:${value.toUpperCase().replace(/[^0-9A-Z]/g, '')}`);
}
