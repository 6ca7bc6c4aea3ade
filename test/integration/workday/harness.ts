import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { createLocalSecretStore, createLocalTokenCache } from '../../../lambdas/adapters/local/secrets';
import { openStateDb, type StateDb } from '../../../lambdas/adapters/local/state-db';
import type { CustomerConfig } from '../../../lambdas/config/schema';
import type { PageQuery, WorkdayPage } from '../../../lambdas/pipeline/poll';
import type { SecretStore, TokenCache } from '../../../lambdas/ports';
import { createDispatcher } from '../../../lambdas/shared/dispatcher';
import { createMemoryLogger } from '../../../lambdas/shared/logger';
import { createWorkdayClient, type WorkdayClient, type WorkdayClientDeps } from '../../../lambdas/workday/client';
import type { Entity } from '../../../lambdas/workday/records';
import { FaultPlan } from '../../../sandbox/faults';
import {
  buildSupplier,
  type Supplier,
  type SupplierOverrides,
  startWorkdaySimulator,
  type WorkdaySimulator,
  type WorkdaySimulatorOptions,
} from '../../../sandbox/workday';

/** A loopback Workday simulator, real local stores on an in-memory state DB, and clients wired to them. */

export const TENANT = 'acme_impl';
export const ISU = { username: 'ISU_Procore', password: 'Pw-5ecret&<"quoted">' };
export const OAUTH = {
  clientId: 'procore-connector',
  clientSecret: 'client-5ecret-9f8e7d',
  refreshToken: 'refresh-0-a1b2c3',
};
/** 2024-06-03T10:00:00-07:00. */
export const T0 = Date.parse('2024-06-03T17:00:00Z');
/** Records are entered an hour before T0, inside every window used here. */
export const ENTERED = T0 - 3_600_000;
export const AS_OF = new Date(T0).toISOString();
export const UPDATED_WINDOW = { from: new Date(T0 - 86_400_000).toISOString(), to: AS_OF };
export const INVOICE_WINDOW = { from: '2024-01-01', to: '2024-06-03' };

export interface HarnessOptions {
  auth?: 'isu' | 'oauth';
  sim?: Partial<WorkdaySimulatorOptions>;
  config?: Partial<CustomerConfig['workday']>;
  /** The most bytes a response may have (the shared dispatcher's limit); default the product's. */
  maxResponseBytes?: number;
}

export interface Harness {
  url: string;
  sim: WorkdaySimulator;
  /** Fake time shared by the simulator and the clients; the clients' `sleep` advances it. */
  clock: { now: number };
  db: StateDb;
  secrets: SecretStore;
  tokens: TokenCache;
  dispatcher: Dispatcher;
  logger: ReturnType<typeof createMemoryLogger>;
  config: CustomerConfig['workday'];
  /** A client over the harness's stores; `overrides` replace any dependency. */
  client(overrides?: Partial<WorkdayClientDeps>): WorkdayClient;
  close(): Promise<void>;
}

/** Starts a simulator (fault plan empty unless given) with the ISU or OAuth secret stored in the local store. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const auth = options.auth ?? 'isu';
  const clock = { now: T0 };
  const { url, sim, close } = await startWorkdaySimulator({
    tenant: TENANT,
    isu: ISU,
    oauth: OAUTH,
    now: () => clock.now,
    faults: new FaultPlan(),
    ...options.sim,
  });
  const db = openStateDb(':memory:');
  const key = randomBytes(32);
  const secrets = createLocalSecretStore(db, key);
  const tokens = createLocalTokenCache(db, key);
  await secrets.put(
    'workday',
    auth === 'isu' ? { username: `${ISU.username}@${TENANT}`, password: ISU.password } : { ...OAUTH },
  );
  const dispatcher = createDispatcher(
    options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes },
  );
  const logger = createMemoryLogger();
  const config: CustomerConfig['workday'] = {
    baseUrl: url,
    tenant: TENANT,
    version: 'v45.1',
    auth,
    pageSize: 999,
    invoiceLookbackDays: 120,
    ...options.config,
  };
  return {
    url,
    sim,
    clock,
    db,
    secrets,
    tokens,
    dispatcher,
    logger,
    config,
    client: (overrides = {}) =>
      createWorkdayClient({
        config,
        invoiceStatuses: ['Approved'],
        secrets,
        tokens,
        env: {},
        dispatcher,
        logger,
        now: () => clock.now,
        sleep: async (ms) => {
          clock.now += ms;
        },
        random: () => 0.5,
        timeoutMs: 2_000,
        ...overrides,
      }),
    async close() {
      await close();
      await dispatcher.close();
      db.close();
    },
  };
}

/** A page query over the default window of the entity (entry times, or invoice dates). */
export function query(entity: Entity, overrides: Partial<PageQuery> = {}): PageQuery {
  const dated = entity === 'invoices' || entity === 'creditMemos';
  return { entity, window: dated ? INVOICE_WINDOW : UPDATED_WINDOW, asOf: AS_OF, startPage: 1, ...overrides };
}

/** Every page of a query. */
export async function readAll(client: WorkdayClient, q: PageQuery): Promise<WorkdayPage[]> {
  const pages: WorkdayPage[] = [];
  for await (const page of client.pages(q)) pages.push(page);
  return pages;
}

/** The WIDs of every record on the pages, in order. */
export function widsOf(pages: readonly WorkdayPage[]): string[] {
  return pages.flatMap((page) => page.records.map((record) => record.wid));
}

/** A supplier without contact, tax or bank data: small pages for paging tests. */
export function slimSupplier(overrides: SupplierOverrides = {}): Supplier {
  return buildSupplier({
    addresses: [],
    phones: [],
    emails: [],
    websites: [],
    settlementAccounts: [],
    taxIds: [],
    paymentTypesAccepted: [],
    ...overrides,
  });
}

/** Stores `count` slim suppliers entered at ENTERED; returns them in WID order (the simulator's result order). */
export function seedSuppliers(sim: WorkdaySimulator, count: number): Supplier[] {
  const suppliers = Array.from({ length: count }, () => slimSupplier());
  for (const supplier of suppliers) sim.store.suppliers.put(supplier, ENTERED);
  return suppliers.sort((a, b) => (a.wid < b.wid ? -1 : 1));
}

/** Calls of one operation the simulator has seen (`oauth2/token` for the token endpoint). */
export function callsOf(sim: WorkdaySimulator, operation: string): number {
  return sim.calls.byOperation[operation] ?? 0;
}

/** The settled rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
