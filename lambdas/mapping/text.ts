import type { Worktag } from '../workday/records';

/** Procore's limit for names, titles and line descriptions. */
export const MAX_TEXT = 255;

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function codePoints(text: string): number {
  return Array.from(text).length;
}

/**
 * Shortens text to at most `max` code points (Procore counts characters, not UTF-16 units), cutting at a
 * word boundary when one is near and never inside a grapheme, and marks the cut with '…'.
 */
export function truncate(text: string, max = MAX_TEXT): string {
  if (codePoints(text) <= max) return text;
  let kept = '';
  let count = 0;
  let next = '';
  for (const { segment } of graphemes.segment(text)) {
    const size = codePoints(segment);
    if (count + size > max - 1) {
      next = segment;
      break;
    }
    kept += segment;
    count += size;
  }
  const atWordEnd = /^\s/u.test(next);
  const lastSpace = kept.search(/\s\S*$/u);
  // Back off to the previous word only when that keeps most of the text; a single huge word is cut as is.
  const cut = !atWordEnd && lastSpace > kept.length / 2 ? kept.slice(0, lastSpace) : kept;
  return `${cut.replace(/[\s,;:–—-]+$/u, '')}${ELLIPSIS}`;
}

/** Worktags as a finance person reads them: `Cost_Center_Reference_ID CC-999, Custom_Worktag_1_ID WD-CONC`. */
export function describeWorktags(worktags: readonly Worktag[]): string {
  return worktags.length === 0 ? 'no worktags' : worktags.map((w) => `${w.type} ${w.id}`).join(', ');
}

/** Quantity, unit and unit cost as Workday gave them (never recomputed), for a line description. */
export interface QuantityDetail {
  quantity?: string | undefined;
  unitOfMeasure?: string | undefined;
  unitCost?: string | undefined;
}

/** A line description with its quantity detail (`Rebar #5 — 12.500 EA × 45.1250`), within Procore's limit. */
export function lineDescription(description: string, detail: QuantityDetail, fallback: string): string {
  const base = description.trim() === '' ? fallback : description.trim();
  const quantity = detail.quantity?.trim();
  if (quantity === undefined || quantity === '') return truncate(base);
  const unit = detail.unitOfMeasure?.trim() ? ` ${detail.unitOfMeasure.trim()}` : '';
  const cost = detail.unitCost?.trim() ? ` × ${detail.unitCost.trim()}` : '';
  const suffix = ` — ${quantity}${unit}${cost}`;
  const room = MAX_TEXT - codePoints(suffix);
  // Keep the quantity detail whole and shorten the free text, unless the detail alone is too long.
  return room < 20 ? truncate(`${base}${suffix}`) : `${truncate(base, room)}${suffix}`;
}
