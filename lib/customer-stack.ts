import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { resourceNames } from '../lambdas/config/names';
import type { CustomerConfig } from '../lambdas/config/schema';
import { Credentials } from './constructs/credentials';
import { CustomerConfigLayer } from './constructs/customer-config-layer';
import { CustomerKey } from './constructs/customer-key';
import { Monitoring } from './constructs/monitoring';
import { PayloadBucket } from './constructs/payload-bucket';
import { PipelineFunction } from './constructs/pipeline-function';
import { QueueWithDlq } from './constructs/queue-with-dlq';
import { StateTables } from './constructs/state-tables';
import { SyncSchedule } from './constructs/sync-schedule';

/** The customer's validated config and the file it came from. */
export interface CustomerStackProps extends StackProps {
  config: CustomerConfig;
  /** The validated config file, shipped to every function in a layer. */
  configPath: string;
}

const SERVICE = 'ml-connector';
const TIMEOUT = {
  poller: Duration.minutes(15),
  mapper: Duration.minutes(1),
  writer: Duration.minutes(5),
  replay: Duration.minutes(1),
};
/** How long each event source gathers a batch; part of the visibility a message needs. */
const BATCH_WINDOW = { mapper: Duration.seconds(5), writer: Duration.seconds(10) };

/** One customer's connector: its key, secrets, tables, queues, the four functions, the schedule, alarms and dashboard. */
export class CustomerStack extends Stack {
  readonly functions: Record<'poller' | 'mapper' | 'writer' | 'replay', PipelineFunction>;

