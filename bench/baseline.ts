/**
 * A model of per-record integration recipes, for comparison: each mapped command costs one lookup by
 * origin_id and one create (POST) or update (PATCH); each line costs one budget-code lookup (no caching)
 * and one more write. No batching, no ledger, no skipping of unchanged records. The vendor a document
 * needs is NOT looked up separately, so the baseline is a lower bound on what such a recipe spends.
 * Calls are sent to a fresh sandbox so they pay the same simulated latency; whether Procore accepts each
 * body does not matter here, only the attempted calls do.
 */
import type { WriteCommand } from '../lambdas/mapping/commands';
import { startSandbox } from '../sandbox';
import type { Scale } from '../sandbox/seed/scale';
import { DAY, type Latency, NO_RATE_LIMIT } from './connector';

export interface BaselineCall {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /** For a write: the id that the preceding lookup found (update) or undefined (create). */
  body?: Record<string, unknown>;
}

export interface BaselineMeasure {
  /** Calls the recipe makes for the whole data set (computed from the commands). */
  plannedCalls: number;
  /** Calls actually sent within the time cap. */
  sentCalls: number;
  rejected: number;
  /** Wall time of the sent calls. */
  sentMs: number;
  /** Wall time for all planned calls: measured if all were sent, else extrapolated at the measured pace. */
  wallMs: number;
  extrapolated: boolean;
}

/** The HTTP calls the per-record recipe makes for one command, in order. */
export function recipeCalls(command: WriteCommand, companyId: number): BaselineCall[] {
  const project = 'procoreProjectId' in command ? command.procoreProjectId : undefined;
  const q = (extra: string) =>
    `?company_id=${companyId}${extra}&filters[origin_id]=${encodeURIComponent(command.originId)}`;
  switch (command.resource) {
    case 'vendor':
      return [
        { method: 'GET', path: `/rest/v1.0/vendors${q('')}` },
        { method: 'POST', path: `/rest/v1.0/vendors?company_id=${companyId}`, body: { vendor: command.payload } },
      ];
    case 'commitment':
      return [
        { method: 'GET', path: `/rest/v1.0/purchase_order_contracts${q(`&project_id=${project}`)}` },
        {
          method: 'POST',
          path: `/rest/v1.0/purchase_order_contracts?project_id=${project}`,
          body: { purchase_order_contract: { origin_id: command.originId, number: command.number, ...command.header } },
        },
        ...command.lines.flatMap((line): BaselineCall[] => [
          { method: 'GET', path: `/rest/v1.0/projects/${project}/work_breakdown_structure/wbs_codes` },
          {
            method: 'POST',
            path: `/rest/v1.0/purchase_order_contracts/0/line_items?project_id=${project}`,
            body: { line_item: { amount: line.amount, description: line.description, origin_id: line.originId } },
          },
        ]),
      ];
    case 'directCost':
      return [
        { method: 'GET', path: `/rest/v1.0/projects/${project}/direct_costs${q('')}` },
        {
          method: 'POST',
          path: `/rest/v1.0/projects/${project}/direct_costs`,
          body: { direct_cost: { origin_id: command.originId, invoice_number: command.invoiceNumber } },
        },
        ...command.lines.flatMap((line): BaselineCall[] => [
          { method: 'GET', path: `/rest/v1.0/projects/${project}/work_breakdown_structure/wbs_codes` },
          {
            method: 'POST',
            path: `/rest/v1.0/projects/${project}/direct_costs/0/line_items`,
            body: { line_item: { amount: line.amount, description: line.description, origin_id: line.originId } },
          },
        ]),
      ];
    case 'requisition':
      // Requisition items bill SOV lines: no budget code to look up, one write per item.
      return [
        { method: 'GET', path: `/rest/v1.0/requisitions${q(`&project_id=${project}`)}` },
        {
          method: 'POST',
          path: `/rest/v1.1/requisitions?project_id=${project}`,
          body: { requisition: { origin_id: command.originId, invoice_number: command.invoiceNumber } },
        },
        ...command.items.map(
          (item): BaselineCall => ({
            method: 'PATCH',
            path: `/rest/v1.0/requisitions/0/bulk_item_update?project_id=${project}`,
            body: { items: [{ origin_id: item.commitmentLineOriginId, work_completed_this_period: item.amount }] },
          }),
        ),
      ];
  }
}

/** Sends the recipe's calls for `commands` to a fresh sandbox, sequentially, for at most `capMs` of wall time. */
export async function runBaseline(
  commands: readonly WriteCommand[],
  options: { scale: Scale; latency: Latency; capMs: number },
): Promise<BaselineMeasure> {
  const sandbox = await startSandbox({
    scale: options.scale,
    now: () => DAY,
    rateLimit: NO_RATE_LIMIT,
    latency: options.latency,
    // Only attempted calls count; don't let strict schema checks cost anything beyond the 4xx itself.
    strict: false,
  });
  try {
    const companyId = sandbox.firm.layout.companyId;
    const token = await accessToken(sandbox.url, sandbox.credentials);
    const planned = commands.flatMap((c) => recipeCalls(c, companyId));
    const headers = { authorization: `Bearer ${token}`, 'procore-company-id': String(companyId) };
    let sent = 0;
    let rejected = 0;
    const start = performance.now();
    for (const call of planned) {
      if (performance.now() - start >= options.capMs) break;
      const res = await fetch(`${sandbox.url}${call.path}`, {
        method: call.method,
        headers: call.body ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(call.body ? { body: JSON.stringify(call.body) } : {}),
      });
      await res.arrayBuffer();
      sent += 1;
      if (res.status >= 400) rejected += 1;
    }
    const sentMs = performance.now() - start;
    const extrapolated = sent < planned.length;
    return {
      plannedCalls: planned.length,
      sentCalls: sent,
      rejected,
      sentMs: Math.round(sentMs),
      wallMs: Math.round(extrapolated && sent > 0 ? (sentMs / sent) * planned.length : sentMs),
      extrapolated,
    };
  } finally {
    await sandbox.close();
  }
}

async function accessToken(url: string, credentials: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: credentials.PROCORE_CLIENT_ID,
      client_secret: credentials.PROCORE_CLIENT_SECRET,
    }),
  });
  const body: unknown = await res.json();
  if (typeof body === 'object' && body !== null && 'access_token' in body && typeof body.access_token === 'string') {
    return body.access_token;
  }
  throw new Error(`baseline: no Procore token (HTTP ${res.status})`);
}
