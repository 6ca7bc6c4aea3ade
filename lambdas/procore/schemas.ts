import * as z from 'zod';
import { hashTaxId } from '../shared/hash';
import type {
  ProcoreBillingPeriod,
  ProcoreChangeOrder,
  ProcoreChangeOrderLine,
  ProcoreChangeOrderSummary,
  ProcoreCommitment,
  ProcoreCommitmentDetail,
  ProcoreCommitmentLine,
  ProcoreCompany,
  ProcoreDirectCost,
  ProcoreDirectCostLine,
  ProcoreProject,
  ProcoreRequisition,
  ProcoreRequisitionItem,
  ProcoreVendor,
} from './types';

// Lenient: `z.object` strips what the connector does not use, and only fields it depends on can fail a parse.

const id = z.number().int();
const text = z
  .string()
  .nullish()
  .catch(null)
  .transform((v) => v ?? null);
const int = z
  .number()
  .int()
  .nullish()
  .catch(null)
  .transform((v) => v ?? null);
const flag = z
  .boolean()
  .nullish()
  .catch(null)
  .transform((v) => v ?? null);
// Money and numbers Procore sends as decimal strings (a few endpoints send JSON numbers).
const decimal = z.union([z.string(), z.number()]).transform(String);
const optionalDecimal = decimal
  .nullish()
  .catch(null)
  .transform((v) => v ?? null);
const label = z
  .union([z.string(), z.number()])
  .nullish()
  .catch(null)
  .transform((v) => (v == null ? null : String(v)));
const refId = z
  .object({ id: z.number().int().nullish() })
  .nullish()
  .catch(null)
  .transform((v) => v?.id ?? null);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

/** `GET /rest/v1.0/companies` item. */
export const companySchema = z.object({ id, name: z.string() }).transform((c): ProcoreCompany => ({ ...c }));

/** `GET /rest/v1.0/projects` item. */
export const projectSchema = z
  .object({
    id,
    name: z.string(),
    project_number: text,
    active: flag,
    origin_id: text,
  })
  .transform(
    (p): ProcoreProject => ({
      id: p.id,
      name: p.name,
      project_number: p.project_number,
      active: p.active ?? true,
      origin_id: p.origin_id,
    }),
  );

const businessRegister = z
  .object({ type: text, identifier: z.union([z.string(), z.number()]).nullish() })
  .nullish()
  .catch(null);

/** A vendor in any view; the business register identifier is hashed here and dropped. */
export const vendorSchema = z
  .object({
    id,
    name: z.string(),
    is_active: flag,
    origin_id: text,
    origin_code: text,
    origin_data: text,
    abbreviated_name: text,
    trade_name: text,
    address: text,
    city: text,
    zip: text,
    state_code: text,
    country_code: text,
    business_phone: text,
    email_address: text,
    website: text,
    updated_at: text,
    business_register: businessRegister,
  })
  .transform((v): ProcoreVendor => {
    const { business_register: register, is_active, ...rest } = v;
    const identifier = register?.identifier == null ? '' : String(register.identifier);
    const vendor: ProcoreVendor = { ...rest, is_active: is_active ?? true };
    if (identifier.trim() !== '') {
      vendor.taxIdHash = hashTaxId(identifier);
      if (register?.type) vendor.taxIdType = register.type.toUpperCase();
    }
    return vendor;
  });

const commitmentFields = {
  id,
  number: label,
  title: text,
  status: text,
  executed: flag,
  origin_id: text,
  origin_code: text,
  origin_data: text,
  vendor: refId,
  grand_total: optionalDecimal,
};

function toCommitment(c: z.infer<z.ZodObject<typeof commitmentFields>>): ProcoreCommitment {
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    executed: c.executed,
    origin_id: c.origin_id,
    origin_code: c.origin_code,
    origin_data: c.origin_data,
    vendor_id: c.vendor,
    grand_total: c.grand_total,
  };
}

/** A purchase order contract as lists and sync entities show it. */
export const commitmentSchema = z.object(commitmentFields).transform(toCommitment);

/** A commitment schedule-of-values line. */
export const commitmentLineSchema = z
  .object({
    id,
    position: int,
    origin_id: text,
    origin_data: text,
    amount: decimal,
    description: text,
    wbs_code: refId,
  })
  .transform(
    (l): ProcoreCommitmentLine => ({
      id: l.id,
      position: l.position,
      origin_id: l.origin_id,
      origin_data: l.origin_data,
      amount: l.amount,
      description: l.description,
      wbs_code_id: l.wbs_code,
    }),
  );

const changeOrderSummary = z
  .object({ id, number: label, status: text })
  .transform((co): ProcoreChangeOrderSummary => ({ ...co }));

/** `GET /rest/v1.0/purchase_order_contracts/{id}`. */
export const commitmentDetailSchema = z
  .object({
    ...commitmentFields,
    line_items: list(commitmentLineSchema),
    approved_change_orders: optionalDecimal,
    pending_change_orders: optionalDecimal,
    revised_contract: optionalDecimal,
    change_order_packages: list(changeOrderSummary),
  })
  .transform(
    (c): ProcoreCommitmentDetail => ({
      ...toCommitment(c),
      line_items: c.line_items,
      approved_change_orders: c.approved_change_orders,
      pending_change_orders: c.pending_change_orders,
      revised_contract: c.revised_contract,
      change_order_packages: c.change_order_packages,
    }),
  );

