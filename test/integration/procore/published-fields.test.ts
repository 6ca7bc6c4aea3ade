import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  billingPeriodSchema,
  changeOrderLineSchema,
  commitmentCurrencySchema,
  commitmentDetailSchema,
  commitmentLineSchema,
  commitmentSchema,
  companyCurrencyConfigurationSchema,
  companySchema,
  costTypeSchema,
  directCostLineSchema,
  directCostSchema,
  projectCurrencyConfigurationSchema,
  projectSchema,
  requisitionSchema,
  wbsCodeSchema,
} from '../../../lambdas/procore/schemas';
import { loadOperations, type SchemaNode, unknownFields } from '../../../sandbox/procore/schema-check';

/** A sample object with every key the zod schema reads, nested objects and arrays included. */
function sampleOf(schema: z.ZodType): unknown {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  switch (def.type) {
    case 'pipe':
      return sampleOf(def.in as z.ZodType);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'catch':
      return sampleOf(def.innerType as z.ZodType);
    case 'array':
      return [sampleOf(def.element as z.ZodType)];
    case 'object':
      return Object.fromEntries(
        Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, sampleOf(v)]),
      );
    case 'union': {
      const [first] = def.options as z.ZodType[];
      return first === undefined ? null : sampleOf(first);
    }
    default:
      return null;
  }
}

/** The documented schema of one answer item: the array's item, or `data` / `entities[]` inside the answer. */
function answerItem(operationId: string, inside?: string): SchemaNode {
  const response = loadOperations().get(operationId)?.response;
  if (response === undefined) throw new Error(`${operationId} documents no answer fields`);
  let node = response.type === 'array' && response.items ? response.items : response;
  if (inside !== undefined) {
    const child = node.properties?.[inside];
    node = child?.type === 'array' && child.items ? child.items : (child ?? {});
  }
  return node;
}

const READS: [string, z.ZodType, string, string?][] = [
  ['companies', companySchema, 'RestV10CompaniesGet'],
  ['projects', projectSchema, 'RestV10ProjectsGet'],
  ['project', projectSchema, 'RestV10ProjectsIdGet'],
  ['commitments', commitmentSchema, 'RestV10PurchaseOrderContractsGet'],
  ['commitment sync', commitmentSchema, 'RestV10PurchaseOrderContractsSyncPatch', 'entities'],
  ['commitment', commitmentDetailSchema, 'RestV10PurchaseOrderContractsIdGet'],
  [
    'SOV line sync',
    commitmentLineSchema,
    'RestV10PurchaseOrderContractsPurchaseOrderContractIdLineItemsSyncPatch',
    'entities',
  ],
  [
    'change order lines',
    changeOrderLineSchema,
    'RestV20CompaniesCompanyIdProjectsProjectIdCommitmentChangeOrdersCommitmentChangeOrderIdLineItemsGet',
    'data',
  ],
  [
    'change order line create',
    changeOrderLineSchema,
    'RestV20CompaniesCompanyIdProjectsProjectIdCommitmentChangeOrdersCommitmentChangeOrderIdLineItemsPost',
    'data',
  ],
  ['billing periods', billingPeriodSchema, 'RestV10ProjectsProjectIdBillingPeriodsGet'],
  ['requisitions', requisitionSchema, 'RestV11RequisitionsGet'],
  ['requisition create', requisitionSchema, 'RestV11RequisitionsPost'],
  ['direct costs', directCostSchema, 'RestV11ProjectsProjectIdDirectCostsGet'],
  ['direct cost sync', directCostSchema, 'RestV10ProjectsProjectIdDirectCostsSyncPatch', 'entities'],
  ['direct cost lines', directCostLineSchema, 'RestV10ProjectsProjectIdDirectCostsLineItemsGet'],
  ['direct cost line sync', directCostLineSchema, 'RestV10ProjectsProjectIdDirectCostsLineItemsSyncPatch', 'entities'],
  ['budget codes', wbsCodeSchema, 'RestV10ProjectsProjectIdWorkBreakdownStructureWbsCodesGet'],
  ['cost types', costTypeSchema, 'RestV10LineItemTypesGet'],
  [
    'project currency',
    projectCurrencyConfigurationSchema,
    'RestV10CompaniesCompanyIdProjectsProjectIdCurrencyConfigurationGet',
  ],
  ['company currency', companyCurrencyConfigurationSchema, 'RestV10CompaniesCompanyIdCurrencyConfigurationGet'],
  ['commitment currency', commitmentCurrencySchema, 'RestV10PurchaseOrderContractsIdGet'],
  ['commitment currency update', commitmentCurrencySchema, 'RestV10PurchaseOrderContractsIdPatch'],
];

describe('the Procore client reads only documented answer fields', () => {
  it.each(READS)('%s', (_name, schema, operationId, inside) => {
    expect(unknownFields(answerItem(operationId, inside), sampleOf(schema))).toEqual([]);
  });
});
