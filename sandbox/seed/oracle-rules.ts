import { parseCustomerConfig } from '../../lambdas/config/loader';
import type { CustomerConfig, CustomerConfigInput } from '../../lambdas/config/schema';
import { isZero } from '../../lambdas/shared/money';
import type { LineSplit, Ref, StatusValue, Worktag } from '../workday/data';

/**
 * The README's mapping rules ("Customer config", "What lands in Procore"), written again from it for the oracle (deliberately not shared
 * with `lambdas/mapping/`, so that a misreading on either side shows up as a difference).
 */

/** One Procore line a Workday line (or split, or header charge) becomes. */
export interface Piece {
  originId: string;
  procoreProjectId: number;
  /** Procore cost code `full_code`. */
  costCode: string;
  /** Procore cost type `code`. */
  costType: string;
  amount: string;
}

/** The line shape PO lines, invoice lines and credit memo lines share. */
export interface MappableLine {
  lineId: string;
  spendCategory?: Ref;
  extendedAmount: string;
  worktags: Worktag[];
  splits: LineSplit[];
}

/** A record the oracle expects to be quarantined, and why. */
export class Quarantine extends Error {}

/** The config with its defaults applied (the zod schema is the config's definition, not mapping logic). */
export function effectiveConfig(config: CustomerConfigInput): CustomerConfig {
  return parseCustomerConfig(config, 'firm config');
}

function describe(worktags: readonly Worktag[]): string {
  return worktags.map((w) => `${w.type} ${w.id}`).join(', ') || 'none';
}

/** The Procore project of a line or split: the first rule, in config order, whose worktag it carries. */
function projectFor(config: CustomerConfig, worktags: readonly Worktag[], where: string): number {
  for (const rule of config.mapping.projects) {
    if (worktags.some((w) => w.type === rule.worktag.type && w.id === rule.worktag.id)) return rule.procoreProjectId;
  }
  throw new Quarantine(`${where}: no project rule matches its worktags (${describe(worktags)})`);
}

/** The Procore cost code of a line or split: mapped, passed through, defaulted, or a quarantine. */
function costCodeFor(config: CustomerConfig, worktags: readonly Worktag[], where: string): string {
  const { worktagType, map, default: fallback } = config.mapping.costCodes;
  const tag = worktags.find((w) => w.type === worktagType);
  if (tag) return map[tag.id] ?? tag.id;
  if (fallback !== null) return fallback;
  throw new Quarantine(`${where}: no ${worktagType} worktag and no default cost code`);
}

/** The Procore cost type of a spend category. */
function costTypeFor(config: CustomerConfig, category: Ref | undefined): string {
  const { bySpendCategory, default: fallback } = config.mapping.costTypes;
  return (category && bySpendCategory[category.id]) ?? fallback;
}

/** The pieces of one line: one per split (origin `<doc>:<line>:<n>`), else one for the line. */
export function linePieces(config: CustomerConfig, documentWid: string, line: MappableLine, where: string): Piece[] {
  const costType = costTypeFor(config, line.spendCategory);
  if (line.splits.length === 0) {
    return [
      {
        originId: `${documentWid}:${line.lineId}`,
        procoreProjectId: projectFor(config, line.worktags, where),
        costCode: costCodeFor(config, line.worktags, where),
        costType,
        amount: line.extendedAmount,
      },
    ];
  }
  return line.splits.map((split, i) => {
    // A split inherits the line's worktags for any type it does not carry itself.
    const tags = [...split.worktags, ...line.worktags.filter((w) => !split.worktags.some((s) => s.type === w.type))];
    const at = `${where} split ${i + 1}`;
    return {
      originId: `${documentWid}:${line.lineId}:${i + 1}`,
      procoreProjectId: projectFor(config, tags, at),
      costCode: costCodeFor(config, tags, at),
      costType,
      amount: split.extendedAmount,
    };
  });
}

/** Header charges that become lines: non-zero tax, freight and other, when `charges.costCode` is set. */
export function chargePieces(
  config: CustomerConfig,
  documentWid: string,
  charges: { tax?: string | undefined; freight?: string | undefined; other?: string | undefined },
  procoreProjectId: number,
): Piece[] {
  const { costCode, costType } = config.mapping.charges;
  if (costCode === null) return [];
  return (['tax', 'freight', 'other'] as const).flatMap((kind) => {
    const amount = charges[kind];
    if (amount === undefined || isZero(amount)) return [];
    return [{ originId: `${documentWid}:charges:${kind}`, procoreProjectId, costCode, costType, amount }];
  });
}

/** Whether a Workday status (its ID or descriptor, any case) is one of `names`; no status at all is in scope. */
export function statusIn(status: StatusValue | undefined, names: readonly string[]): boolean {
  if (!status) return true;
  const wanted = names.map((n) => n.toLowerCase());
  return wanted.includes(status.id.toLowerCase()) || wanted.includes(status.descriptor.toLowerCase());
}

/** The Procore commitment status a PO status maps to, if any (keys matched case-insensitively). */
export function mappedPoStatus(config: CustomerConfig, status: StatusValue): string | undefined {
  for (const [key, value] of Object.entries(config.purchaseOrders.statusMap)) {
    const k = key.toLowerCase();
    if (k === status.id.toLowerCase() || k === status.descriptor.toLowerCase()) return value;
  }
  return undefined;
}

/** The currency each configured project uses, for the currency check. */
export type ProjectCurrencies = ReadonlyMap<number, { currency: string; multicurrency: boolean }>;

/** Throws the currency quarantine when a document's currency is not its project's (and no multicurrency). */
export function checkCurrency(currencies: ProjectCurrencies, projectId: number, currency: string, where: string): void {
  const project = currencies.get(projectId);
  if (!project || project.multicurrency || project.currency === currency) return;
  throw new Quarantine(`${where}: currency ${currency} differs from project ${projectId}'s ${project.currency}`);
}
