import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { resourceNames } from '../../config/names';
import type {
  AuditLog,
  Clock,
  CursorStore,
  Lease,
  RunStore,
  SecretStore,
  SecretSystem,
  SyncLedger,
  TaxIdSealer,
  TokenCache,
} from '../../ports';
import { createDynamoAuditLog, createDynamoRunStore } from './audit';
import { documentClient } from './dynamo';
import { createS3PayloadStore, type PayloadStore } from './payloads';
import { createSqsQueue, type SqsQueue } from './queue';
import { createSecretsManagerStore } from './secrets';
import { createDynamoCursorStore, createDynamoLease, createDynamoLedger } from './state';
import { createKmsTaxIdSealer } from './tax-ids';
import { createKmsTokenCache } from './token-cache';

export { type PayloadStore, withClaimedBodies } from './payloads';
export type { SqsQueue, SqsQueueDepth } from './queue';

/** The SDK clients the adapters share; pass your own (endpoints, credentials, test doubles) or get defaults for `region`. */
export interface AwsClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  kms: KMSClient;
  secretsManager: SecretsManagerClient;
  s3: S3Client;
}

/** Which customer, where, and (optionally) which resources and clients; the rest follows the stack's names. */
export interface AwsPortsOptions {
  customerId: string;
  region: string;
  /** Table names; default the stack's (`resourceNames`). */
  stateTable?: string;
  auditTable?: string;
  /** Queue URLs; default looked up by the stack's queue names. */
  recordsQueueUrl?: string;
  writesQueueUrl?: string;
  /** Secret names or ARNs per system; default the stack's secret names. */
  secretIds?: Partial<Record<SecretSystem, string>>;
  /** The bucket oversized payloads are written to; without it they can be read but not written. */
  payloadBucket?: string;
  /** The key that seals cached tokens; default the stack's key alias. */
  tokenKeyId?: string;
  /** The key that seals tax IDs; default the stack's key alias. */
  taxIdKeyId?: string;
  clients?: Partial<AwsClients>;
  now?: Clock;
  /** How long secret reads are reused (ms); default 60 s. */
  secretMaxAgeMs?: number;
}

/** Every port of one customer on AWS, over shared clients. */
export interface AwsPorts {
  cursors: CursorStore;
  lease: Lease;
  ledger: SyncLedger;
  audit: AuditLog;
  runs: RunStore;
  secrets: SecretStore;
  tokens: TokenCache;
  taxIds: TaxIdSealer;
  records: SqsQueue;
  writes: SqsQueue;
  payloads: PayloadStore;
  clients: AwsClients;
}

/**
 * Builds the AWS adapters of one customer from its id and region; everything else defaults to the deployed
 * stack's names, so the CLI needs nothing more. Nothing is called until a port is used.
 */
export function createAwsPorts(options: AwsPortsOptions): AwsPorts {
  const names = resourceNames(options.customerId);
  const { region } = options;
  const clients: AwsClients = {
    dynamodb: options.clients?.dynamodb ?? new DynamoDBClient({ region }),
    sqs: options.clients?.sqs ?? new SQSClient({ region }),
    kms: options.clients?.kms ?? new KMSClient({ region }),
    secretsManager: options.clients?.secretsManager ?? new SecretsManagerClient({ region }),
    s3: options.clients?.s3 ?? new S3Client({ region }),
  };
  const now = options.now ?? Date.now;
  const doc = documentClient(clients.dynamodb);
  const payloads = createS3PayloadStore({ client: clients.s3, bucket: options.payloadBucket });
  const state = { doc, tableName: options.stateTable ?? names.stateTable, payloads };
  const history = { doc, tableName: options.auditTable ?? names.auditTable, payloads };
  const queue = (url: string | undefined, name: string) =>
    createSqsQueue({ client: clients.sqs, queue: url === undefined ? { name } : { url }, payloads });
  return {
    cursors: createDynamoCursorStore(state),
    lease: createDynamoLease(state, now),
    ledger: createDynamoLedger(state),
    audit: createDynamoAuditLog(history),
    runs: createDynamoRunStore(history),
    secrets: createSecretsManagerStore({
      client: clients.secretsManager,
      secretIds: { workday: names.workdaySecret, procore: names.procoreSecret, ...options.secretIds },
      now,
      ...(options.secretMaxAgeMs === undefined ? {} : { maxAgeMs: options.secretMaxAgeMs }),
    }),
    tokens: createKmsTokenCache({
      table: state,
      kms: clients.kms,
      keyId: options.tokenKeyId ?? names.keyAlias,
      customerId: options.customerId,
    }),
    taxIds: createKmsTaxIdSealer({
      kms: clients.kms,
      keyId: options.taxIdKeyId ?? names.keyAlias,
      customerId: options.customerId,
    }),
    records: queue(options.recordsQueueUrl, names.recordsQueue),
    writes: queue(options.writesQueueUrl, names.writesQueue),
    payloads,
    clients,
  };
}
