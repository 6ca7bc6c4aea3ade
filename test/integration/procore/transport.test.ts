import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../lambdas/shared/dispatcher';
import { ProcoreError } from '../../../lambdas/shared/errors';
import { FaultPlan } from '../../../sandbox/faults';
import { COMPANY_ID, type Harness, type Seed, START, seedCompany, startHarness } from './harness';

const PO_LIST = ['GET', '/rest/v1.0/purchase_order_contracts'] as const;

describe('Procore client: transport', () => {
  let h: Harness;
  let faults: FaultPlan;
  let seed: Seed;
  afterEach(async () => {
    await h.close();
  });

  async function start(options: Parameters<typeof startHarness>[0] = {}) {
    faults = new FaultPlan();
    h = await startHarness({ ...options, sim: { faults, ...options.sim } });
    seed = seedCompany(h.sim);
    // A token first, so forced faults hit the API call under test.
    await h.client.companies();
  }

  it('sends the company header and reads the request id and rate-limit window of every answer', async () => {
    await start({ sim: { rateLimit: { hourly: 600, spike: 25 } } });
    await h.client.commitments(seed.project.id);
    expect(h.client.stats).toMatchObject({
      calls: 2,
      reads: 2,
      writes: 0,
      rateLimit: { limit: 25, remaining: 23, resetAt: (Math.floor(START / 1000) + 11) * 1000 },
    });
  });

  it('waits Retry-After plus jitter after a 429, then retries', async () => {
    await start();
    faults.force({ type: 'throttle' });
    await expect(h.client.commitments(seed.project.id)).resolves.toEqual([]);
    // Retry-After: 1 s, jitter 0.5 × 1 s.
    expect(h.clock.sleeps[0]).toBe(1_500);
    expect(h.sim.calls.count(...PO_LIST)).toBe(2);
    expect(h.client.stats).toMatchObject({ throttled: 1, retries: 1, clientErrors: 1 });
  });

  it('waits until X-Rate-Limit-Reset after a 429 without Retry-After', async () => {
    await start({ stripRetryAfter: true });
    faults.force({ type: 'throttle' });
    await expect(h.client.commitments(seed.project.id)).resolves.toEqual([]);
    // The reset is the next whole second plus one (1.7 s away at START), plus 0.5 s of jitter.
    expect(h.clock.sleeps[0]).toBe(2_200);
    expect(h.sim.calls.throttled).toBe(1);
  });

  it('honours Retry-After on a 503', async () => {
    await start();
    faults.force({ type: 'serverError', status: 503 });
    await h.client.commitments(seed.project.id);
    expect(h.clock.sleeps).toEqual([1_000]);
    expect(h.sim.calls.count(...PO_LIST)).toBe(2);
  });

  it('backs off and retries a read whose connection dropped', async () => {
    await start();
    faults.force({ type: 'drop' });
    await expect(h.client.commitments(seed.project.id)).resolves.toEqual([]);
    expect(h.sim.calls.dropped).toBe(1);
    expect(h.clock.sleeps).toEqual([1_000]);
    expect(h.client.stats).toMatchObject({ calls: 3, retries: 1 });
  });

  it('retries a read that timed out', async () => {
    await start({ dispatcher: createDispatcher({ headersTimeoutMs: 150 }), sim: { timeoutHoldMs: 5_000 } });
    faults.force({ type: 'timeout' });
    await expect(h.client.commitments(seed.project.id)).resolves.toEqual([]);
    expect(h.client.stats.retries).toBe(1);
  });

  it('gives up after the policy’s attempts with a transient error', async () => {
    await start();
    faults.force({ type: 'serverError', status: 500 }, 5);
    const error = await h.client.commitments(seed.project.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcoreError);
    expect(error).toMatchObject({ status: 500, failure: 'transient', retryable: true });
    expect((error as Error).message).toMatch(/after 5 attempts/);
    expect(h.sim.calls.count(...PO_LIST)).toBe(5);
  });

  it('throws a transient error instead of waiting past the deadline', async () => {
    await start({ client: { deadline: () => START + 1_000 } });
    faults.force({ type: 'throttle' });
    const error = await h.client.commitments(seed.project.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'transient', status: 429, retryAfterMs: 1_500 });
    expect(h.clock.sleeps).toEqual([]);
  });

  it('starts no attempt after the deadline', async () => {
    let deadline: number | undefined;
    await start({ client: { deadline: () => deadline } });
    deadline = h.clock.now();
    const before = h.sim.calls.total;
    await expect(h.client.commitments(seed.project.id)).rejects.toMatchObject({ failure: 'transient' });
    expect(h.sim.calls.total).toBe(before);
  });

  it('explains a 403 on a project the app may not see', async () => {
    await start();
    const hidden = h.sim.state.addProject({ name: 'Secret Site', permitted: false });
    const show = await h.client.project(hidden.id).catch((e: unknown) => e);
    expect(show).toMatchObject({ status: 403, failure: 'permanent' });
    expect((show as Error).message).toContain(`add the app's service account to project ${hidden.id}`);
    const list = await h.client.commitments(hidden.id).catch((e: unknown) => e);
    expect((list as Error).message).toContain(
      `the app is not installed in company ${COMPANY_ID}, or project ${hidden.id} is not among its permitted ` +
        "projects: add it in Procore's App Management",
    );
    expect(h.client.stats.retries).toBe(0);
  });

  it('reports a 404 as permanent with the request id', async () => {
    await start();
    const error = await h.client.commitment(seed.project.id, 42).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, failure: 'permanent' });
    expect((error as ProcoreError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns a 422 into a permanent error carrying Procore’s field errors, sent once', async () => {
    await start();
    const other = h.sim.state.addProject({ name: 'Elsewhere' });
    const elsewhere = h.sim.state.addCommitment(other.id);

    const error = await h.client
      .createChangeOrder(seed.project.id, { contract_id: elsewhere.id, number: 'CO-1', status: 'draft' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProcoreError);
    expect(error).toMatchObject({
      status: 422,
      failure: 'permanent',
      fieldErrors: { contract_id: ['is not a commitment of this project'] },
    });
    expect((error as Error).message).toContain('contract_id: is not a commitment of this project');
    expect(h.sim.calls.count('POST', '/rest/v1.0/projects/{project_id}/commitment_change_orders')).toBe(1);
    expect(h.client.stats.clientErrors).toBe(1);
  });
});
