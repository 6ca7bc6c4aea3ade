import type { CustomerConfig } from '../config/schema';
import { type Worktag, worktagId } from '../workday/records';
import type { BudgetCodeRef } from './commands';
import { MappingProblem } from './problems';
import { describeWorktags } from './text';

/** A line or line split about to be placed in a project and on a budget code. */
export interface CostedPiece {
  /** Names the piece in reasons: `PO PO-1042 line 3 split 2`. */
  label: string;
  worktags: readonly Worktag[];
  spendCategory?: string | undefined;
}

/** A split's worktags first; the line's own fill in the types the split lacks. */
export function effectiveWorktags(split: readonly Worktag[], line: readonly Worktag[]): Worktag[] {
  const types = new Set(split.map((w) => w.type));
  return [...split, ...line.filter((w) => !types.has(w.type))];
}

/** Looks a key up in a config map; a Workday value such as "constructor" never reaches the object prototype. */
export function configLookup<V>(map: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

// Organisation worktags all carry this generic type beside their own (v45.1 Accounting_WorktagReferenceEnumeration).
const GENERIC_WORKTAG_TYPE = 'Organization_Reference_ID';

/**
 * The first project rule whose worktag is on the piece, by any of its IDs; rules on the generic
 * Organization_Reference_ID come after every rule on a specific type, so the specific one wins. Quarantines when none is.
 */
export function resolveProject(piece: CostedPiece, config: CustomerConfig): { procoreProjectId: number; rule: string } {
  const rules = config.mapping.projects;
  const generic = (rule: (typeof rules)[number]) => rule.worktag.type === GENERIC_WORKTAG_TYPE;
  for (const rule of [...rules.filter((r) => !generic(r)), ...rules.filter(generic)]) {
    if (piece.worktags.some((w) => worktagId(w, rule.worktag.type) === rule.worktag.id)) {
      return {
        procoreProjectId: rule.procoreProjectId,
        rule: `${rule.worktag.type} ${rule.worktag.id} → ${rule.procoreProjectId}`,
      };
    }
  }
  throw new MappingProblem(
    `${piece.label}: no project rule matches its worktags (${describeWorktags(piece.worktags)}); ${projectHint(piece, config)}.`,
  );
}

function projectHint(piece: CostedPiece, config: CustomerConfig): string {
  const ruleTypes = [...new Set(config.mapping.projects.map((r) => r.worktag.type))];
  for (const w of piece.worktags) {
    const type = ruleTypes.find((candidate) => worktagId(w, candidate) !== undefined);
    if (type !== undefined) {
      return `add { worktag: { type: '${type}', id: '${worktagId(w, type)}' }, procoreProjectId: <Procore project id> } to mapping.projects`;
    }
  }
  return `it has none of the worktag types mapping.projects uses (${ruleTypes.join(', ')}): add one to the line in Workday, or add a rule for one of its worktags to mapping.projects`;
}

/** Cost code from the piece's worktag and cost type from its spend category, each with how it was chosen. */
export function resolveBudgetCode(
  piece: CostedPiece,
  config: CustomerConfig,
): { budgetCode: BudgetCodeRef; rule: string } {
  const costCode = resolveCostCode(piece, config);
  const costType = resolveCostType(piece, config);
  return {
    budgetCode: { costCode: costCode.code, costType: costType.code },
    rule: `${costCode.rule}; ${costType.rule}`,
  };
}

function resolveCostCode(piece: CostedPiece, config: CustomerConfig): { code: string; rule: string } {
  const { worktagType, map, default: fallback } = config.mapping.costCodes;
  const values = [
    ...new Set(piece.worktags.map((w) => worktagId(w, worktagType)).filter((value) => value !== undefined)),
  ];
  const [value] = values;
  if (values.length > 1) {
    throw new MappingProblem(
      `${piece.label} has ${values.length} ${worktagType} worktags (${values.join(', ')}), so its cost code is ambiguous: keep one on the line in Workday, or split the line so each split carries one.`,
    );
  }
  if (value !== undefined) {
    const code = configLookup(map, value) ?? value;
    return { code, rule: `${worktagType} ${value} → ${code}` };
  }
  if (fallback === null) {
    throw new MappingProblem(
      `${piece.label} has no ${worktagType} worktag and mapping.costCodes.default is null: add a ${worktagType} worktag to the line in Workday, or set mapping.costCodes.default to a Procore cost code.`,
    );
  }
  return { code: fallback, rule: `no ${worktagType} → default ${fallback}` };
}

function resolveCostType(piece: CostedPiece, config: CustomerConfig): { code: string; rule: string } {
  const { bySpendCategory, default: fallback } = config.mapping.costTypes;
  const category = piece.spendCategory;
  if (category === undefined || category === '')
    return { code: fallback, rule: `no spend category → default ${fallback}` };
  const code = configLookup(bySpendCategory, category);
  return code === undefined
    ? { code: fallback, rule: `${category} → default ${fallback}` }
    : { code, rule: `${category} → ${code}` };
}