  constructor(scope: Construct, id: string, props: CustomerStackProps) {
    super(scope, id, { description: `ml-connector: Workday → Procore for ${props.config.customerId}`, ...props });
    const { config, configPath } = props;
    const { customerId } = config;
    const names = resourceNames(customerId);
    const key = new CustomerKey(this, 'Key', { customerId, alias: names.keyAlias });
    const credentials = new Credentials(this, 'Credentials', {
      customerId,
      key: key.key,
      workdaySecretName: names.workdaySecret,
      procoreSecretName: names.procoreSecret,
    });
    const payloads = new PayloadBucket(this, 'Payloads', { key: key.key }).bucket;
    const tables = new StateTables(this, 'Tables', {
      key: key.key,
      stateTableName: names.stateTable,
      auditTableName: names.auditTable,
    });
    const queue = (queueId: string, queueName: string, deadLetterQueueName: string, consumer: 'mapper' | 'writer') =>
      new QueueWithDlq(this, queueId, {
        queueName,
        deadLetterQueueName,
        key: key.key,
        maxReceiveCount: config.retry.maxAttempts,
        visibilityTimeout: Duration.seconds(6 * TIMEOUT[consumer].toSeconds() + BATCH_WINDOW[consumer].toSeconds()),
      });
    const records = queue('Records', names.recordsQueue, names.recordsDlq, 'mapper');
    const writes = queue('Writes', names.writesQueue, names.writesDlq, 'writer');

    const shipped = new CustomerConfigLayer(this, 'Config', { customerId, configPath });
    const fn = (handler: keyof typeof TIMEOUT, description: string, memorySize?: number, retryAttempts?: number) =>
      new PipelineFunction(this, `${handler[0]?.toUpperCase()}${handler.slice(1)}`, {
        handler,
        description: `ml-connector ${customerId}: ${description}`,
        config: shipped,
        timeout: TIMEOUT[handler],
        serviceName: SERVICE,
        ...(memorySize === undefined ? {} : { memorySize }),
        ...(retryAttempts === undefined ? {} : { retryAttempts }),
        ...(handler === 'replay' ? { functionName: names.replayFunction } : {}),
      });
    // No Lambda retries of a failed poll: the next scheduled one is its retry.
    const poller = fn('poller', 'polls Workday onto the records queue', 1024, 0);
    const pollFailure =
      'a failed poll loses nothing: cursors move only past enqueued data, the next scheduled poll reads again, and Errors alarm';
    poller.noDeadLetterTarget(pollFailure);
    Validations.of(poller).acknowledge({
      id: 'Serverless::Serverless-LambdaAsyncFailureDestination',
      reason: pollFailure,
    });
    poller.useTable(
      'STATE_TABLE',
      tables.state,
      ['GetItem', 'BatchGetItem', 'PutItem', 'BatchWriteItem', 'DeleteItem', 'Query'],
      ['unsynced'],
    );
    poller.useTable('AUDIT_TABLE', tables.audit, ['PutItem', 'BatchWriteItem']);
    poller.sendTo('RECORDS_QUEUE_URL', records.queue);
    poller.usePayloads('PAYLOAD_BUCKET', payloads);
    // The poller writes back the refresh token Workday rotates.
    poller.useSecret('WORKDAY_SECRET_ID', credentials.workday, 'readWrite');
    poller.sealTokens('TOKEN_KEY_ID', key.key, customerId);
    // The poller seals the EIN/ABN it reads; only the writer opens them, for the Procore vendor call.
    poller.sealTaxIds('TAX_ID_KEY_ID', key.key, customerId, 'seal');

    const mapper = fn('mapper', 'maps records to Procore commands');
    mapper.useTable('STATE_TABLE', tables.state, ['GetItem', 'PutItem', 'BatchWriteItem']);
    mapper.useTable('AUDIT_TABLE', tables.audit, ['PutItem', 'BatchWriteItem']);
    mapper.sendTo('RECORDS_QUEUE_URL', records.queue);
    mapper.sendTo('WRITES_QUEUE_URL', writes.queue);
    mapper.usePayloads('PAYLOAD_BUCKET', payloads);
    mapper.consume(records, { batchSize: 25, maxBatchingWindow: BATCH_WINDOW.mapper });
    // The event source's grant opens the customer key without a condition, and the mapper reads the state table and
    // the records queue, where tokens and tax IDs are sealed: it must not open those (their encryption context names
    // the customer).
    mapper.addToRolePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['kms:Decrypt'],
        resources: [key.key.keyArn],
        conditions: { Null: { 'kms:EncryptionContext:customerId': 'false' } },
      }),
    );

    const writer = fn('writer', 'writes commands to Procore');
    writer.useTable('STATE_TABLE', tables.state, ['GetItem', 'PutItem', 'BatchWriteItem', 'DeleteItem']);
    // Query and the records queue: a newest version that an older one overtook in Procore is enqueued again.
    writer.useTable('AUDIT_TABLE', tables.audit, ['Query', 'PutItem', 'BatchWriteItem']);
    writer.sendTo('RECORDS_QUEUE_URL', records.queue);
    writer.sendTo('WRITES_QUEUE_URL', writes.queue);
    writer.usePayloads('PAYLOAD_BUCKET', payloads);
    writer.useSecret('PROCORE_SECRET_ID', credentials.procore, 'read');
    writer.sealTokens('TOKEN_KEY_ID', key.key, customerId);
    writer.sealTaxIds('TAX_ID_KEY_ID', key.key, customerId, 'open');
    // Two at a time (the SQS event source's minimum): Procore's rate limit is per company.
    writer.consume(writes, { batchSize: 25, maxBatchingWindow: BATCH_WINDOW.writer, maxConcurrency: 2 });

    const replay = fn('replay', 're-enqueues records from the audit trail');
    replay.noDeadLetterTarget('invoked synchronously by an operator (the CLI or the console), who sees the error');
    replay.useTable('AUDIT_TABLE', tables.audit, ['Query', 'PutItem', 'BatchWriteItem'], ['byLatestOutcome']);
    replay.sendTo('RECORDS_QUEUE_URL', records.queue);
    replay.usePayloads('PAYLOAD_BUCKET', payloads);

    const schedule = new SyncSchedule(this, 'Schedule', {
      customerId,
      rateMinutes: config.schedule.rateMinutes,
      poller,
      key,
      deadLetterQueueName: names.scheduleDlq,
    });
    this.functions = { poller, mapper, writer, replay };

    const monitoring = new Monitoring(this, 'Monitoring', {
      customerId,
      serviceName: SERVICE,
      rateMinutes: config.schedule.rateMinutes,
      alarmEmail: config.alarmEmail,
      key: key.key,
      functions: this.functions,
      queues: { Records: records.queue, Writes: writes.queue },
      deadLetterQueues: {
        Records: records.deadLetterQueue,
        Writes: writes.deadLetterQueue,
        Schedule: schedule.deadLetterQueue,
      },
    });

    new CfnOutput(this, 'ReplayFunction', {
      value: replay.functionName,
      description: 'invoke with {"key"} or {"status","since"}',
    });
    new CfnOutput(this, 'AlarmTopic', { value: monitoring.topic.topicArn });
    new CfnOutput(this, 'Dashboard', { value: monitoring.dashboard.dashboardName });
  }
}
