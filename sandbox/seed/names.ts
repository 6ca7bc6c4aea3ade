import { NAME_FIRST, NAME_KIND, NAME_TRADE } from './catalog';
import { mix32 } from './rng';

/** Supplier names: regular ones are distinct by construction; crafted ones carry the awkward characters. */

const TOTAL = NAME_FIRST.length * NAME_TRADE.length * NAME_KIND.length;
// Coprime with TOTAL (2^9·3^2·5^2·…), so index → name number is a permutation.
const STEP = 7919;

/** Legal suffixes every normaliser knows (the contract names Inc, LLC and Ltd). */
const MATCHABLE_SUFFIXES = ['Inc.', 'LLC', 'Ltd.'] as const;
const OTHER_SUFFIXES = ['Inc.', 'LLC', 'Co.', 'Corp.', 'Ltd.'] as const;

/** The regular name body (no legal suffix) of supplier `index`: "Acme Concrete Group". */
export function nameBody(seed: number, index: number): string {
  const n = (((index * STEP) % TOTAL) + (mix32(seed) % TOTAL)) % TOTAL;
  const first = NAME_FIRST[n % NAME_FIRST.length];
  const trade = NAME_TRADE[Math.floor(n / NAME_FIRST.length) % NAME_TRADE.length];
  const kind = NAME_KIND[Math.floor(n / (NAME_FIRST.length * NAME_TRADE.length)) % NAME_KIND.length];
  return `${first} ${trade} ${kind}`;
}

/** The legal suffix of supplier `index`; `matchable` keeps to the ones the contract says matching ignores. */
export function legalSuffix(seed: number, index: number, matchable: boolean): string {
  const list = matchable ? MATCHABLE_SUFFIXES : OTHER_SUFFIXES;
  return list[mix32(seed ^ (index * 31 + 7)) % list.length] ?? 'Inc.';
}

/** A hand-typed spelling of `body` + `suffix` that normalises to the same name (case, punctuation, suffix). */
export function nameVariant(body: string, suffix: string, variant: number): string {
  switch (variant % 3) {
    case 0:
      return body.toUpperCase();
    case 1:
      return `${body}, ${suffix === 'LLC' ? 'Inc.' : 'LLC'}`;
    default:
      return `${body.toLowerCase()}  ${suffix.replace(/\./g, '')}`;
  }
}

/** A supplier name longer than Procore's 255-character vendor name limit. */
const LONG_NAME =
  'The Consolidated Intermountain Heavy Civil, Structural Concrete, Post-Tensioning, Precast Erection, ' +
  'Foundation Drilling, Shoring, Underpinning, Dewatering, Site Utilities, Trenchless Boring and Environmental ' +
  'Remediation Contractors Cooperative of the Greater Salt Lake and Wasatch Front Region, Incorporated';

/** Crafted names: ampersands, apostrophes (straight and typographic), accents, an astral-plane emoji. */
export const CRAFTED_NAMES = {
  ampersand: ['Smith & Sons Concrete, Inc.', 'Baker & Hale Mechanical LLC'],
  apostrophe: ["O'Brien Electric Co.", 'Kelly\u2019s Crane Service LLC', "D'Angelo Masonry Inc."],
  accent: ['Béton Québécois Ltée', 'Müller Façades GmbH', 'Peñasco Excavación S.A. de C.V.'],
  emoji: ['Hammerhead \u{1F528} Carpentry LLC'],
  longName: [LONG_NAME],
} as const;
