import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { type AwsPorts, createAwsPorts } from '../adapters/aws';
import { createTelemetry, type LambdaLogger, type Telemetry } from '../adapters/aws/observability';
import { parseCustomerConfig } from '../config/loader';
import type { CustomerConfig } from '../config/schema';
import { mappingVersion } from '../mapping';
import type { SettleDeps } from '../pipeline/settle';
import type { Clock } from '../ports';
import type { RetryPolicy } from '../shared/http';
import type { CommonEnv } from './env';

/** Stop starting work this long before Lambda's timeout, leaving time to checkpoint, settle and answer. */
const DEADLINE_MARGIN_MS = 20_000;

/**
 * Retries inside one invocation only smooth over blips; the long-horizon retry is SQS redelivery with the
 * customer's backoff, so these stay short and leave the Lambda deadline alone.
 */
export const IN_FUNCTION_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5_000 };

/** Everything one function builds once per container: config, telemetry, ports. */
export interface HandlerRuntime {
  config: CustomerConfig;
  mappingVersion: string;
  telemetry: Telemetry;
  logger: LambdaLogger;
  ports: AwsPorts;
  now: Clock;
  /** What the settle step of every stage needs, with outcomes counted as metrics. */
  settleDeps: SettleDeps;
}

type RuntimeEnv = CommonEnv & {
  STATE_TABLE?: string;
  RECORDS_QUEUE_URL?: string;
  WRITES_QUEUE_URL?: string;
  WORKDAY_SECRET_ID?: string;
  PROCORE_SECRET_ID?: string;
  TOKEN_KEY_ID?: string;
  TAX_ID_KEY_ID?: string;
};

/** Reads the bundled customer config and builds the function's ports over default SDK clients. */
export function openHandlerRuntime(env: RuntimeEnv): HandlerRuntime {
  const path = resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), env.CUSTOMER_CONFIG);
  const config = parseCustomerConfig(JSON.parse(readFileSync(path, 'utf8')), path);
  const telemetry = createTelemetry({ customerId: config.customerId, serviceName: env.POWERTOOLS_SERVICE_NAME });
  const now: Clock = () => Date.now();
  const ports = createAwsPorts({
    customerId: config.customerId,
    region: env.AWS_REGION,
    ...(env.STATE_TABLE === undefined ? {} : { stateTable: env.STATE_TABLE }),
    auditTable: env.AUDIT_TABLE,
    payloadBucket: env.PAYLOAD_BUCKET,
    ...(env.RECORDS_QUEUE_URL === undefined ? {} : { recordsQueueUrl: env.RECORDS_QUEUE_URL }),
    ...(env.WRITES_QUEUE_URL === undefined ? {} : { writesQueueUrl: env.WRITES_QUEUE_URL }),
    secretIds: {
      ...(env.WORKDAY_SECRET_ID === undefined ? {} : { workday: env.WORKDAY_SECRET_ID }),
      ...(env.PROCORE_SECRET_ID === undefined ? {} : { procore: env.PROCORE_SECRET_ID }),
    },
    ...(env.TOKEN_KEY_ID === undefined ? {} : { tokenKeyId: env.TOKEN_KEY_ID }),
    ...(env.TAX_ID_KEY_ID === undefined ? {} : { taxIdKeyId: env.TAX_ID_KEY_ID }),
    now,
  });
  const logger = telemetry.logger;
  return {
    config,
    mappingVersion: mappingVersion(config),
    telemetry,
    logger,
    ports,
    now,
    settleDeps: { config, ledger: ports.ledger, audit: telemetry.countOutcomes(ports.audit), logger, now },
  };
}

/** Epoch ms by which the invocation must be wrapping up. */
export function deadlineOf(context: Context, now: Clock): number {
  return now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
}

/** A run id that sorts by start time, as the local runtime makes them: `20260301T120000000Z-1a2b3c4d`. */
export function newRunId(now: Clock): string {
  return `${new Date(now()).toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
}
