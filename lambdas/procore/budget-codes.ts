import type { CostCode, CostType, WbsCode } from './schemas';
import type { BudgetCodeIndex } from './types';

const SEP = '\u0001';

/**
 * Indexes a project's active budget codes by cost code `full_code` × cost type `code`. Procore does not say
 * whether a segment item's id equals the cost code's id, so items are matched by their codes: the cost-code
 * item by its tier codes (`path_codes`) against the project's cost codes, the cost-type item by its code.
 */
export function buildBudgetCodeIndex(
  wbsCodes: readonly WbsCode[],
  costCodes: readonly CostCode[],
  costTypes: readonly CostType[],
): BudgetCodeIndex {
  const fullCodeByPath = costCodePaths(costCodes);
  const fullCodes = new Set(costCodes.map((c) => c.full_code).filter((c): c is string => c !== null));
  const typeCodes = new Set(costTypes.map((t) => t.code).filter((c): c is string => c !== null));
  const byParts = new Map<string, number>();
  const byFlatCode = new Map<string, number>();

  for (const wbs of wbsCodes) {
    if (wbs.status !== null && wbs.status !== 'active') continue;
    if (wbs.flat_code && !byFlatCode.has(wbs.flat_code)) byFlatCode.set(wbs.flat_code, wbs.id);
    let costCode: string | undefined;
    let costType: string | undefined;
    for (const item of wbs.segment_items) {
      const type = item.segment?.type;
      const tiers = item.path_codes ?? (item.code === null ? [] : [item.code]);
      const fullCode =
        fullCodeByPath.get(tiers.join(SEP)) ??
        (item.path_code && fullCodes.has(item.path_code) ? item.path_code : undefined);
      if (type === 'cost_code' || (type == null && fullCode !== undefined && costCode === undefined)) {
        costCode = fullCode ?? item.path_code ?? undefined;
      } else if (type === 'line_item_type' || (type == null && item.code !== null && typeCodes.has(item.code))) {
        costType = item.code ?? undefined;
      }
    }
    if (costCode === undefined || costType === undefined) continue;
    const key = costCode + SEP + costType;
    if (!byParts.has(key)) byParts.set(key, wbs.id);
  }

  return {
    size: byParts.size,
    lookup(costCodeFullCode, costTypeCode) {
      return (
        byParts.get(costCodeFullCode + SEP + costTypeCode) ?? byFlatCode.get(`${costCodeFullCode}.${costTypeCode}`)
      );
    },
  };
}

/** Tier codes (root first, joined by SEP) → full code, from the parent links of the project's cost codes. */
function costCodePaths(costCodes: readonly CostCode[]): Map<string, string> {
  const byId = new Map(costCodes.map((c) => [c.id, c]));
  const paths = new Map<string, string>();
  for (const c of costCodes) {
    if (c.full_code === null || c.code === null) continue;
    const tiers: string[] = [];
    const seen = new Set<number>();
    let node: CostCode | undefined = c;
    while (node && node.code !== null && !seen.has(node.id)) {
      seen.add(node.id);
      tiers.unshift(node.code);
      const parentId: number | null = node.parent ?? node.parent_id;
      node = parentId === null ? undefined : byId.get(parentId);
    }
    paths.set(tiers.join(SEP), c.full_code);
  }
  return paths;
}
