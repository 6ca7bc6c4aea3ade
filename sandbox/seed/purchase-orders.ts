import type {
  DeliverableLine,
  GoodsLine,
  LineSplit,
  PurchaseOrder,
  ServiceLine,
  StatusValue,
  Worktag,
} from '../workday/data';
import { portion, pricedQuantity, randomShare, splitInTwo, total } from './amounts';
import { type CostCodeEntry, LINE_COST_CODES, SPEND_CATEGORIES } from './catalog';
import { addDays, type FirmLayout, type ProjectPlan } from './layout';
import { cachedRef, cachedWorktag } from './refs';
import { indexedWid, money, pad, Rand, STREAM, seedFor, unit } from './rng';
import { documentSupplier, supplierLinkAt } from './suppliers';

/** What a purchase order is there to exercise. */
export type PoShape =
  | 'standard'
  | 'charges'
  | 'chargesFirstService'
  | 'multiProject'
  | 'splitLine'
  | 'cad'
  | 'handTyped'
  | 'costCenter'
  | 'defaultCostCode'
  | 'rulePrecedence';

/** Workday PO document statuses the firm uses. */
export type PoStatus = 'Issued' | 'Approved' | 'Draft' | 'Canceled';

const STATUS: Record<PoStatus, StatusValue> = {
  Issued: { id: 'ISSUED', descriptor: 'Issued' },
  Approved: { id: 'APPROVED', descriptor: 'Approved' },
  Draft: { id: 'DRAFT', descriptor: 'Draft' },
  Canceled: { id: 'CANCELED', descriptor: 'Canceled' },
};

/** Shapes an invoice may bill: one project, no splits, no hand-typed twin. */
const BILLABLE: ReadonlySet<PoShape> = new Set(['standard', 'charges', 'costCenter']);

/** Per-PO decisions that are cheap to compute for every index, and the billable POs in order. */
export interface PoPlan {
  count: number;
  shape(index: number): PoShape;
  status(index: number): PoStatus;
  /** Indexes of POs an invoice may bill (Issued or Approved, billable shape), ascending. */
  billable: Int32Array;
  /** Position of each PO in `billable`, or -1. */
  rank: Int32Array;
}

function slots(layout: FirmLayout): [PoShape, PoStatus][] {
  const handTyped = Array.from({ length: layout.spec.handTypedCommitments }, (): [PoShape, PoStatus] => [
    'handTyped',
    'Issued',
  ]);
  return [
    ['standard', 'Issued'],
    ['standard', 'Draft'],
    ['standard', 'Canceled'],
    ['charges', 'Issued'],
    ['multiProject', 'Issued'],
    ['splitLine', 'Approved'],
    ['cad', 'Issued'],
    ...handTyped,
    ['costCenter', 'Issued'],
    ['defaultCostCode', 'Approved'],
    ['rulePrecedence', 'Issued'],
    ['chargesFirstService', 'Approved'],
    ['standard', 'Approved'],
    ['standard', 'Issued'],
    ['standard', 'Issued'],
    ['charges', 'Approved'],
    ['standard', 'Issued'],
    ['costCenter', 'Approved'],
  ];
}

function drawShape(r: number): PoShape {
  if (r < 0.66) return 'standard';
  if (r < 0.76) return 'charges';
  if (r < 0.83) return 'multiProject';
  if (r < 0.9) return 'splitLine';
  if (r < 0.96) return 'costCenter';
  if (r < 0.98) return 'defaultCostCode';
  return 'rulePrecedence';
}

function drawStatus(r: number): PoStatus {
  if (r < 0.62) return 'Issued';
  if (r < 0.86) return 'Approved';
  if (r < 0.94) return 'Draft';
  return 'Canceled';
}

const planCache = new WeakMap<FirmLayout, PoPlan>();

/** The PO plan of the firm (cached per layout). */
export function poPlan(layout: FirmLayout): PoPlan {
  const cached = planCache.get(layout);
  if (cached) return cached;
  const fixed = slots(layout);
  const count = layout.spec.purchaseOrders;
  const shape = (i: number): PoShape => fixed[i]?.[0] ?? drawShape(unit(layout.seed, STREAM.purchaseOrderKind, i));
  const status = (i: number): PoStatus =>
    fixed[i]?.[1] ?? drawStatus(unit(layout.seed, STREAM.purchaseOrderKind, i + 0x40000000));
  const rank = new Int32Array(count).fill(-1);
  const billableList: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = status(i);
    if (BILLABLE.has(shape(i)) && (s === 'Issued' || s === 'Approved')) {
      rank[i] = billableList.length;
      billableList.push(i);
    }
  }
  const plan: PoPlan = { count, shape, status, billable: Int32Array.from(billableList), rank };
  planCache.set(layout, plan);
  return plan;
}

/** The document date of PO `index`: spread over days -100 … -15. */
export function poDate(layout: FirmLayout, index: number): string {
  return addDays(layout.today, -100 + Math.floor((index * 85) / Math.max(1, layout.spec.purchaseOrders)));
}

