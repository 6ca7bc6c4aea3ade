import { afterEach, describe, expect, it } from 'vitest';
import { runDryRun } from '../../cli/operate/dry-run';
import type { LocalRuntime } from '../../cli/runtime/local';
import { type E2E, startE2E } from './harness';

class SimulatedCrash extends Error {}

const CO_CREATE = ['POST', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;
const CO_LINE_CREATE = [
  'POST',
  '/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{commitment_change_order_id}/line_items',
] as const;
const LINE_ROUTE = /\/commitment_change_orders\/\{id\}\/line_items$/;

/** Kills the runtime at `killed()`: from then on every ledger, queue and Procore call throws, as after a SIGKILL. */
function dieWhen(rt: LocalRuntime, killed: () => boolean): void {
  let dead = false;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (dead || killed()) {
        dead = true;
        throw new SimulatedCrash('killed while writing a change order');
      }
      return fn(...args);
    };
  const guarded = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const value: unknown = Reflect.get(t, key);
        return typeof value === 'function' ? guard((value as (...a: unknown[]) => unknown).bind(t)) : value;
      },
    });
  rt.ledger = guarded(rt.ledger);
  rt.procore = guarded(rt.procore);
  for (const queue of [rt.records, rt.writes]) queue.receive = guard(queue.receive.bind(queue));
}

describe('a commitment change order interrupted by a crash', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  /** Change orders and their lines the oracle expects: what Procore must have received, once each. */
  function expectedWrites(): [number, number] {
    const { changeOrders } = e2e?.sandbox.firm.oracle() ?? { changeOrders: [] };
    return [changeOrders.length, changeOrders.reduce((n, co) => n + co.lines.length, 0)];
  }

  it('finds the draft by number after the create was answered but nothing recorded: lines added once, then approved', async () => {
    let created = false;
    e2e = await startE2E({
      seed: 7,
      observer: {
        response: (r, status) => {
          if (r.method === 'POST' && r.route.endsWith('/commitment_change_orders') && status < 300) created = true;
          return undefined;
        },
      },
    });
    await e2e.sync();
    e2e.sandbox.firm.scenario.afterFirstSync(e2e.sandbox.workday, e2e.sandbox.procore);
    // The process dies right after Procore answered the first change order's create: no line, no ledger write.
    dieWhen(e2e.runtime, () => created);
    await expect(e2e.sync()).rejects.toThrow(SimulatedCrash);
    const drafts = e2e.sandbox.procore.state.changeOrders().filter((co) => co.status === 'draft');
    expect(drafts).toHaveLength(1);
    expect(e2e.sandbox.procore.state.changeOrderLineItems(drafts[0]?.id ?? 0)).toEqual([]);

    await e2e.restart();
    await e2e.sync();

    expect(e2e.differences()).toEqual([]);
    const { calls } = e2e.sandbox.procore;
    expect([calls.count(...CO_CREATE), calls.count(...CO_LINE_CREATE)]).toEqual(expectedWrites());
  });

  it('adds only the missing lines of a change order whose lines were half added, then approves it', async () => {
    let twoLines: string | undefined;
    let halfway = false;
    e2e = await startE2E({
      seed: 7,
      observer: {
        response: (r, status) => {
          const { state } = e2e?.sandbox.procore ?? {};
          const co = state?.changeOrders().find((c) => c.number === twoLines);
          if (r.method === 'POST' && LINE_ROUTE.test(r.route) && status < 300 && co !== undefined) {
            halfway ||= state?.changeOrderLineItems(co.id).length === 1;
          }
          return undefined;
        },
      },
    });
    await e2e.sync();
    e2e.sandbox.firm.scenario.afterFirstSync(e2e.sandbox.workday, e2e.sandbox.procore);
    await e2e.sync();
    e2e.sandbox.firm.scenario.afterSecondSync(e2e.sandbox.workday, e2e.sandbox.procore);
    twoLines = e2e.sandbox.firm.oracle().changeOrders.find((co) => co.lines.length >= 2)?.number;
    expect(twoLines).toMatch(/:co:2$/);
    // The process dies once the first of that change order's lines is in Procore.
    dieWhen(e2e.runtime, () => halfway);
    await expect(e2e.sync()).rejects.toThrow(SimulatedCrash);
    const { state, calls } = e2e.sandbox.procore;
    const interrupted = state.changeOrders().find((c) => c.number === twoLines);
    expect(interrupted?.status).toBe('draft');
    expect(state.changeOrderLineItems(interrupted?.id ?? 0)).toHaveLength(1);

    await e2e.restart();
    // The dry run makes the writer's decision: finish the draft with the lines it still lacks.
    const planned = (await runDryRun(e2e.runtime)).planned.filter((a) => a.resource === 'changeOrder');
    const linesBefore = calls.count(...CO_LINE_CREATE);
    await e2e.sync();

    expect(planned.map((a) => a.originId)).toEqual([twoLines]);
    const plannedLines = planned[0]?.reason.split('(lines locked): ')[1]?.split('; ') ?? [];
    expect(plannedLines).toHaveLength(calls.count(...CO_LINE_CREATE) - linesBefore);
    expect(e2e.differences()).toEqual([]);
    expect(state.changeOrders().find((c) => c.number === twoLines)?.status).toBe('approved');
    expect([calls.count(...CO_CREATE), calls.count(...CO_LINE_CREATE)]).toEqual(expectedWrites());
  });
});
