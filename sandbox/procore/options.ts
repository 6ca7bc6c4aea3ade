import type { FaultPlan } from '../faults';

/**
 * Behaviours the reference marks as inferred [I] or unknown [?]; each is a switch with the default the
 * reference recommends, so a test can flip it when a real Procore sandbox shows otherwise.
 */
export interface ProcoreSwitches {
  /** Status for a request without `Procore-Company-Id` (the text is documented, the status is not). */
  missingCompanyHeaderStatus: 400 | 403;
  /** Commitments whose `vendor_id` is not in the project directory are rejected with 422. */
  vendorMustBeInProjectDirectory: boolean;
  /** At most one requisition per commitment per billing period. */
  oneRequisitionPerCommitmentPerPeriod: boolean;
  /** Multicurrency: `true` for every project, or the ids of the projects that use it. */
  multicurrency: boolean | number[];
  /** PATCH on a direct cost or requisition carrying `origin_id` that changes amounts answers 422 (sync stays allowed). */
  originLockedPatchRejected: boolean;
  /** `per_page` when the request has none. */
  defaultPerPage: number;
  /** Largest `per_page` honoured; larger values are clamped. */
  maxPerPage: number;
  /** Largest `updates` array a sync call accepts; above it the whole call is a 422. */
  syncMaxItems: number;
  /** Largest number of inline line items on a v1.1 direct cost write. */
  directCostMaxLines: number;
  /** `GET /rest/v1.0/vendors` also lists inactive vendors (otherwise they are only in `…/vendors/inactive`). */
  vendorListIncludesInactive: boolean;
  /** A line item sent with `cost_code_id` + `line_item_type_id` whose budget code does not exist creates it (otherwise 422). */
  createBudgetCodeFromLegacyPair: boolean;
  /** WBS segment item ids equal the cost code / cost type ids (Procore does not say; by default they differ). Read at start. */
  segmentItemIdEqualsResourceId: boolean;
  /** A requisition without `period_id` goes into the open billing period (otherwise 422). */
  requisitionPeriodDefaultsToOpen: boolean;
  /** A 429 carries `Retry-After` (the reference infers it; otherwise only the rate-limit headers say when). */
  retryAfterOn429: boolean;
  /**
   * Status for a required field missing inside the body (the published schemas mark them; Procore documents
   * 400 for a missing required field and 422 for validation failures, but not which applies here).
   */
  nestedRequiredStatus: 400 | 422;
  /**
   * An approved commitment change order refuses new line items (400), as an approved contract locks its schedule
   * of values; Procore does not publish whether it does. Default true.
   */
  approvedChangeOrderLocksLines: boolean;
}

/** How the simulator is set up. */
export interface ProcoreSimulatorOptions {
  /** The company the app is installed in. */
  companyId: number;
  companyName?: string;
  clientId: string;
  clientSecret: string;
  /** Injectable clock (ms since the epoch); token expiry, rate windows and timestamps use it. */
  now?: () => number;
  /** Requests per hour and per 10-second spike window, per company. */
  rateLimit?: { hourly: number; spike: number };
  /** Fault injection; default: no faults. */
  faults?: FaultPlan;
  /** Added to every response, in milliseconds. */
  latencyMs?: number;
  /** How long a `timeout` fault holds the request before dropping it (ms). */
  timeoutHoldMs?: number;
  /**
   * Check every request against its published operation (default true): the route must be one, and a body
   * field or query parameter it does not list is refused with 400. Procore itself is believed to ignore
   * unknown fields and filters, which would hide a client bug in production, so the simulator refuses them.
   */
  strict?: boolean;
  /** Where the endpoint schema files are (default: `shared/reference/procore/endpoint-details` beside the repo). */
  schemaDir?: URL | string;
  switches?: Partial<ProcoreSwitches>;
}

/** The switch defaults the reference recommends. */
export const DEFAULT_SWITCHES: ProcoreSwitches = {
  missingCompanyHeaderStatus: 400,
  vendorMustBeInProjectDirectory: true,
  oneRequisitionPerCommitmentPerPeriod: true,
  multicurrency: false,
  originLockedPatchRejected: true,
  defaultPerPage: 100,
  maxPerPage: 10_000,
  syncMaxItems: 1000,
  directCostMaxLines: 100,
  vendorListIncludesInactive: false,
  createBudgetCodeFromLegacyPair: false,
  segmentItemIdEqualsResourceId: false,
  requisitionPeriodDefaultsToOpen: false,
  retryAfterOn429: true,
  nestedRequiredStatus: 422,
  approvedChangeOrderLocksLines: true,
};

/** Procore's historical default quota per company: 3600 an hour, 100 per 10 seconds. */
export const DEFAULT_RATE_LIMIT = { hourly: 3600, spike: 100 } as const;

/** True when the project may carry documents in a currency other than its own. */
export function usesMulticurrency(switches: ProcoreSwitches, projectId: number): boolean {
  const m = switches.multicurrency;
  return Array.isArray(m) ? m.includes(projectId) : m;
}
