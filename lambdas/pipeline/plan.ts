import type { CustomerConfig } from '../config/schema';
import { mapRecord, matchCommitment, matchVendor, type ProcoreVendorSummary, poLineIndexEntries } from '../mapping';
import type {
  CommitmentCommand,
  DirectCostCommand,
  MappingContext,
  PoLineInfo,
  ProcoreResource,
  RequisitionCommand,
  VendorCommand,
  WriteCommand,
} from '../mapping/commands';
import type { Outcome, SyncLedger } from '../ports';
import type { BudgetCodeIndex, ProcoreClient } from '../procore/types';
import { ConnectorError, describeError } from '../shared/errors';
import { sum, toAmount } from '../shared/money';
import { poLineReferenceKeys, type RecordKind } from '../workday/records';
import type { RecordMessage } from './messages';
import type { RunSummary } from './summary';
import { LOCKED, nextChangeOrder } from './write-commitment';
import { commandHash, progressOf, Refused, WaitingFor, type WriteProgress } from './write-context';
import { checkDocumentCurrency, checkRequisitionCurrency, commitmentCurrencyToSet } from './write-currency';

/** One thing the writer would do (README, "Commands": `planned`). */
export interface PlannedAction {
  key: string;
  action: 'create' | 'update' | 'link' | 'skip' | 'quarantine';
  resource: ProcoreResource;
  originId: string;
  reason: string;
}

/** The Procore reads planning makes; no write method is reachable from here. */
export type PlannerProcore = Pick<
  ProcoreClient,
  | 'vendors'
  | 'commitments'
  | 'commitment'
  | 'budgetCodes'
  | 'openBillingPeriod'
  | 'changeOrders'
  | 'changeOrderLines'
  | 'projectCurrency'
  | 'commitmentCurrency'
>;

/** What planning reads: the config, the ledger, and Procore (reads only). */
export interface PlanDeps {
  config: CustomerConfig;
  ledger: SyncLedger;
  procore: PlannerProcore;
}

/** The plan of a dry run: actions in record order, and the outcome each record would reach. */
export interface Plan {
  planned: PlannedAction[];
  outcomes: Map<string, { outcome: Outcome; reason?: string }>;
}

const RESOURCE_OF: Record<RecordKind, ProcoreResource> = {
  supplier: 'vendor',
  purchaseOrder: 'commitment',
  invoice: 'directCost',
  creditMemo: 'directCost',
};

/**
 * Maps every polled record and says what the writer would do with each command, resolving budget codes
 * and matches against Procore by reads only: create, update, link, skip or quarantine, with the reason.
 */
export async function planRecords(deps: PlanDeps, messages: readonly RecordMessage[]): Promise<Plan> {
  const planner = new Planner(deps, messages);
  for (const message of messages) await planner.record(message);
  return { planned: planner.planned, outcomes: planner.outcomes };
}

class Planner {
  readonly planned: PlannedAction[] = [];
  readonly outcomes = new Map<string, { outcome: Outcome; reason?: string }>();
  private readonly context: MappingContext;
  private readonly runPoLines = new Map<string, PoLineInfo>();
  private readonly vendorPlan = new Map<string, 'ok' | 'quarantine'>();
  private readonly commitmentPlan = new Set<string>();
  private candidates: Promise<ProcoreVendorSummary[]> | undefined;

  constructor(
    private readonly deps: PlanDeps,
    messages: readonly RecordMessage[],
  ) {
    // Invoices are planned against the POs of this same run, as the cycle writes those first.
    for (const { record } of messages) {
      if (record.kind !== 'purchaseOrder') continue;
      for (const info of poLineIndexEntries(record, deps.config)) this.runPoLines.set(info.lineId, info);
    }
    this.context = {
      poLines: (ref) =>
        poLineReferenceKeys(ref)
          .map((key) => this.runPoLines.get(key))
          .find((info) => info !== undefined),
    };
  }

