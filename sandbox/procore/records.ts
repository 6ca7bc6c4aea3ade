/** The records of the simulated Procore company and the enums Procore validates them against. */

/** Observed production ids sit near 2^49; starting here catches int32 truncation in clients. */
export const FIRST_ID = 562_949_953_421_312;

/** Purchase order contract statuses (title case, case-sensitive). */
export type PurchaseOrderStatus =
  | 'Draft'
  | 'Processing'
  | 'Submitted'
  | 'Partially Received'
  | 'Received'
  | 'Approved'
  | 'Closed';
/** Every purchase order contract status Procore accepts. */
export const PURCHASE_ORDER_STATUSES: readonly PurchaseOrderStatus[] = [
  'Draft',
  'Processing',
  'Submitted',
  'Partially Received',
  'Received',
  'Approved',
  'Closed',
];
/** Statuses that lock the vendor and schedule of values (Approved for POs, Complete for WOs). */
export const LOCKED_COMMITMENT_STATUSES: readonly string[] = ['Approved', 'Complete'];

/** Requisition (subcontractor invoice) statuses. */
export const REQUISITION_STATUSES = [
  'draft',
  'under_review',
  'revise_and_resubmit',
  'approved',
  'approved_as_noted',
  'pending_owner_approval',
] as const;
/** One requisition status. */
export type RequisitionStatus = (typeof REQUISITION_STATUSES)[number];

/** Direct cost types (`subcontractor_invoice` needs Procore support to enable it, so it is left out). */
export const DIRECT_COST_TYPES = ['invoice', 'expense', 'payroll'] as const;
/** One direct cost type. */
export type DirectCostType = (typeof DIRECT_COST_TYPES)[number];
/** Direct cost statuses. */
export const DIRECT_COST_STATUSES = ['draft', 'pending', 'revise_and_resubmit', 'approved'] as const;

/** Commitment change order statuses (the values the list filter takes). */
export const CHANGE_ORDER_STATUSES = [
  'draft',
  'not_pricing',
  'pricing',
  'pending',
  'revised',
  'proceeding',
  'not_proceeding',
  'no_charge',
  'pending_billable',
  'approved',
  'rejected',
  'void',
] as const;

/** The company the app is installed in. */
export interface Company {
  id: number;
  name: string;
  is_active: boolean;
  currency_iso_code: string;
}

/** A project of the company. */
export interface Project {
  id: number;
  company_id: number;
  name: string;
  display_name: string;
  project_number: string | null;
  active: boolean;
  /** The currency its documents are in: its own configuration's, else the company's. */
  currency_iso_code: string;
  /** Whether the project has a currency configuration of its own (otherwise Procore answers a null code). */
  currency_configured: boolean;
  /** Whether the company admin put this project on the app's permitted list. */
  permitted: boolean;
  address: string | null;
  city: string | null;
  state_code: string | null;
  country_code: string | null;
  zip: string | null;
  time_zone: string;
  stage: string | null;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  created_at: string;
  updated_at: string;
}

/** A vendor tax register entry (ABN, EIN). */
export interface BusinessRegister {
  id: number;
  type: string;
  identifier: string;
  verified_at: string | null;
  verification_status: string;
}

