import { describe, expect, it } from 'vitest';
import { parseCustomerConfig } from '../../../lambdas/config/loader';
import { type CostedPiece, resolveBudgetCode, resolveProject } from '../../../lambdas/mapping/budget';
import { MappingProblem } from '../../../lambdas/mapping/problems';
import type { Worktag } from '../../../lambdas/workday/records';
import { buildConfigInput } from '../config/build-config';

const costCenter: Worktag = {
  type: 'Cost_Center_Reference_ID',
  id: 'CC-200',
  otherIds: { Organization_Reference_ID: 'CC-200' },
};

function config(
  projects: { type: string; id: string; procoreProjectId: number }[],
  costCodeType = 'Custom_Worktag_1_ID',
) {
  return parseCustomerConfig(
    buildConfigInput({
      mapping: {
        projects: projects.map(({ type, id, procoreProjectId }) => ({ worktag: { type, id }, procoreProjectId })),
        costCodes: { worktagType: costCodeType, default: null },
        costTypes: { default: 'O' },
      },
    }),
    'test.json',
  );
}

const piece = (worktags: Worktag[]): CostedPiece => ({ label: 'PO PO-1 line 1', worktags });

describe('worktag rules match any of a worktag’s IDs', () => {
  it('maps a cost center by its specific type', () => {
    const rules = config([{ type: 'Cost_Center_Reference_ID', id: 'CC-200', procoreProjectId: 7 }]);

    expect(resolveProject(piece([costCenter]), rules).procoreProjectId).toBe(7);
  });

  it('maps a cost center by its generic Organization_Reference_ID', () => {
    const rules = config([{ type: 'Organization_Reference_ID', id: 'CC-200', procoreProjectId: 8 }]);

    expect(resolveProject(piece([costCenter]), rules).procoreProjectId).toBe(8);
  });

  it('lets a rule on a specific type win over an earlier rule on the generic Organization_Reference_ID', () => {
    const rules = config([
      { type: 'Organization_Reference_ID', id: 'REG-W', procoreProjectId: 8 },
      { type: 'Cost_Center_Reference_ID', id: 'CC-200', procoreProjectId: 7 },
    ]);
    const region: Worktag = {
      type: 'Region_Reference_ID',
      id: 'REG-W',
      otherIds: { Organization_Reference_ID: 'REG-W' },
    };

    expect(resolveProject(piece([region, costCenter]), rules).procoreProjectId).toBe(7);
    expect(resolveProject(piece([region]), rules).procoreProjectId).toBe(8);
  });

  it('reads the cost code from any ID of the cost-code type', () => {
    const rules = config([{ type: 'Project_ID', id: 'P-1', procoreProjectId: 1 }], 'Organization_Reference_ID');
    const tags: Worktag[] = [{ type: 'Project_ID', id: 'P-1' }, costCenter];

    expect(resolveBudgetCode(piece(tags), rules).budgetCode.costCode).toBe('CC-200');
  });

  it('hints at a rule on the type the rules use, naming the worktag’s ID of that type', () => {
    const rules = config([{ type: 'Organization_Reference_ID', id: 'CC-100', procoreProjectId: 8 }]);

    expect(() => resolveProject(piece([costCenter]), rules)).toThrow(MappingProblem);
    expect(() => resolveProject(piece([costCenter]), rules)).toThrow(
      "add { worktag: { type: 'Organization_Reference_ID', id: 'CC-200' }",
    );
  });
});
