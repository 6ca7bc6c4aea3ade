import { randomBytes } from 'node:crypto';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { createLocalSecretStore, createLocalTokenCache } from '../../../lambdas/adapters/local/secrets';
import { openStateDb, type StateDb } from '../../../lambdas/adapters/local/state-db';
import type { SecretStore, TokenCache } from '../../../lambdas/ports';
import { createProcoreClient, type ProcoreClient, type ProcoreClientDeps } from '../../../lambdas/procore';
import { createDispatcher } from '../../../lambdas/shared/dispatcher';
import { createMemoryLogger, type LogFields, type Logger } from '../../../lambdas/shared/logger';
import {
  type BillingPeriod,
  type BudgetCode,
  type Commitment,
  type CommitmentLineItem,
  createProcoreSimulator,
  type ProcoreSimulator,
  type ProcoreSimulatorOptions,
  type Project,
  startProcoreSimulator,
  type Vendor,
} from '../../../sandbox/procore';

export const COMPANY_ID = 562_949_953_000_001;
export const CLIENT_ID = 'ml-connector-test-client';
export const CLIENT_SECRET = 'S3cr3t-0f-the-test-client-do-not-log-me';
/** A whole second plus 300 ms, so a reset rounded up to the next second differs from a 1 s Retry-After. */
export const START = Date.parse('2026-06-01T12:00:00Z') + 300;

/** A fake clock shared by the simulator and the client; sleeping moves it instead of waiting. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
  sleep(ms: number): Promise<void>;
  /** Every wait the client asked for, in order. */
  readonly sleeps: number[];
}

export function createClock(start = START): TestClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    sleeps,
  };
}

export interface HarnessOptions {
  sim?: Partial<ProcoreSimulatorOptions>;
  client?: Partial<ProcoreClientDeps>;
  /** Serve the simulator through a server that removes `Retry-After` (Procore does not promise it on 429). */
  stripRetryAfter?: boolean;
  dispatcher?: Dispatcher;
}

/** A strict simulator on loopback, the real local token cache and secret store, and a client wired to them. */
export interface Harness {
  url: string;
  sim: ProcoreSimulator;
  clock: TestClock;
  logger: Logger & { entries: LogFields[] };
  db: StateDb;
  secrets: SecretStore;
  tokens: TokenCache;
  dispatcher: Dispatcher;
  client: ProcoreClient;
  /** Another client over the same simulator, cache and store. */
  makeClient(overrides?: Partial<ProcoreClientDeps>): ProcoreClient;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = createClock();
  const simOptions: ProcoreSimulatorOptions = {
    companyId: COMPANY_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    now: clock.now,
    ...options.sim,
    strict: true,
  };
  const running = options.stripRetryAfter ? await startStripped(simOptions) : await startProcoreSimulator(simOptions);
  const db = openStateDb(':memory:');
  const key = randomBytes(32);
  const secrets = createLocalSecretStore(db, key);
  await secrets.put('procore', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const tokens = createLocalTokenCache(db, key);
  const dispatcher = options.dispatcher ?? createDispatcher();
  const logger = createMemoryLogger();
  const makeClient = (overrides: Partial<ProcoreClientDeps> = {}) =>
    createProcoreClient({
      config: { authBaseUrl: running.url, apiBaseUrl: running.url, companyId: COMPANY_ID },
      secrets,
      tokens,
      env: {},
      dispatcher,
      logger,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      ...options.client,
      ...overrides,
    });
  return {
    url: running.url,
    sim: running.sim,
    clock,
    logger,
    db,
    secrets,
    tokens,
    dispatcher,
    client: makeClient(),
    makeClient,
    close: async () => {
      await running.close();
      await dispatcher.close();
      db.close();
    },
  };
}

/** The simulator behind a server that drops `Retry-After` from every answer. */
async function startStripped(
  options: ProcoreSimulatorOptions,
): Promise<{ url: string; sim: ProcoreSimulator; close(): Promise<void> }> {
  const sim = createProcoreSimulator(options);
  const server = createServer((req, res) => {
    const writeHead = res.writeHead.bind(res);
    const stripped = (status: number, headers?: OutgoingHttpHeaders) => {
      const kept = Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => k.toLowerCase() !== 'retry-after'));
      return writeHead(status, kept);
    };
    res.writeHead = stripped as typeof res.writeHead;
    sim.handle(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sim,
    close: async () => {
      sim.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A small company: a project with tiered cost codes, two cost types, budget codes, a vendor in its directory. */
export interface Seed {
  project: Project;
  vendor: Vendor;
  concrete: BudgetCode;
  labor: BudgetCode;
}

export function seedCompany(sim: ProcoreSimulator): Seed {
  const { state } = sim;
  const project = state.addProject({ name: 'Harbor Tower', project_number: 'P-100' });
  const division = state.addCostCode(project.id, { code: '03', name: 'Concrete' });
  const castInPlace = state.addCostCode(project.id, { code: '300', name: 'Cast-in-Place', parent_id: division.id });
  const formwork = state.addCostCode(project.id, { code: '310', name: 'Formwork', parent_id: division.id });
  const materials = state.addCostType({ name: 'Materials', code: 'M', base_type: 'materials' });
  const labor = state.addCostType({ name: 'Labor', code: 'L', base_type: 'other' });
  const concrete = state.addBudgetCode(project.id, castInPlace.id, materials.id);
  const formworkLabor = state.addBudgetCode(project.id, formwork.id, labor.id);
  const vendor = state.addVendor({ name: 'Acme Concrete', origin_id: 'WD-SUP-1', origin_code: 'S-0001' });
  state.addVendorToProject(project.id, vendor.id);
  return { project, vendor, concrete, labor: formworkLabor };
}

/** A purchase order contract with two SOV lines and an open billing period, ready for invoices. */
export function seedCommitment(
  sim: ProcoreSimulator,
  seed: Seed,
): { commitment: Commitment; lines: CommitmentLineItem[]; period: BillingPeriod } {
  const commitment = sim.state.addCommitment(seed.project.id, {
    vendor_id: seed.vendor.id,
    title: 'Concrete supply',
    origin_id: 'WD-PO-1',
    status: 'Approved',
    executed: true,
    lines: [
      { wbs_code_id: seed.concrete.id, amount: '1000.00', description: 'Pour', origin_id: 'WD-POL-1' },
      { wbs_code_id: seed.labor.id, amount: '500.50', description: 'Forms', origin_id: 'WD-POL-2' },
    ],
  });
  const period = sim.state.addBillingPeriod(seed.project.id, {
    start_date: '2026-05-01',
    end_date: '2026-05-31',
    due_date: '2026-06-10',
  });
  return { commitment, lines: sim.state.commitmentLineItems(commitment.id), period };
}
