import { type CostEntry, readWorkdayCosts } from '../../lambdas/pipeline/report';
import { ConfigError, describeError, WorkdayError } from '../../lambdas/shared/errors';
import { ENTITIES, type Entity, type ParsedRecord } from '../../lambdas/workday/records';
import { GET_OPERATIONS } from '../../lambdas/workday/soap-request';
import type { LocalRuntime } from '../runtime/local';
import { failed, type PingCheck, passed } from './ping-types';

const DAY_MS = 86_400_000;
const NOUN: Record<Entity, string> = {
  suppliers: 'suppliers',
  purchaseOrders: 'purchase orders',
  invoices: 'supplier invoices',
  creditMemos: 'invoice adjustments (credit memos)',
};

/** What `ping` learned from Workday: its checks, and the recent documents costed (when they could be read). */
export interface WorkdayPing {
  checks: PingCheck[];
  recent: { entries: CostEntry[]; documents: ParsedRecord[] } | undefined;
}

/**
 * Proves the credentials and the read permission of each entity with a page of one, then reads the
 * documents of the last `invoiceLookbackDays` to see where their lines would land.
 */
export async function pingWorkday(rt: LocalRuntime, onProgress: (text: string) => void): Promise<WorkdayPing> {
  const { workday: settings } = rt.config;
  // A cached token would hide a credential that no longer works.
  await rt.tokens.delete('workday');
  const source = (await rt.secrets.get('workday')) === undefined ? 'the environment' : 'the local secret store';
  const who = settings.auth === 'isu' ? 'the integration system user' : 'the OAuth client and refresh token';
  const accepted = passed('workday.credentials', `${who} (from ${source}) is accepted by tenant ${settings.tenant}`);
  const checks: PingCheck[] = [];
  for (const entity of ENTITIES) {
    const operation = GET_OPERATIONS[entity].operation;
    onProgress(`Workday: ${operation}`);
    try {
      const { totalResults } = await rt.workday.probe(entity);
      if (checks.length === 0) checks.push(accepted);
      checks.push(passed(`workday.${entity}`, `${operation}: ${totalResults} ${NOUN[entity]} readable`));
    } catch (error) {
      // Any answer but an authentication fault proves the credentials; no answer at all proves nothing.
      const answered = error instanceof WorkdayError && error.kind !== 'authentication' && !error.retryable;
      if (checks.length === 0 && !answered) {
        checks.push(credentialFailure(error, who, source, settings));
        return { checks, recent: undefined };
      }
      if (checks.length === 0) checks.push(accepted);
      checks.push(readFailure(entity, operation, error));
    }
  }
  if (checks.some((c) => !c.ok)) return { checks, recent: undefined };
  const to = new Date(rt.now()).toISOString().slice(0, 10);
  const from = new Date(rt.now() - settings.invoiceLookbackDays * DAY_MS).toISOString().slice(0, 10);
  try {
    const recent = await readWorkdayCosts(rt, { from, to }, (entity, page, total) =>
      onProgress(`Workday: recent ${NOUN[entity]}, page ${page}/${total}`),
    );
    return { checks, recent };
  } catch (error) {
    checks.push(
      failed(
        'workday.recentDocuments',
        `reading the documents since ${from} failed: ${describeError(error)}`,
        'run ping again; if it keeps failing, check the document named above in Workday',
      ),
    );
    return { checks, recent: undefined };
  }
}

function credentialFailure(
  error: unknown,
  who: string,
  source: string,
  settings: LocalRuntime['config']['workday'],
): PingCheck {
  const where =
    settings.auth === 'isu'
      ? 'WORKDAY_USERNAME (user@tenant) and WORKDAY_PASSWORD'
      : 'WORKDAY_CLIENT_ID, WORKDAY_CLIENT_SECRET and WORKDAY_REFRESH_TOKEN';
  const fix = `set ${where}, or store them with \`ml-connector secrets set --system workday\``;
  if (error instanceof ConfigError) {
    const missing = error.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return failed('workday.credentials', `the Workday credentials are incomplete: ${missing}`, fix);
  }
  if (error instanceof WorkdayError && error.kind === 'authentication') {
    return failed(
      'workday.credentials',
      `Workday rejected ${who} (from ${source}) as invalid, locked or expired`,
      `${fix}; check in Workday that the account is active and not locked`,
    );
  }
  return failed(
    'workday.credentials',
    `could not get an answer from Workday at ${settings.baseUrl}: ${describeError(error)}`,
    'check workday.baseUrl, workday.tenant and workday.version in the config, and that this machine can reach Workday',
  );
}

function readFailure(entity: Entity, operation: string, error: unknown): PingCheck {
  const detail = `${operation}: ${describeError(error)}`;
  if (error instanceof WorkdayError && /not authorized/i.test(error.message)) {
    return failed(
      `workday.${entity}`,
      detail,
      `in Workday, give the integration system user's security group Get access to the domain that secures ${operation} (${NOUN[entity]}), then activate the pending security policy changes`,
    );
  }
  return failed(
    `workday.${entity}`,
    detail,
    'run ping again; if it keeps failing, check workday.version and the tenant',
  );
}