  async record(message: RecordMessage): Promise<void> {
    const { key, record } = message;
    // The ledger's PO lines stand in for POs written by earlier cycles.
    for (const line of record.kind === 'invoice' || record.kind === 'creditMemo' ? record.lines : []) {
      for (const key of line.purchaseOrderLine === undefined ? [] : poLineReferenceKeys(line.purchaseOrderLine)) {
        if (this.runPoLines.has(key)) break;
        const known = await this.deps.ledger.poLine(key);
        if (known === undefined) continue;
        this.runPoLines.set(key, known);
        break;
      }
    }
    const result = mapRecord(record, this.deps.config, this.context);
    const whole = (action: PlannedAction['action'], reason: string, outcome: Outcome) => {
      this.planned.push({ key, action, resource: RESOURCE_OF[record.kind], originId: record.wid, reason });
      this.outcomes.set(key, outcome === 'written' || outcome === 'unchanged' ? { outcome } : { outcome, reason });
    };
    if (result.outcome === 'skipped') return whole('skip', result.reason, 'skipped');
    if (result.outcome === 'quarantined') return whole('quarantine', result.reason, 'quarantined');
    if (result.outcome === 'waiting') return whole('skip', `would wait: ${result.reason}`, 'pending');
    const entry = await this.deps.ledger.get(key);
    if (entry?.mappedHash === result.mappedHash)
      return whole('skip', 'unchanged since it was last written', 'unchanged');
    const progress = progressOf(entry);
    const before = this.planned.length;
    let worst: { outcome: Outcome; reason?: string } = { outcome: 'unchanged' };
    for (const command of result.commands) {
      const verdict = await this.command(key, command, progress);
      if (verdict !== undefined && rank(verdict.outcome) > rank(worst.outcome)) worst = verdict;
    }
    if (this.planned.slice(before).some((a) => a.action !== 'skip') && worst.outcome === 'unchanged') {
      worst = { outcome: 'written' };
    }
    this.outcomes.set(key, worst);
  }

  /** Plans one command; returns the outcome it forces on its record (quarantined or pending), if any. */
  private async command(
    key: string,
    command: WriteCommand,
    progress: WriteProgress,
  ): Promise<{ outcome: Outcome; reason: string } | undefined> {
    const push = (action: PlannedAction['action'], resource: ProcoreResource, originId: string, reason: string) =>
      this.planned.push({ key, action, resource, originId, reason });
    if (progress.written[command.originId] === commandHash(command)) {
      push('skip', command.resource, command.originId, 'already in Procore as mapped');
      if (command.resource === 'vendor') this.vendorPlan.set(command.originId, 'ok');
      if (command.resource === 'commitment') this.commitmentPlan.add(command.originId);
      return undefined;
    }
    try {
      if (command.resource === 'vendor') await this.vendor(command, push);
      else if (command.resource === 'commitment') await this.commitment(command, progress, push);
      else if (command.resource === 'requisition') await this.requisition(command, progress, push);
      else await this.directCost(command, push);
      return undefined;
    } catch (error) {
      // The writer's own classes: a refusal quarantines the record, a wait leaves it pending.
      const waits = error instanceof WaitingFor;
      if (!waits && !(error instanceof ConnectorError && !error.retryable)) throw error;
      const reason = describeError(error);
      push(waits ? 'skip' : 'quarantine', command.resource, command.originId, reason);
      if (command.resource === 'vendor') this.vendorPlan.set(command.originId, 'quarantine');
      return { outcome: waits ? 'pending' : 'quarantined', reason };
    }
  }

  private async vendor(command: VendorCommand, push: Push): Promise<void> {
    const name = command.payload.name;
    const known = await this.deps.ledger.procoreId(command.originId);
    if (known !== undefined) {
      push('update', 'vendor', command.originId, `vendor ${known} "${name}" updated from the changed supplier`);
    } else {
      const match = matchVendor(command, await this.matchableVendors());
      if (match.kind === 'conflict') throw new Refused(match.reason);
      if (match.kind === 'create') push('create', 'vendor', command.originId, `new company vendor "${name}"`);
      else if (match.kind === 'owned')
        push('update', 'vendor', command.originId, `vendor ${match.vendorId} already carries this origin_id`);
      else
        push(
          'link',
          'vendor',
          command.originId,
          `links vendor ${match.vendorId} (matched by ${match.by === 'taxId' ? 'tax ID' : 'name'}) to "${name}"`,
        );
    }
    this.vendorPlan.set(command.originId, 'ok');
  }

