import type { CustomerConfigInput } from '../../lambdas/config/schema';
import { usesMulticurrency } from '../procore/options';
import type { ProcoreSimulator } from '../procore/simulator';
import type { PurchaseOrder } from '../workday/data';
import type { WorkdaySimulator } from '../workday/simulator';
import type { WorkdayStore } from '../workday/store';
import { budgetCombos } from './budget-combos';
import { buildConfig } from './config';
import { createFirmData, type FirmData, type GeneratedRecords } from './data';
import { buildLayout, type FirmLayout } from './layout';
import { type LazyBase, type LazySources, LazyWorkdayStore } from './lazy-store';
import { buildOracle } from './oracle';
import { effectiveConfig, type ProjectCurrencies } from './oracle-rules';
import type { Oracle } from './oracle-types';
import { type LoadedProcore, seedProcore } from './procore-seed';
import type { Scale } from './scale';
import { applyScenario, applySecondChanges, type ScenarioChange } from './scenario';

/** How to generate a firm: the same options give byte-identical data. */
export interface GenerateFirmOptions {
  /** Default 1. */
  seed?: number;
  /** Default `firm`. */
  scale?: Scale;
  /** The simulated moment the data is generated for (its UTC day anchors every date); default now. */
  now?: number;
}

/** A generated construction firm: its config, its data, and how to load, check and change it. */
export interface Firm {
  seed: number;
  scale: Scale;
  layout: FirmLayout;
  /** The customer config for this firm (base URLs are placeholders until `Sandbox.writeConfig`). */
  config: CustomerConfigInput;
  /** Every Workday record, generated on demand. */
  data: FirmData;
  /** Puts the Workday records into the simulator's store and seeds the Procore company (fresh simulators). */
  loadInto(workday: WorkdaySimulator, procore: ProcoreSimulator): void;
  /** What Procore must hold after a correct sync of the current data (call after `loadInto`). */
  oracle(): Oracle;
  scenario: {
    /** Applies ~1% of incremental changes in Workday for a second sync; returns what changed. */
    afterFirstSync(workday: WorkdaySimulator, procore: ProcoreSimulator): ScenarioChange[];
    /**
     * After the sync that followed `afterFirstSync`: changes two of its changed POs again (an amount, and the line
     * it added), so their approved contracts need a second change order; returns what changed.
     */
    afterSecondSync(workday: WorkdaySimulator, procore: ProcoreSimulator): ScenarioChange[];
  };
}

function lazyBase<T extends { wid: string }>(records: GeneratedRecords<T>, latestEnteredAt: number): LazyBase<T> {
  return {
    count: records.baseCount,
    generate: (i) => records.generator.generate(i),
    enteredAt: (i) => records.generator.enteredAt(i),
    indexOf: (wid) => {
      const index = records.indexOf(wid);
      return index !== undefined && index < records.baseCount ? index : undefined;
    },
    latestEnteredAt,
    ...(records.generator.peek ? { peek: records.generator.peek } : {}),
  };
}

/** The lazy sources of a firm's records (for a `LazyWorkdayStore`). */
export function lazySources(layout: FirmLayout, data: FirmData): LazySources {
  // Every generated document is dated yesterday at the latest and entered by that evening.
  const latest = layout.anchorMs;
  return {
    suppliers: lazyBase(data.suppliers, latest),
    purchaseOrders: lazyBase(data.purchaseOrders, latest),
    invoices: lazyBase(data.invoices, latest),
    adjustments: lazyBase(data.adjustments, latest),
  };
}

function loadWorkday(store: WorkdayStore, layout: FirmLayout, data: FirmData): void {
  if (store instanceof LazyWorkdayStore) {
    store.attach(lazySources(layout, data));
    return;
  }
  if (layout.spec.lazy) throw new Error(`the ${layout.scale} scale needs a LazyWorkdayStore (memory)`);
  for (const { record, enteredAt } of data.suppliers.all()) store.suppliers.put(record, enteredAt);
  for (const { record, enteredAt } of data.purchaseOrders.all()) store.purchaseOrders.put(record, enteredAt);
  for (const { record, enteredAt } of data.invoices.all()) store.invoices.put(record, enteredAt);
  for (const { record, enteredAt } of data.adjustments.all()) store.adjustments.put(record, enteredAt);
}

/** Generates the firm for a seed and scale (records themselves are built when first read). */
export function generateFirm(options: GenerateFirmOptions = {}): Firm {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 'firm';
  const layout = buildLayout(seed, scale, options.now ?? Date.now());
  const config = buildConfig(layout);
  const data = createFirmData(layout);
  const earlierVersions = new Map<string, PurchaseOrder[]>();
  let loaded: { procore: LoadedProcore; currencies: ProjectCurrencies } | undefined;
  let firstChanges: ScenarioChange[] | undefined;
  let secondApplied = false;

  return {
    seed,
    scale,
    layout,
    config,
    data,
    loadInto(workday, procore) {
      loadWorkday(workday.store, layout, data);
      const combos = budgetCombos(layout, effectiveConfig(config), data);
      const currencies: ProjectCurrencies = new Map(
        layout.projects.map((p) => [
          p.procoreId,
          { currency: p.currency, multicurrency: usesMulticurrency(procore.switches, p.procoreId) },
        ]),
      );
      loaded = { procore: seedProcore(procore.state, layout, data, combos), currencies };
    },
    oracle() {
      if (!loaded) throw new Error('load the firm into the simulators before asking for its oracle');
      return buildOracle({ config, data, procore: loaded.procore, currencies: loaded.currencies, earlierVersions });
    },
    scenario: {
      afterFirstSync(workday) {
        if (firstChanges) throw new Error('the scenario has already been applied');
        firstChanges = applyScenario({ layout, data, store: workday.store, earlierVersions });
        return firstChanges;
      },
      afterSecondSync(workday) {
        if (!firstChanges) throw new Error('apply afterFirstSync (and sync) before afterSecondSync');
        if (secondApplied) throw new Error('the second scenario step has already been applied');
        secondApplied = true;
        return applySecondChanges({ layout, data, store: workday.store, earlierVersions }, firstChanges);
      },
    },
  };
}
