/**
 * The one place the names shared by the stack (`lib/`) and the runtime (`lambdas/`, the CLI) are declared:
 * each customer's resource names, where claim-checked payloads live and how long they are kept, the tables'
 * keys and indexes, and the metric names. Plain constants and functions only: CDK code imports this module,
 * so it must not pull in the AWS SDK or any other runtime dependency.
 */

/** Physical names of one customer's AWS resources: the CLI reaches a deployed customer from its id and region alone. */
export interface ResourceNames {
  stack: string;
  stateTable: string;
  auditTable: string;
  recordsQueue: string;
  recordsDlq: string;
  writesQueue: string;
  writesDlq: string;
  scheduleDlq: string;
  workdaySecret: string;
  procoreSecret: string;
  keyAlias: string;
  /** The function `replay --aws` invokes. */
  replayFunction: string;
}

/** The names every resource of customer `customerId` has. */
export function resourceNames(customerId: string): ResourceNames {
  const prefix = `ml-connector-${customerId}`;
  return {
    stack: `MlConnector-${customerId}`,
    stateTable: `${prefix}-state`,
    auditTable: `${prefix}-audit`,
    recordsQueue: `${prefix}-records`,
    recordsDlq: `${prefix}-records-dlq`,
    writesQueue: `${prefix}-writes`,
    writesDlq: `${prefix}-writes-dlq`,
    scheduleDlq: `${prefix}-schedule-dlq`,
    workdaySecret: `ml-connector/${customerId}/workday`,
    procoreSecret: `ml-connector/${customerId}/procore`,
    keyAlias: `alias/ml-connector/${customerId}`,
    replayFunction: `${prefix}-replay`,
  };
}

/** Audit rows and run summaries expire this long after their time (TTL); PITR covers the table meanwhile. */
export const AUDIT_RETENTION_DAYS = 400;

/** Where claim-checked payloads go in the payload bucket; the stack grants the functions this prefix only. */
export const PAYLOAD_PREFIX = 'payloads/';

/** How long a claim-checked payload is kept: as long as the audit row that may point at it. */
export const PAYLOAD_RETENTION_DAYS = AUDIT_RETENTION_DAYS;

/**
 * Key and index names of the two tables: the state table holds cursors, the lease, the ledger and its
 * indexes, and the token cache; the audit table holds the audit trail and run summaries, expiring through TTL.
 */
export const TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  state: {
    indexes: {
      byStatus: { partitionKey: 'ledgerStatus', sortKey: 'pk', projection: 'KEYS_ONLY' },
      unsynced: { partitionKey: 'unsyncedShard', sortKey: 'unsyncedSince', projection: 'KEYS_ONLY' },
    },
  },
  audit: {
    timeToLiveAttribute: 'expiresAt',
    indexes: { byLatestOutcome: { partitionKey: 'latestOutcome', sortKey: 'latestAt', projection: 'ALL' } },
  },
} as const;

/** The CloudWatch namespace the handlers emit metrics to (EMF) and the stack's alarms and dashboard read. */
export const METRICS_NAMESPACE = 'MlConnector';

/** Metric names, by what they count. */
export const METRIC = {
  polled: 'RecordsPolled',
  enqueued: 'RecordsEnqueued',
  written: 'RecordsWritten',
  unchanged: 'RecordsUnchanged',
  skipped: 'RecordsSkipped',
  quarantined: 'RecordsQuarantined',
  deadLettered: 'RecordsDeadLettered',
  retried: 'RecordsRetried',
  parked: 'RecordsParked',
  replayed: 'RecordsReplayed',
  procoreCalls: 'ProcoreCalls',
  procoreThrottled: 'ProcoreThrottled',
  rateLimitRemaining: 'ProcoreRateLimitRemaining',
  workdayCalls: 'WorkdayCalls',
  syncLag: 'SyncLagSeconds',
  pollHeartbeat: 'PollHeartbeat',
} as const;

/** One of the metric names above. */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];
