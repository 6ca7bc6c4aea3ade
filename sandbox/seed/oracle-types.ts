/** What a correct sync leaves in Procore, keyed by `origin_id` as the README's "What lands in Procore" builds it. */

/** How a polled record should end. */
export type RecordOutcome = 'written' | 'skipped' | 'quarantined';

/** A company vendor for a supplier. */
export interface ExpectedVendor {
  /** The supplier WID. */
  originId: string;
  /** Supplier_ID. */
  originCode: string | undefined;
  /** The full supplier name (Procore may hold it cut at a word with `…` when longer than 255). */
  name: string;
  isActive: boolean;
  /** Set when a hand-typed vendor is to be linked: it keeps its Procore id. */
  procoreId: number | undefined;
  /** Projects whose directory must list the vendor (those it has a commitment on). */
  projectIds: number[];
}

/** A vendor that existed before the sync and must keep its `origin_id` (null or another integration's). */
export interface UntouchedVendor {
  id: number;
  originId: string | null;
  name: string;
}

/** A line on a budget code. */
export interface ExpectedLine {
  originId: string;
  costCode: string;
  costType: string;
  amount: string;
}

/** A purchase order contract. */
export interface ExpectedCommitment {
  originId: string;
  procoreProjectId: number;
  number: string;
  status: string;
  vendorOriginId: string;
  /** Set when a hand-typed commitment is to be linked. */
  procoreId: number | undefined;
  lines: ExpectedLine[];
}

/** A change order line: a difference on a PO line, on the budget code it changes. */
export interface ExpectedChangeOrderLine {
  /** The SOV line it is on (its `origin_id`): the PO line's, when the SOV has it on this budget code; else undefined. */
  sovOriginId: string | undefined;
  costCode: string;
  costType: string;
  amount: string;
}

/** An approved commitment change order. */
export interface ExpectedChangeOrder {
  /** `<poWID>:<projectId>:co:<n>`, its number (Procore gives change orders no `origin_id`). */
  number: string;
  procoreProjectId: number;
  commitmentOriginId: string;
  lines: ExpectedChangeOrderLine[];
}

/** A requisition (subcontractor invoice). */
export interface ExpectedRequisition {
  originId: string;
  procoreProjectId: number;
  commitmentOriginId: string;
  invoiceNumber: string;
  /** Work completed this period per SOV line `origin_id` (lines not listed: zero). */
  items: Map<string, string>;
}

/** A direct cost of type invoice. */
export interface ExpectedDirectCost {
  originId: string;
  procoreProjectId: number;
  invoiceNumber: string;
  date: string;
  vendorOriginId: string;
  lines: ExpectedLine[];
}

/** The Procore state a correct sync produces, and how each polled record ends. */
export interface Oracle {
  vendors: ExpectedVendor[];
  untouchedVendors: UntouchedVendor[];
  commitments: ExpectedCommitment[];
  changeOrders: ExpectedChangeOrder[];
  requisitions: ExpectedRequisition[];
  directCosts: ExpectedDirectCost[];
  /** Record key (`supplier:<WID>`, `purchaseOrder:<WID>`, `invoice:<WID>`, `creditMemo:<WID>`) → outcome. */
  expectedOutcomes: Map<string, RecordOutcome>;
  /** A short reason for every quarantined record key. */
  quarantineReasons: Map<string, string>;
}

/** One way Procore differs from the oracle. */
export interface Difference {
  kind: 'missing' | 'extra' | 'duplicate' | 'different';
  resource:
    | 'vendor'
    | 'projectVendor'
    | 'commitment'
    | 'commitmentLine'
    | 'changeOrder'
    | 'requisition'
    | 'directCost'
    | 'directCostLine';
  originId: string;
  field?: string;
  expected?: string;
  actual?: string;
}
