import { describe, expect, it } from 'vitest';
import type { MapResult } from '../../../lambdas/mapping/commands';
import { mapRecord } from '../../../lambdas/mapping/index';
import { mappingVersion, rawHash } from '../../../lambdas/mapping/version';
import { buildConfig, buildContext, buildPoLine, buildPurchaseOrder, buildSupplier } from './builders';

function hashOf(result: MapResult): string {
  if (result.outcome !== 'mapped') throw new Error(`expected mapped, got ${result.outcome}`);
  return result.mappedHash;
}

describe('mappingVersion()', () => {
  const base = buildConfig();

  it('is short and stable', () => {
    expect(mappingVersion(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(mappingVersion(buildConfig())).toBe(mappingVersion(base));
  });

  it('ignores keys that do not change output', () => {
    expect(
      mappingVersion(
        buildConfig({
          schedule: { rateMinutes: 60 },
          retry: { maxAttempts: 9, baseDelaySeconds: 5 },
          alarmEmail: 'other@acme.example',
          customerId: 'acme-two',
        }),
      ),
    ).toBe(mappingVersion(base));
  });

  it('ignores the order of keys in config maps', () => {
    const reordered = buildConfig({
      mapping: { costTypes: { bySpendCategory: { 'SC-SUB': 'S', 'SC-MAT': 'M' }, default: 'O' } },
    });

    expect(mappingVersion(reordered)).toBe(mappingVersion(base));
  });

  it.each([
    [
      'a project rule added',
      {
        mapping: {
          projects: [...base.mapping.projects, { worktag: { type: 'Project_ID', id: 'PRJ-9' }, procoreProjectId: 9 }],
        },
      },
    ],
    ['project rules reordered', { mapping: { projects: [...base.mapping.projects].reverse() } }],
    [
      'a cost code default',
      {
        mapping: { costCodes: { worktagType: 'Custom_Worktag_1_ID', map: { 'WD-CONC': '03-300' }, default: '01-000' } },
      },
    ],
    ['charges', { mapping: { charges: { costCode: '01-900', costType: 'O' } } }],
    ['statusMap', { purchaseOrders: { statusMap: { Approved: 'Approved' as const } } }],
    ['poBacked', { invoices: { poBacked: 'directCost' as const } }],
    ['syncFrom', { syncFrom: '2026-02-01' }],
    ['companyId', { procore: { companyId: 999 } }],
  ])('changes with %s', (_name, overrides) => {
    expect(mappingVersion(buildConfig(overrides))).not.toBe(mappingVersion(base));
  });
});

describe('rawHash()', () => {
  it('ignores key order and changes with content', () => {
    const supplier = buildSupplier();
    const reordered = Object.fromEntries(Object.entries(supplier).reverse()) as typeof supplier;

    expect(rawHash(reordered)).toBe(rawHash(supplier));
    expect(rawHash(buildSupplier({ phone: '555' }))).not.toBe(rawHash(supplier));
  });
});

describe('mappedHash', () => {
  const config = buildConfig();
  const context = buildContext();

  it('is the same when the record changes in ways that do not change the output', () => {
    const po = buildPurchaseOrder();
    const sameOutput = buildPurchaseOrder({ company: { ids: { Company_Reference_ID: 'C1' } } });

    expect(rawHash(sameOutput)).not.toBe(rawHash(po));
    expect(hashOf(mapRecord(sameOutput, config, context))).toBe(hashOf(mapRecord(po, config, context)));
  });

  it('changes when the output changes', () => {
    const po = buildPurchaseOrder();
    const changed = buildPurchaseOrder({ lines: [buildPoLine({ extendedAmount: '1000.01' })] });

    expect(hashOf(mapRecord(changed, config, context))).not.toBe(hashOf(mapRecord(po, config, context)));
  });
});