  private async commitment(command: CommitmentCommand, progress: WriteProgress, push: Push): Promise<void> {
    const projectId = command.procoreProjectId;
    const projectCurrency = await checkDocumentCurrency(
      this.deps.procore,
      command,
      `PO ${command.number} in Procore project ${projectId}`,
    );
    await this.requireVendor(command.vendorOriginId);
    const codes = await this.deps.procore.budgetCodes(projectId);
    const lines = command.lines.map((line) => ({ line, wbs: wbsOf(codes, projectId, line.budgetCode, line.originId) }));
    const total = toAmount(sum(command.lines.map((l) => l.amount)));
    const what = `PO ${command.number} in project ${projectId}, ${command.header.status}, ${plural(command.lines.length, 'line')}, ${total} ${command.currency}`;
    let existing = await this.deps.ledger.procoreId(command.originId);
    let action: PlannedAction['action'] = existing === undefined ? 'create' : 'update';
    if (existing === undefined) {
      const match = matchCommitment(command, await this.deps.procore.commitments(projectId));
      if (match.kind === 'conflict') throw new Refused(match.reason);
      if (match.kind !== 'create') {
        existing = match.commitmentId;
        action = match.kind === 'link' ? 'link' : 'update';
      }
    }
    this.commitmentPlan.add(command.originId);
    const detail = existing === undefined ? undefined : await this.deps.procore.commitment(projectId, existing);
    if (detail?.status != null && LOCKED.has(detail.status)) {
      // The writer's own decision, from what Procore holds: a change order a crash left half written included.
      const { changeOrder } = await nextChangeOrder(
        this.deps.procore,
        command,
        detail,
        progress,
        lines.map((l) => l.wbs),
      );
      if (changeOrder === undefined)
        push(
          'skip',
          'commitment',
          command.originId,
          `${what}: contract ${detail.id} is ${detail.status}; lines unchanged`,
        );
      else {
        const diff = changeOrder.lines.map(
          (l) => `${l.lineOriginId} ${l.amount} on ${l.budgetCode.costCode} × ${l.budgetCode.costType}`,
        );
        push(
          'create',
          'changeOrder',
          changeOrder.number,
          `contract ${detail.id} is ${detail.status} (lines locked): ${diff.join('; ')}`,
        );
      }
      return;
    }
    const currency = commitmentCurrencyToSet(projectCurrency, command, existing !== undefined);
    const currencyNote = currency === undefined ? '' : `; contract currency set to ${currency} (multicurrency project)`;
    push(
      action,
      'commitment',
      command.originId,
      `${what}${existing === undefined ? '' : ` (contract ${existing})`}${currencyNote}`,
    );
    for (const { line, wbs } of lines) {
      const known = await this.deps.ledger.procoreId(line.originId);
      push(
        known === undefined ? 'create' : 'update',
        'commitmentLine',
        line.originId,
        `${line.amount} on budget code ${line.budgetCode.costCode} × ${line.budgetCode.costType} (wbs ${wbs}) by ${line.rule}`,
      );
    }
  }

  private async requisition(command: RequisitionCommand, progress: WriteProgress, push: Push): Promise<void> {
    const projectId = command.procoreProjectId;
    const what = `Invoice ${command.invoiceNumber} on commitment ${command.commitmentOriginId}`;
    const projectCurrency = await checkDocumentCurrency(this.deps.procore, command, what);
    const existing = await this.deps.ledger.procoreId(command.originId);
    if (existing !== undefined) {
      if (progress.written[command.originId] === undefined) {
        push('skip', 'requisition', command.originId, `subcontractor invoice ${existing} already written`);
        return;
      }
      throw new Refused(
        `Invoice ${command.invoiceNumber} changed after its subcontractor invoice ${existing} was written, and Procore locks synced invoices: edit it in Procore.`,
      );
    }
    const commitmentId = await this.deps.ledger.procoreId(command.commitmentOriginId);
    const commitmentKnown = this.commitmentPlan.has(command.commitmentOriginId) || commitmentId !== undefined;
    if (!commitmentKnown)
      throw new WaitingFor(`waits for its purchase order (commitment ${command.commitmentOriginId})`);
    // A contract this run would write first is in its PO's currency; one already in Procore is read.
    if (commitmentId !== undefined) {
      await checkRequisitionCurrency(this.deps.procore, projectCurrency, command, commitmentId, what);
    }
    const period = await this.deps.procore.openBillingPeriod(projectId);
    if (period === undefined) {
      throw new Refused(
        `Invoice ${command.invoiceNumber}: Procore project ${projectId} has no open billing period: open one in Procore (Invoicing › Billing Periods), or set invoices.poBacked to "directCost".`,
      );
    }
    const total = toAmount(sum(command.items.map((i) => i.amount)));
    push(
      'create',
      'requisition',
      command.originId,
      `subcontractor invoice ${command.invoiceNumber} on ${command.commitmentOriginId}, ${plural(command.items.length, 'item')}, ${total}, billing period ${period.start_date ?? '?'}–${period.end_date ?? '?'}`,
    );
  }

