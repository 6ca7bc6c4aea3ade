import type { Supplier } from '../workday/data';
import type { ExpectedVendor, RecordOutcome } from './oracle-types';
import type { HandTypedVendor } from './procore-seed';

/** Match before create (README, "What lands in Procore"): tax ID first, else normalised name; two candidates or a foreign owner quarantine. */

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'co',
  'corp',
  'corporation',
  'lp',
  'ltee',
]);

/** Case, accents, punctuation, spacing and trailing legal suffixes ignored. */
function normaliseName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words.at(-1) ?? '')) words.pop();
  return words.join(' ');
}

function normaliseTaxId(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** How one supplier ends up: its vendor, or a quarantine with the reason. */
export type VendorDecision =
  | { outcome: Extract<RecordOutcome, 'written'>; vendor: ExpectedVendor }
  | { outcome: Extract<RecordOutcome, 'quarantined'>; reason: string };

/** The vendor a supplier becomes, matched against the vendors typed into Procore before the first sync. */
export function decideVendor(supplier: Supplier, typed: readonly HandTypedVendor[]): VendorDecision {
  const taxIds = new Set(supplier.taxIds.map((t) => normaliseTaxId(t.value)));
  const byTax = typed.filter((v) => v.taxId !== null && taxIds.has(normaliseTaxId(v.taxId)));
  const name = normaliseName(supplier.name);
  const candidates = (byTax.length > 0 ? byTax : typed.filter((v) => normaliseName(v.name) === name)).filter(
    (v) => v.originId !== supplier.wid,
  );
  const foreign = candidates.filter((v) => v.originId !== null);
  if (foreign.length > 0) {
    return {
      outcome: 'quarantined',
      reason: `vendor ${foreign.map((v) => v.id).join(', ')} belongs to another integration`,
    };
  }
  if (candidates.length > 1) {
    return { outcome: 'quarantined', reason: `candidate vendors ${candidates.map((v) => v.id).join(', ')}` };
  }
  const current = supplier.statusHistory.at(-1)?.status ?? 'ACTIVE';
  return {
    outcome: 'written',
    vendor: {
      originId: supplier.wid,
      originCode: supplier.supplierId,
      name: supplier.name,
      // Not approved yet in Workday: kept inactive in Procore until it is.
      isActive: current === 'ACTIVE' && supplier.approvalStatus?.id !== 'IN_PROGRESS',
      procoreId: candidates[0]?.id,
      projectIds: [],
    },
  };
}
