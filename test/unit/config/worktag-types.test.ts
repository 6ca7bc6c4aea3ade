import { describe, expect, it } from 'vitest';
import { parseCustomerConfig } from '../../../lambdas/config/loader';
import { suggestWorktagType, WORKTAG_TYPES } from '../../../lambdas/config/worktag-types';
import { ConfigError, type ConfigIssue } from '../../../lambdas/shared/errors';
import { buildConfigInput } from './build-config';

function issuesFor(input: unknown): readonly ConfigIssue[] {
  try {
    parseCustomerConfig(input, 'test.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('worktag types in the config', () => {
  it('knows the v45.1 spellings, zero-padded from 06 to 09 only', () => {
    expect(WORKTAG_TYPES.has('Custom_Worktag_06_ID')).toBe(true);
    expect(WORKTAG_TYPES.has('Custom_Worktag_6_ID')).toBe(false);
    expect(WORKTAG_TYPES.has('Custom_Worktag_1_ID')).toBe(true);
    expect(WORKTAG_TYPES.has('Organization_Reference_ID')).toBe(true);
    expect(WORKTAG_TYPES.has('WID')).toBe(false);
  });

  it('suggests the enumeration spelling for a near miss', () => {
    expect(suggestWorktagType('Custom_Worktag_6_ID')).toBe('Custom_Worktag_06_ID');
    expect(suggestWorktagType('Custom_Worktag_01_ID')).toBe('Custom_Worktag_1_ID');
    expect(suggestWorktagType('cost_center_reference_id')).toBe('Cost_Center_Reference_ID');
    expect(suggestWorktagType('Cost_Centre_Reference_ID')).toBe('Cost_Center_Reference_ID');
    expect(suggestWorktagType('Something_Else_Entirely')).toBeUndefined();
  });

  it('lists every misspelt type at its JSON path, with the right spelling', () => {
    const input = buildConfigInput({
      mapping: {
        projects: [
          { worktag: { type: 'Project_ID', id: 'PRJ-1' }, procoreProjectId: 1 },
          { worktag: { type: 'Cost_Center_ID', id: 'CC-1' }, procoreProjectId: 2 },
        ],
        costCodes: { worktagType: 'Custom_Worktag_6_ID' },
        costTypes: { default: 'O' },
      },
    });

    const issues = issuesFor(input);

    expect(issues.map((i) => i.path)).toEqual([
      '$.mapping.projects[1].worktag.type',
      '$.mapping.costCodes.worktagType',
    ]);
    expect(issues[1]?.message).toContain('did you mean "Custom_Worktag_06_ID"?');
    expect(issues[0]?.message).toContain('Accounting_WorktagReferenceEnumeration');
  });
});