  private async directCost(command: DirectCostCommand, push: Push): Promise<void> {
    const projectId = command.procoreProjectId;
    const projectCurrency = await checkDocumentCurrency(
      this.deps.procore,
      command,
      `Invoice ${command.invoiceNumber} in Procore project ${projectId}`,
    );
    await this.requireVendor(command.vendorOriginId);
    const codes = await this.deps.procore.budgetCodes(projectId);
    const lines = command.lines.map((line) => {
      const wbs = wbsOf(codes, projectId, line.budgetCode, line.originId);
      return `${line.amount} on ${line.budgetCode.costCode} × ${line.budgetCode.costType} (wbs ${wbs}) by ${line.rule}`;
    });
    const known = await this.deps.ledger.procoreId(command.originId);
    push(
      known === undefined ? 'create' : 'update',
      'directCost',
      command.originId,
      `invoice ${command.invoiceNumber} in project ${projectId}${projectCurrency.multicurrency ? ` in ${command.currency}` : ''}: ${lines.join('; ')}`,
    );
  }

  /** The writer refuses a document whose supplier is quarantined and waits for one not synced yet. */
  private async requireVendor(supplierWid: string): Promise<void> {
    const planned = this.vendorPlan.get(supplierWid);
    if (planned === 'ok' || (await this.deps.ledger.procoreId(supplierWid)) !== undefined) return;
    const supplier = await this.deps.ledger.get(`supplier:${supplierWid}`);
    if (planned === 'quarantine' || supplier?.status === 'quarantined') {
      throw new Refused(`its supplier (WID ${supplierWid}) is quarantined: fix the supplier first`);
    }
    if ((await this.deps.procore.vendors()).some((v) => v.origin_id === supplierWid)) return;
    throw new WaitingFor(`waits for supplier ${supplierWid} to be synced to a Procore vendor`);
  }

  /** Procore vendors a supplier may match: not carrying the WID of another of our suppliers (as the writer sees them). */
  private matchableVendors() {
    this.candidates ??= (async () => {
      const all = await this.deps.procore.vendors();
      const free: ProcoreVendorSummary[] = [];
      for (const v of all) {
        if (v.origin_id !== null && (await this.deps.ledger.procoreId(v.origin_id)) === v.id) continue;
        free.push({
          id: v.id,
          name: v.name,
          origin_id: v.origin_id,
          is_active: v.is_active,
          ...(v.taxIdHash === undefined ? {} : { taxIdHash: v.taxIdHash }),
        });
      }
      return free;
    })();
    return this.candidates;
  }
}

type Push = (action: PlannedAction['action'], resource: ProcoreResource, originId: string, reason: string) => void;

function wbsOf(
  codes: BudgetCodeIndex,
  projectId: number,
  code: { costCode: string; costType: string },
  line: string,
): number {
  const id = codes.lookup(code.costCode, code.costType);
  if (id === undefined) {
    throw new Refused(
      `line ${line}: budget code ${code.costCode} × ${code.costType} does not exist in Procore project ${projectId}: add it to the project's budget codes in Procore, or map the line to an existing one in mapping.costCodes / mapping.costTypes.`,
    );
  }
  return id;
}

const RANK: Record<Outcome, number> = {
  unchanged: 0,
  skipped: 0,
  written: 1,
  pending: 2,
  deadLettered: 3,
  quarantined: 4,
};

function rank(outcome: Outcome): number {
  return RANK[outcome];
}

const NOT_RIGHT: ReadonlySet<Outcome> = new Set(['quarantined', 'deadLettered', 'pending']);

/** Every polled record in one outcome bucket: settled at poll time, else as planned (pending when unplanned). */
export function tallyPlan(
  settled: ReadonlyMap<string, { outcome: Outcome; reason?: string }>,
  enqueued: Iterable<string>,
  plan: Plan,
): Pick<RunSummary, 'outcomes' | 'problems'> {
  const outcomes: Record<Outcome, number> = {
    written: 0,
    unchanged: 0,
    skipped: 0,
    quarantined: 0,
    deadLettered: 0,
    pending: 0,
  };
  const problems: RunSummary['problems'] = [];
  const count = (key: string, found: { outcome: Outcome; reason?: string } | undefined) => {
    const outcome = found?.outcome ?? 'pending';
    outcomes[outcome] += 1;
    if (NOT_RIGHT.has(outcome)) problems.push({ key, status: outcome, reason: found?.reason ?? 'not planned' });
  };
  for (const [key, found] of settled) count(key, found);
  for (const key of enqueued) if (!settled.has(key)) count(key, plan.outcomes.get(key));
  problems.sort((a, b) => a.key.localeCompare(b.key));
  return { outcomes, problems };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
