import * as z from 'zod';
import { worktagTypeSchema } from './worktag-types';

const isoDate = z.iso.date({ error: 'must be a date like 2026-01-01' });

// https:// everywhere, except http:// to a loopback host (the sandbox).
const baseUrl = z
  .string()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        if (url.protocol === 'https:') return true;
        return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      } catch {
        return false;
      }
    },
    { error: 'must be an https:// URL (http:// only to localhost or 127.0.0.1)' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

const worktag = z.strictObject({
  type: worktagTypeSchema,
  id: z.string().min(1, 'must be a Workday business ID such as PRJ-1001 (not a WID)'),
});

const projectRule = z.strictObject({
  worktag,
  procoreProjectId: z.number().int().positive(),
  // Kept so existing configs stay valid; Procore's currency configuration wins whenever it has one.
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .optional()
    .describe(
      "Fallback only: the project's ISO 4217 currency, used when Procore has no currency configured for the project or the company. Otherwise the writer reads the currency from Procore, and quarantines a document in another currency unless the project has multicurrency.",
    ),
});

const costCodeValue = z.string().min(1);
const costTypeCode = z.string().min(1).max(20);

/** The customer config file (README, "Customer config"): strict (unknown keys rejected), defaults applied. */
export const customerConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  customerId: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be 2–40 lowercase letters, digits or "-"'),
  schedule: z.strictObject({ rateMinutes: z.number().int().min(5).max(1440) }),
  syncFrom: isoDate.optional(),
  workday: z.strictObject({
    baseUrl,
    tenant: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be the tenant name from the Workday URL'),
    version: z.string().regex(/^v\d+\.\d+$/, 'must look like v45.1'),
    auth: z.enum(['isu', 'oauth']),
    pageSize: z.number().int().min(1).max(999).default(999),
    invoiceLookbackDays: z.number().int().min(1).max(3650).default(120),
  }),
  procore: z.strictObject({
    authBaseUrl: baseUrl.default('https://login.procore.com'),
    apiBaseUrl: baseUrl.default('https://api.procore.com'),
    companyId: z.number().int().positive(),
  }),
  mapping: z.strictObject({
    projects: z.array(projectRule).min(1, 'needs at least one project rule'),
    costCodes: z.strictObject({
      worktagType: worktagTypeSchema,
      map: z.record(z.string(), costCodeValue).default({}),
      default: costCodeValue.nullable().default(null),
    }),
    costTypes: z.strictObject({
      bySpendCategory: z.record(z.string(), costTypeCode).default({}),
      default: costTypeCode,
    }),
    charges: z
      .strictObject({
        costCode: costCodeValue.nullable(),
        costType: costTypeCode,
      })
      .default({ costCode: null, costType: 'O' }),
  }),
  purchaseOrders: z
    .strictObject({
      statusMap: z.record(
        z.string(),
        z.enum(['Draft', 'Processing', 'Submitted', 'Partially Received', 'Received', 'Approved', 'Closed']),
      ),
    })
    .default({ statusMap: { Approved: 'Approved', Issued: 'Approved', Closed: 'Closed', Canceled: 'Closed' } }),
  invoices: z
    .strictObject({
      poBacked: z.enum(['requisition', 'directCost']).default('requisition'),
      // Workday invoice (and adjustment) statuses in scope; drafts and cancelled documents stay out of Procore.
      statuses: z.array(z.string().min(1)).min(1).default(['Approved']),
    })
    .default({ poBacked: 'requisition', statuses: ['Approved'] }),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(100).default(5),
      baseDelaySeconds: z.number().int().min(1).max(3600).default(30),
    })
    .default({ maxAttempts: 5, baseDelaySeconds: 30 }),
  alarmEmail: z.email().optional(),
});

/** A validated customer config, defaults applied. */
export type CustomerConfig = z.output<typeof customerConfigSchema>;
/** What a person writes in the file. */
export type CustomerConfigInput = z.input<typeof customerConfigSchema>;