/** The supplier index of PO `index`; billable POs come in pairs sharing a supplier (for two-PO invoices). */
function poSupplierIndex(layout: FirmLayout, index: number): number {
  const r = poPlan(layout).rank[index] ?? -1;
  const draw =
    r >= 0
      ? seedFor(layout.seed, STREAM.pairSupplier, Math.floor(r / 2))
      : seedFor(layout.seed, STREAM.purchaseOrderSupplier, index);
  return documentSupplier(layout, draw);
}

/** The Workday document number of PO `index`. */
export function poNumber(index: number): string {
  return `PO-${pad(10_001 + index, 6)}`;
}

interface LineTarget {
  projects: ProjectPlan[];
  /** Worktags in front of the project's own on every line (a cost center a later rule maps). */
  leading: Worktag[];
}

function costCodeWorktag(entry: CostCodeEntry): Worktag {
  return cachedWorktag('Custom_Worktag_1_ID', entry.workdayValue, `${entry.division}-${entry.code} ${entry.name}`);
}

/** The worktags of a line (or split) in `project` on `entry`; `withCostCode` false leaves the cost code out. */
export function lineWorktags(
  layout: FirmLayout,
  project: ProjectPlan,
  entry: CostCodeEntry,
  rand: Rand,
  options: { leading?: Worktag[]; withCostCode?: boolean } = {},
): Worktag[] {
  const tags = [...(options.leading ?? []), project.worktag];
  if (options.withCostCode !== false) tags.push(costCodeWorktag(entry));
  if (rand.chance(0.3)) tags.push(rand.pick(layout.regionWorktags));
  return tags;
}

/** Two different projects (one when there is only one). */
export function pickTwo(rand: Rand, projects: readonly ProjectPlan[]): ProjectPlan[] {
  const first = rand.pick(projects);
  const others = projects.filter((p) => p !== first);
  return others.length === 0 ? [first] : [first, rand.pick(others)];
}

function targetOf(layout: FirmLayout, shape: PoShape, rand: Rand): LineTarget {
  const usd = layout.projects.filter((p) => p.currency === 'USD');
  const byProjectId = layout.projectIdProjects.length > 0 ? layout.projectIdProjects : usd;
  switch (shape) {
    case 'cad':
      return { projects: [layout.cadProject], leading: [] };
    case 'costCenter':
      return {
        projects: [rand.pick(layout.costCenterProjects.length > 0 ? layout.costCenterProjects : usd)],
        leading: [],
      };
    case 'multiProject':
    case 'splitLine':
    case 'chargesFirstService':
      return { projects: pickTwo(rand, usd), leading: [] };
    case 'rulePrecedence': {
      const other = layout.costCenterProjects[0];
      return { projects: [rand.pick(byProjectId)], leading: other ? [other.worktag] : [] };
    }
    default:
      return { projects: [rand.pick(byProjectId)], leading: [] };
  }
}

function spendCategory(rand: Rand, goods: boolean) {
  const s = rand.pick(SPEND_CATEGORIES.filter((c) => c.goods === goods));
  return cachedRef('Spend_Category_ID', s.id, s.descriptor);
}

interface LineDraft {
  goods: boolean;
  lineNumber: number;
  project: ProjectPlan;
}

/** Line numbers and projects: goods first, then services, except that `chargesFirstService` numbers a service line 1. */
function draftLines(shape: PoShape, count: number, target: LineTarget, rand: Rand): LineDraft[] {
  const a = target.projects[0];
  if (!a) throw new Error('a purchase order needs a project');
  const b = target.projects[1] ?? a;
  const goodsFlags = Array.from({ length: count }, () => rand.chance(0.6));
  if (shape === 'chargesFirstService') {
    const rest = Math.max(1, count - 1);
    return [
      { goods: false, lineNumber: 1, project: b },
      ...Array.from({ length: rest }, (_, k) => ({ goods: true, lineNumber: k + 2, project: a })),
    ];
  }
  const goods = goodsFlags.filter(Boolean).length;
  let g = 0;
  let s = 0;
  return goodsFlags.map((isGoods, k) => {
    const lineNumber = isGoods ? ++g : goods + ++s;
    const twoProjects = shape === 'multiProject' && count > 1;
    return { goods: isGoods, lineNumber, project: twoProjects && k % 2 === 1 ? b : a };
  });
}

function splits(
  layout: FirmLayout,
  amount: string,
  target: LineTarget,
  entry: CostCodeEntry,
  rand: Rand,
  lineId: string,
): LineSplit[] {
  const a = target.projects[0];
  if (!a) return [];
  const b = target.projects[1] ?? a;
  const [first, second] = splitInTwo(amount, randomShare(rand));
  return [
    { wid: rand.wid(), splitId: `${lineId}-S1`, extendedAmount: first, worktags: lineWorktags(layout, a, entry, rand) },
    {
      wid: rand.wid(),
      splitId: `${lineId}-S2`,
      extendedAmount: second,
      worktags: lineWorktags(layout, b, entry, rand),
    },
  ];
}

