import * as z from 'zod';
import type { PoLineInfo, WriteCommand } from '../mapping/commands';
import { isDecimal } from '../shared/money';
import { SEALED_TAX_ID } from '../workday/records';

const decimal = z.string().refine(isDecimal, 'must be a decimal amount');
const budgetCode = z.strictObject({ costCode: z.string().min(1), costType: z.string().min(1) });
const chargeLeftOut = z.strictObject({
  kind: z.enum(['tax', 'freight', 'other']),
  amount: decimal,
  procoreProjectId: z.number().int(),
});
const projectId = z.number().int().positive();
const isoCurrency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
const documentCurrency = { currency: isoCurrency, configuredProjectCurrency: isoCurrency.exactOptional() };

const vendorCommand = z.strictObject({
  resource: z.literal('vendor'),
  originId: z.string().min(1),
  payload: z.strictObject({
    name: z.string().min(1),
    origin_id: z.string().min(1),
    origin_code: z.string().exactOptional(),
    origin_data: z.string(),
    is_active: z.boolean(),
    address: z.string().exactOptional(),
    city: z.string().exactOptional(),
    zip: z.string().exactOptional(),
    state_code: z.string().exactOptional(),
    country_code: z.string().exactOptional(),
    business_phone: z.string().exactOptional(),
    email_address: z.string().exactOptional(),
    website: z.string().exactOptional(),
    // Sealed: an identifier in clear is refused, so a regression fails loudly instead of queueing it.
    business_register_attributes: z
      .strictObject({
        type: z.enum(['EIN', 'ABN']),
        sealed: z.string().regex(SEALED_TAX_ID, 'must be a sealed tax ID'),
      })
      .exactOptional(),
  }),
  match: z.strictObject({ taxIdHash: z.string().exactOptional(), normalizedName: z.string() }),
});

const line = z.strictObject({
  originId: z.string().min(1),
  amount: decimal,
  description: z.string(),
  budgetCode,
  rule: z.string(),
});

const commitmentCommand = z.strictObject({
  resource: z.literal('commitment'),
  originId: z.string().min(1),
  procoreProjectId: projectId,
  vendorOriginId: z.string().min(1),
  number: z.string().min(1),
  ...documentCurrency,
  header: z.strictObject({
    title: z.string(),
    status: z.enum(['Draft', 'Processing', 'Submitted', 'Partially Received', 'Received', 'Approved', 'Closed']),
    origin_code: z.string(),
    accounting_method: z.literal('amount'),
    description: z.string().exactOptional(),
    contract_date: z.string().exactOptional(),
    delivery_date: z.string().exactOptional(),
  }),
  lines: z.array(line),
  chargesLeftOut: z.array(chargeLeftOut).exactOptional(),
});

const requisitionCommand = z.strictObject({
  resource: z.literal('requisition'),
  originId: z.string().min(1),
  procoreProjectId: projectId,
  commitmentOriginId: z.string().min(1),
  vendorOriginId: z.string().min(1),
  invoiceNumber: z.string().min(1),
  ...documentCurrency,
  billingDate: z.string(),
  periodStart: z.string().exactOptional(),
  periodEnd: z.string().exactOptional(),
  items: z.array(z.strictObject({ commitmentLineOriginId: z.string().min(1), amount: decimal })),
  chargesLeftOut: z.array(chargeLeftOut).exactOptional(),
});

const directCostCommand = z.strictObject({
  resource: z.literal('directCost'),
  originId: z.string().min(1),
  procoreProjectId: projectId,
  vendorOriginId: z.string().min(1),
  invoiceNumber: z.string().min(1),
  directCostDate: z.string(),
  receivedDate: z.string().exactOptional(),
  description: z.string().exactOptional(),
  ...documentCurrency,
  lines: z.array(line),
  chargesLeftOut: z.array(chargeLeftOut).exactOptional(),
});

const writeCommand: z.ZodType<WriteCommand> = z.discriminatedUnion('resource', [
  vendorCommand,
  commitmentCommand,
  requisitionCommand,
  directCostCommand,
]);

const poLineInfo: z.ZodType<PoLineInfo> = z.strictObject({
  purchaseOrderWid: z.string().min(1),
  lineId: z.string().min(1),
  parts: z.array(
    z.strictObject({ procoreProjectId: projectId, commitmentLineOriginId: z.string().min(1), amount: decimal }),
  ),
});

/** A mapped record on its way to the writer: the Procore commands plus what the ledger needs afterwards. */
export const writeMessageSchema = z.strictObject({
  v: z.literal(1),
  runId: z.string().min(1),
  key: z.string().min(1),
  rawHash: z.string().min(1),
  mappingVersion: z.string().min(1),
  /** When the poll read this version; absent on messages sent before versions were stamped (read as older). */
  seenAt: z.iso.datetime().exactOptional(),
  mappedHash: z.string().min(1),
  commands: z.array(writeCommand),
  /** For a PO: what its lines become in Procore, indexed once written so invoices can bill them. */
  poLines: z.array(poLineInfo).exactOptional(),
  parkedSince: z.iso.datetime().exactOptional(),
  parks: z.number().int().nonnegative().exactOptional(),
});
export type WriteMessage = z.infer<typeof writeMessageSchema>;

export function writeMessageBody(message: WriteMessage): string {
  return JSON.stringify(message);
}
