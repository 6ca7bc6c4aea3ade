import type { CustomerConfigInput } from '../../lambdas/config/schema';
import { CHARGES_COST_CODE, COST_CODES, DEFAULT_COST_CODE, DEFAULT_COST_TYPE, SPEND_CATEGORIES } from './catalog';
import type { FirmLayout } from './layout';

/** Where the config points before a server exists; `Sandbox.writeConfig` replaces it with the real URL. */
const PLACEHOLDER_URL = 'http://127.0.0.1';

/**
 * The customer config of the firm: Project_ID rules first (rule order decides), then cost-center rules. No rule
 * states a currency: the connector reads each project's from Procore.
 */
export function buildConfig(layout: FirmLayout): CustomerConfigInput {
  const rules = [...layout.projectIdProjects, layout.cadProject, ...layout.costCenterProjects].map((p) => ({
    worktag: { type: p.worktag.type, id: p.worktag.id },
    procoreProjectId: p.procoreId,
  }));
  const costCodeMap: Record<string, string> = {};
  for (const c of COST_CODES) {
    const full = `${c.division}-${c.code}`;
    if (c.workdayValue !== full) costCodeMap[c.workdayValue] = full;
  }
  const bySpendCategory: Record<string, string> = {};
  for (const s of SPEND_CATEGORIES) if (s.costType !== undefined) bySpendCategory[s.id] = s.costType;
  return {
    customerId: layout.customerId,
    schedule: { rateMinutes: 15 },
    syncFrom: layout.syncFrom,
    workday: {
      baseUrl: PLACEHOLDER_URL,
      tenant: layout.tenant,
      version: 'v45.1',
      auth: 'isu',
      pageSize: layout.scale === 'small' ? 25 : 999,
      invoiceLookbackDays: 120,
    },
    procore: { authBaseUrl: PLACEHOLDER_URL, apiBaseUrl: PLACEHOLDER_URL, companyId: layout.companyId },
    mapping: {
      projects: rules,
      costCodes: { worktagType: 'Custom_Worktag_1_ID', map: costCodeMap, default: DEFAULT_COST_CODE },
      costTypes: { bySpendCategory, default: DEFAULT_COST_TYPE },
      charges: { costCode: CHARGES_COST_CODE, costType: 'O' },
    },
    purchaseOrders: {
      statusMap: { Approved: 'Approved', Issued: 'Approved', Closed: 'Closed', Canceled: 'Closed' },
    },
    invoices: { poBacked: 'requisition', statuses: ['Approved'] },
    retry: { maxAttempts: 5, baseDelaySeconds: 30 },
    alarmEmail: 'ap-integrations@summit-builders.example',
  };
}
