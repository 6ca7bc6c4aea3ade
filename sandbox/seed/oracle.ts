import type { CustomerConfigInput } from '../../lambdas/config/schema';
import type { PurchaseOrder } from '../workday/data';
import type { FirmData } from './data';
import { creditMemoView, decidePayable, invoiceView } from './oracle-invoices';
import { decidePurchaseOrder } from './oracle-purchase-orders';
import { effectiveConfig, type ProjectCurrencies } from './oracle-rules';
import type { ExpectedVendor, Oracle } from './oracle-types';
import { decideVendor } from './oracle-vendors';
import type { LoadedProcore } from './procore-seed';

export { compareWithProcore } from './compare';
export type * from './oracle-types';

/** What the oracle reads: the config, the current Workday data, and what seeding Procore created. */
export interface OracleInput {
  config: CustomerConfigInput;
  data: FirmData;
  procore: LoadedProcore;
  currencies: ProjectCurrencies;
  /** POs the scenario changed, as each earlier sync saw them, oldest first (by WID). */
  earlierVersions: ReadonlyMap<string, readonly PurchaseOrder[]>;
}

/** The Procore state a correct sync must produce from the current Workday data and the initial Procore data. */
export function buildOracle(input: OracleInput): Oracle {
  const config = effectiveConfig(input.config);
  const oracle: Oracle = {
    vendors: [],
    untouchedVendors: [],
    commitments: [],
    changeOrders: [],
    requisitions: [],
    directCosts: [],
    expectedOutcomes: new Map(),
    quarantineReasons: new Map(),
  };
  const quarantine = (key: string, reason: string) => {
    oracle.expectedOutcomes.set(key, 'quarantined');
    oracle.quarantineReasons.set(key, reason);
  };

  const vendors = new Map<string, ExpectedVendor>();
  const linkedVendorIds = new Set<number>();
  for (const { record: supplier } of input.data.suppliers.all()) {
    const key = `supplier:${supplier.wid}`;
    const decision = decideVendor(supplier, input.procore.vendors);
    if (decision.outcome === 'quarantined') {
      quarantine(key, decision.reason);
      continue;
    }
    oracle.expectedOutcomes.set(key, 'written');
    vendors.set(supplier.wid, decision.vendor);
    if (decision.vendor.procoreId !== undefined) linkedVendorIds.add(decision.vendor.procoreId);
  }
  oracle.untouchedVendors = input.procore.vendors
    .filter((v) => !linkedVendorIds.has(v.id))
    .map((v) => ({ id: v.id, originId: v.originId, name: v.name }));

  const linked = new Map(
    input.procore.commitments.map((c) => [`${poWid(input.data, c.poIndex)}:${c.procoreProjectId}`, c.id]),
  );
  const findPo = (wid: string) => {
    const index = input.data.purchaseOrders.indexOf(wid);
    return index === undefined ? undefined : input.data.purchaseOrders.at(index).record;
  };
  for (const { record: po } of input.data.purchaseOrders.all()) {
    const key = `purchaseOrder:${po.wid}`;
    const decision = decidePurchaseOrder(config, input.currencies, po, input.earlierVersions.get(po.wid), linked);
    if (decision.outcome === 'quarantined') quarantine(key, decision.reason);
    else oracle.expectedOutcomes.set(key, decision.outcome);
    if (decision.outcome !== 'written') continue;
    oracle.commitments.push(...decision.commitments);
    oracle.changeOrders.push(...decision.changeOrders);
    const vendor = vendors.get(po.supplier.wid);
    for (const c of decision.commitments)
      if (vendor && !vendor.projectIds.includes(c.procoreProjectId)) vendor.projectIds.push(c.procoreProjectId);
  }

  const payables = [
    ...[...input.data.invoices.all()].map(({ record }) => ({
      key: `invoice:${record.wid}`,
      view: invoiceView(record),
    })),
    ...[...input.data.adjustments.all()].map(({ record }) => ({
      key: `creditMemo:${record.wid}`,
      view: creditMemoView(record),
    })),
  ];
  for (const { key, view } of payables) {
    const decision = decidePayable(config, input.currencies, view, findPo);
    if (decision.outcome === 'quarantined') quarantine(key, decision.reason);
    else oracle.expectedOutcomes.set(key, decision.outcome);
    if (decision.outcome !== 'written') continue;
    oracle.requisitions.push(...decision.requisitions);
    oracle.directCosts.push(...decision.directCosts);
  }
  for (const vendor of vendors.values()) vendor.projectIds.sort((a, b) => a - b);
  oracle.vendors = [...vendors.values()];
  return oracle;
}

function poWid(data: FirmData, index: number): string {
  return data.purchaseOrders.generated(index).wid;
}