// v2.0 sends ids as strings of digits.
const v2Id = z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number);
const v2RefId = v2Id
  .nullish()
  .catch(null)
  .transform((v) => v ?? null);

/** One line of a commitment change order (v2.0). */
export const changeOrderLineSchema = z
  .object({
    id: v2Id,
    commitment_line_item_id: v2RefId,
    wbs_code_id: v2RefId,
    amount: decimal,
    description: text,
  })
  .transform((l): ProcoreChangeOrderLine => ({ ...l }));

/** `POST …/commitment_change_orders/{id}/line_items` answers `{data: line}`. */
export const createdChangeOrderLineSchema = z.object({ data: changeOrderLineSchema }).transform((b) => b.data);

/** A commitment change order header (v1.0). */
export const changeOrderSchema = z
  .object({
    id,
    contract_id: int,
    number: label,
    title: text,
    status: text,
    grand_total: optionalDecimal,
  })
  .transform((co): ProcoreChangeOrder => ({ ...co }));

/** A billing period. */
export const billingPeriodSchema = z
  .object({ id, start_date: text, end_date: text, due_date: text, status: text, position: int })
  .transform((p): ProcoreBillingPeriod => ({ ...p }));

const requisitionItem = z
  .object({
    id,
    item_type: text,
    line_item_id: int,
    scheduled_value: optionalDecimal,
    work_completed_this_period: optionalDecimal,
  })
  .transform(
    (i): ProcoreRequisitionItem => ({
      ...i,
      work_completed_this_period: i.work_completed_this_period ?? '0',
    }),
  );

/** A requisition (with items in the v1.1 extended view). */
export const requisitionSchema = z
  .object({
    id,
    number: int,
    commitment_id: int,
    period_id: int,
    vendor_id: int,
    invoice_number: text,
    billing_date: text,
    requisition_start: text,
    requisition_end: text,
    status: text,
    origin_id: text,
    origin_data: text,
    total_claimed_amount: optionalDecimal,
    items: list(requisitionItem),
  })
  .transform((r): ProcoreRequisition => ({ ...r }));

/** A direct cost line (inline on v1.1, or from the project-wide line list). */
export const directCostLineSchema = z
  .object({
    id,
    position: int,
    origin_id: text,
    amount: decimal,
    description: text,
    wbs_code: refId,
    holder: z.object({ id: z.number().int().nullish(), holder_type: text }).nullish().catch(null),
  })
  .transform((l): ProcoreDirectCostLine & { direct_cost_id: number | null } => ({
    id: l.id,
    position: l.position,
    origin_id: l.origin_id,
    amount: l.amount,
    description: l.description,
    wbs_code_id: l.wbs_code,
    direct_cost_id: l.holder?.id ?? null,
  }));

/** A direct cost as the v1.1 list and the header sync show it. */
export const directCostSchema = z
  .object({
    id,
    direct_cost_type: text,
    invoice_number: text,
    status: text,
    vendor_id: int,
    vendor: refId,
    description: text,
    direct_cost_date: text,
    received_date: text,
    payment_date: text,
    origin_id: text,
    origin_data: text,
    grand_total: optionalDecimal,
  })
  .transform(
    (d): ProcoreDirectCost => ({
      id: d.id,
      direct_cost_type: d.direct_cost_type,
      invoice_number: d.invoice_number,
      status: d.status,
      vendor_id: d.vendor_id ?? d.vendor,
      description: d.description,
      direct_cost_date: d.direct_cost_date,
      received_date: d.received_date,
      payment_date: d.payment_date,
      origin_id: d.origin_id,
      origin_data: d.origin_data,
      grand_total: d.grand_total,
      // Lists and sync answers carry no lines; `DirectCosts.list` adds them from the project-wide line list.
      line_items: [],
    }),
  );

/** A WBS (budget) code with the segment items it combines. */
export const wbsCodeSchema = z.object({
  id,
  flat_code: text,
  status: text,
  segment_items: list(
    z.object({
      code: text,
      path_code: text,
      path_codes: z.array(z.string()).nullish().catch(null),
      segment: z.object({ type: text }).nullish().catch(null),
    }),
  ),
});
/** A parsed WBS code. */
export type WbsCode = z.infer<typeof wbsCodeSchema>;

/** A project cost code. */
export const costCodeSchema = z.object({ id, code: text, full_code: text, parent: refId, parent_id: int });
/** A parsed cost code. */
export type CostCode = z.infer<typeof costCodeSchema>;

/** A cost type (line item type). */
export const costTypeSchema = z.object({ id, code: text, name: text });
/** A parsed cost type. */
export type CostType = z.infer<typeof costTypeSchema>;

/** The body of every `PATCH …/sync` answer; entities and error items are read one by one. */
export const syncResponseSchema = z.object({
  entities: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
  errors: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});

// ---- currency ------------------------------------------------------------------------------------------

/** `GET /rest/v1.0/companies/{company_id}/projects/{project_id}/currency_configuration`: a null code means none. */
export const projectCurrencyConfigurationSchema = z.object({
  currency_iso_code: text,
  multicurrency_enabled: flag,
});

/** `GET /rest/v1.0/companies/{company_id}/currency_configuration`. */
export const companyCurrencyConfigurationSchema = z.object({ currency_iso_code: text });

/** The currency of a purchase order contract, from the `currency_configuration` its Show and Update answer. */
export const commitmentCurrencySchema = z
  .object({ currency_configuration: z.object({ currency_iso_code: text }).nullish().catch(null) })
  .transform((c) => c.currency_configuration?.currency_iso_code ?? null);