/** A company vendor (company directory entry). */
export interface Vendor {
  id: number;
  company_id: number;
  name: string;
  abbreviated_name: string | null;
  trade_name: string | null;
  address: string | null;
  city: string | null;
  zip: string | null;
  state_code: string | null;
  country_code: string | null;
  business_phone: string | null;
  mobile_phone: string | null;
  fax_number: string | null;
  email_address: string | null;
  website: string | null;
  is_active: boolean;
  authorized_bidder: boolean;
  prequalified: boolean;
  labor_union: string | null;
  license_number: string | null;
  union_member: boolean;
  non_union_prevailing_wage: boolean;
  notes: string | null;
  vendor_group_id: number | null;
  parent_id: number | null;
  primary_contact_id: number | null;
  trade_ids: number[];
  bidding_distribution_ids: number[];
  standard_cost_code_ids: number[];
  bidding: Record<string, boolean>;
  business_register: BusinessRegister | null;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  origin_custom_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** A company vendor listed in a project directory. */
export interface ProjectVendor {
  project_id: number;
  vendor_id: number;
  created_at: string;
}

/** A project cost code (tiered: `full_code` joins the parent codes). */
export interface CostCode {
  id: number;
  project_id: number;
  code: string;
  full_code: string;
  name: string;
  parent_id: number | null;
  position: number | null;
  standard_cost_code_id: number | null;
  origin_id: string | null;
  origin_data: string | null;
  /** The id of this cost code's item in the WBS cost-code segment. */
  segment_item_id: number;
  created_at: string;
  updated_at: string;
}

/** A company cost type, which the API calls a line item type. */
export interface CostType {
  id: number;
  company_id: number;
  name: string;
  code: string;
  base_type: string;
  origin_id: string | null;
  origin_data: string | null;
  /** The id of this cost type's item in the WBS line-item-type segment. */
  segment_item_id: number;
  created_at: string;
  updated_at: string;
}

/** A segment of the company WBS pattern. */
export interface WbsSegment {
  id: number;
  type: 'cost_code' | 'line_item_type';
  name: string;
  position: number;
  delimiter: string;
  structure: 'tiered' | 'flat';
  required: boolean;
}

/** A budget code ("WBS code" in the API): one cost code × cost type combination in a project. */
export interface BudgetCode {
  id: number;
  project_id: number;
  cost_code_id: number;
  line_item_type_id: number;
  flat_code: string;
  flat_name: string;
  description: string;
  status: 'active' | 'inactive';
  created_at: string;
  updated_at: string;
}

/** A unit of measure on the company list. */
export interface Uom {
  id: number;
  name: string;
  description: string;
}

/** A purchase order contract. */
export interface Commitment {
  id: number;
  project_id: number;
  type: 'PurchaseOrderContract';
  number: string;
  title: string | null;
  description: string | null;
  status: string;
  executed: boolean;
  vendor_id: number | null;
  accounting_method: 'amount' | 'unit';
  retainage_percent: string | null;
  private: boolean;
  contract_date: string | null;
  delivery_date: string | null;
  execution_date: string | null;
  issued_on_date: string | null;
  letter_of_intent_date: string | null;
  approval_letter_date: string | null;
  returned_date: string | null;
  signed_contract_received_date: string | null;
  assignee_id: number | null;
  bill_to_address: string | null;
  ship_to_address: string | null;
  ship_via: string | null;
  payment_terms: string | null;
  origin_id: string | null;
  origin_data: string | null;
  origin_code: string | null;
  currency_iso_code: string | null;
  currency_exchange_rate: string | null;
  requisitions_are_enabled: boolean;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A schedule-of-values line of a commitment. */
export interface CommitmentLineItem {
  id: number;
  commitment_id: number;
  project_id: number;
  position: number;
  amount: string;
  quantity: string | null;
  unit_cost: string | null;
  uom: string | null;
  extended_type: 'manual' | 'calculated';
  description: string | null;
  wbs_code_id: number;
  tax_code_id: number | null;
  origin_id: string | null;
  origin_data: string | null;
  created_at: string;
  updated_at: string;
}

/** A commitment change order (Procore gives it no `origin_id`: integrations know theirs by `number`). */
export interface ChangeOrder {
  id: number;
  project_id: number;
  contract_id: number;
  number: string;
  title: string | null;
  description: string | null;
  status: string;
  created_at: string;
  updated_at: string;
}

/** A line of a commitment change order, written one at a time through the v2.0 line item endpoint. */
export interface ChangeOrderLineItem {
  id: number;
  change_order_id: number;
  commitment_line_item_id: number | null;
  wbs_code_id: number;
  amount: string;
  quantity: string | null;
  unit_cost: string | null;
  extended_type: 'manual' | 'calculated';
  description: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

/** A project billing period. */
export interface BillingPeriod {
  id: number;
  project_id: number;
  start_date: string;
  end_date: string;
  due_date: string;
  status: 'open' | 'closed';
  position: number;
  created_at: string;
  updated_at: string;
}

/** A requisition (the UI calls it a subcontractor invoice). */
export interface Requisition {
  id: number;
  project_id: number;
  commitment_id: number;
  number: number;
  period_id: number;
  invoice_number: string | null;
  billing_date: string | null;
  requisition_start: string | null;
  requisition_end: string | null;
  status: RequisitionStatus;
  final: boolean;
  payment_date: string | null;
  submitted_at: string | null;
  comment: string | null;
  origin_id: string | null;
  origin_data: string | null;
  created_at: string;
  updated_at: string;
}

/** A contract item of a requisition, one per commitment line. */
export interface RequisitionItem {
  id: number;
  requisition_id: number;
  item_type: 'contract_item';
  line_item_id: number;
  position: number;
  scheduled_value: string;
  work_completed_this_period: string;
  work_completed_this_period_quantity: string | null;
  materials_presently_stored: string;
  work_completed_retainage_retained_this_period: string;
  materials_stored_retainage_currently_retained: string;
  work_completed_retainage_released_this_period: string;
  subcontractor_claimed_amount: string | null;
  status: string;
  comment: string | null;
}

/** A direct cost (invoice, expense or payroll). */
export interface DirectCost {
  id: number;
  project_id: number;
  direct_cost_type: DirectCostType;
  vendor_id: number | null;
  employee_id: number | null;
  invoice_number: string | null;
  description: string | null;
  direct_cost_date: string | null;
  received_date: string | null;
  payment_date: string | null;
  status: string;
  terms: string | null;
  origin_id: string | null;
  origin_data: string | null;
  currency_iso_code: string | null;
  currency_exchange_rate: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** A line of a direct cost. */
export interface DirectCostLineItem {
  id: number;
  direct_cost_id: number;
  project_id: number;
  position: number;
  amount: string;
  quantity: string | null;
  unit_cost: string | null;
  uom: string | null;
  extended_type: 'manual' | 'calculated';
  description: string | null;
  wbs_code_id: number;
  tax_code_id: number | null;
  ref: string | null;
  origin_id: string | null;
  origin_data: string | null;
  created_at: string;
  updated_at: string;
}

/** An issued access token. */
export interface Token {
  access_token: string;
  /** Unix seconds, as the token endpoint reports it. */
  created_at: number;
  /** Epoch milliseconds on the simulator clock. */
  expires_at: number;
  revoked: boolean;
}

/** Every table of the simulated Procore company, as plain maps of plain objects keyed by id. */
export interface ProcoreTables {
  projects: Map<number, Project>;
  vendors: Map<number, Vendor>;
  /** Key `${projectId}:${vendorId}`. */
  projectVendors: Map<string, ProjectVendor>;
  costCodes: Map<number, CostCode>;
  costTypes: Map<number, CostType>;
  segments: Map<number, WbsSegment>;
  budgetCodes: Map<number, BudgetCode>;
  uoms: Map<number, Uom>;
  commitments: Map<number, Commitment>;
  commitmentLineItems: Map<number, CommitmentLineItem>;
  changeOrders: Map<number, ChangeOrder>;
  changeOrderLineItems: Map<number, ChangeOrderLineItem>;
  billingPeriods: Map<number, BillingPeriod>;
  requisitions: Map<number, Requisition>;
  requisitionItems: Map<number, RequisitionItem>;
  directCosts: Map<number, DirectCost>;
  directCostLineItems: Map<number, DirectCostLineItem>;
  /** Key: the access token. */
  tokens: Map<string, Token>;
}