/** Purchase order `index` as Workday holds it. */
export function purchaseOrderAt(layout: FirmLayout, index: number): PurchaseOrder {
  const plan = poPlan(layout);
  const rand = Rand.of(layout.seed, STREAM.purchaseOrder, index);
  const wid = indexedWid(layout.seed, STREAM.purchaseOrder, index, rand);
  const shape = plan.shape(index);
  const target = targetOf(layout, shape, rand);
  const [minLines, maxLines] = layout.spec.linesPerPo;
  const lineCount = Math.max(
    shape === 'multiProject' || shape === 'chargesFirstService' ? 2 : 1,
    rand.int(minLines, maxLines),
  );
  const date = poDate(layout, index);
  const goodsLines: GoodsLine[] = [];
  const serviceLines: ServiceLine[] = [];
  const deliverableLines: DeliverableLine[] = [];
  // Every other multi-project PO orders its services as deliverables (Deliverables_Line_Data).
  const deliverables = shape === 'multiProject' && index % 2 === 0;
  draftLines(shape, lineCount, target, rand).forEach((draft, k) => {
    const entry = rand.pick(LINE_COST_CODES.filter((c) => (draft.goods ? c.goods.length : c.services.length) > 0));
    const lineId = `${draft.goods ? 'POL' : 'SOL'}-${index + 1}-${draft.lineNumber}`;
    const withCostCode = !(shape === 'defaultCostCode' && k === 0);
    const split = shape === 'splitLine' && k === 0;
    const worktags = split
      ? []
      : lineWorktags(layout, draft.project, entry, rand, { leading: target.leading, withCostCode });
    const category = spendCategory(rand, draft.goods);
    if (draft.goods) {
      const [description, unit] = rand.pick(entry.goods);
      const priced = pricedQuantity(rand);
      goodsLines.push({
        wid: rand.wid(),
        lineId,
        lineNumber: draft.lineNumber,
        itemDescription: description,
        spendCategory: category,
        quantity: priced.quantity,
        unitOfMeasure: unit,
        unitCost: priced.unitCost,
        extendedAmount: priced.extendedAmount,
        dueDate: addDays(date, 30),
        worktags,
        splits: split ? splits(layout, priced.extendedAmount, target, entry, rand, lineId) : [],
      });
    } else if (deliverables) {
      const amount = money(rand, 800, 85_000);
      const { worktag } = draft.project;
      // Their cost code comes in Purchase_Order_Line_Worktags_Data, as v44.1 responses carry some line worktags.
      const costCode = worktags.filter((w) => w.type === 'Custom_Worktag_1_ID');
      deliverableLines.push({
        wid: rand.wid(),
        lineId: `DOL-${index + 1}-${draft.lineNumber}`,
        lineNumber: draft.lineNumber,
        ...(worktag.type === 'Project_ID' ? { project: cachedRef('Project_ID', worktag.id, worktag.descriptor) } : {}),
        memo: rand.pick(entry.services),
        spendCategory: category,
        extendedAmount: amount,
        worktags: worktags.filter((w) => !costCode.includes(w)),
        lineWorktagsData: costCode,
        splits: [],
      });
    } else {
      const amount = money(rand, 800, 85_000);
      serviceLines.push({
        wid: rand.wid(),
        lineId,
        lineNumber: draft.lineNumber,
        description: rand.pick(entry.services),
        spendCategory: category,
        extendedAmount: amount,
        startDate: date,
        endDate: addDays(date, 60),
        worktags,
        splits: split ? splits(layout, amount, target, entry, rand, lineId) : [],
      });
    }
  });
  const linesTotal = total([...goodsLines, ...serviceLines, ...deliverableLines].map((l) => l.extendedAmount));
  const charges = shape === 'charges' || shape === 'chargesFirstService';
  const [project] = target.projects;
  return {
    wid,
    purchaseOrderId: `PURCHASE_ORDER-6-${index + 1}`,
    documentNumber: poNumber(index),
    status: STATUS[plan.status(index)],
    company: layout.company,
    supplier: supplierLinkAt(layout, poSupplierIndex(layout, index)),
    documentDate: date,
    dueDate: addDays(date, 45),
    currency: 'USD',
    // Sales tax on the lines; '0.00' elsewhere, which must not become a charges line.
    taxAmount: charges ? portion(linesTotal, '0.0825') : '0.00',
    ...(charges ? { freightAmount: money(rand, 60, 1800) } : {}),
    ...(charges && rand.chance(0.4) ? { otherCharges: money(rand, 25, 400) } : {}),
    paymentTerms: cachedRef('Payment_Terms_ID', 'NET_30', 'Net 30'),
    memo: `${project?.name ?? 'Job'}: ${shape === 'cad' ? 'Vancouver fit-out' : 'materials and services'}`,
    goodsLines,
    serviceLines,
    deliverableLines,
    contingentWorkerLines: [],
  };
}
