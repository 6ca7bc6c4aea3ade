import type { CustomerConfigInput } from '../../../lambdas/config/schema';

/** The smallest valid customer config: only required keys, so every default shows. */
export function buildConfigInput(overrides: Partial<CustomerConfigInput> = {}): CustomerConfigInput {
  return {
    customerId: 'acme-builders',
    schedule: { rateMinutes: 30 },
    workday: {
      baseUrl: 'https://wd2-impl-services1.workday.com',
      tenant: 'acme',
      version: 'v45.1',
      auth: 'isu',
    },
    procore: { companyId: 12345 },
    mapping: {
      projects: [{ worktag: { type: 'Project_ID', id: 'PRJ-1001' }, procoreProjectId: 5001 }],
      costCodes: { worktagType: 'Custom_Worktag_1_ID' },
      costTypes: { default: 'O' },
    },
    ...overrides,
  };
}
