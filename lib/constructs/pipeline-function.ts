import { type Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource, type SqsEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { PAYLOAD_PREFIX } from '../../lambdas/config/names';
import { type HandlerName, handlerBundles } from '../bundle';
import type { CustomerConfigLayer } from './customer-config-layer';
import type { QueueWithDlq } from './queue-with-dlq';

type Service = 'dynamodb' | 'sqs' | 'secretsmanager' | 's3';

// What each service asks of KMS on the caller's behalf for what the functions do with it.
const KEY_ACTIONS_VIA: Record<Service, string[]> = {
  dynamodb: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
  sqs: ['kms:Decrypt', 'kms:GenerateDataKey'],
  secretsmanager: ['kms:Decrypt', 'kms:GenerateDataKey'],
  s3: ['kms:Decrypt', 'kms:GenerateDataKey'],
};

/** Which handler, how long it may run, and the config it reads. */
export interface PipelineFunctionProps {
  handler: HandlerName;
  description: string;
  /** The customer config, shipped in a layer. */
  config: CustomerConfigLayer;
  timeout: Duration;
  memorySize?: number;
  /** Every function logs and emits metrics under this service name. */
  serviceName: string;
  /** Lambda's own retries of a failed asynchronous invocation; default Lambda's (2). */
  retryAttempts?: number;
  /** A fixed name, for a function operators invoke by name (`replay --aws`); default generated. */
  functionName?: string;
}

/**
 * The house Lambda function: nodejs22.x on arm64, one minified ESM bundle with source maps (the same for every
 * customer), the customer config layer, X-Ray tracing, its own log group with retention, and a role that starts
 * empty; the bind helpers below add one environment variable and exactly the permissions its use needs.
 */
export class PipelineFunction extends lambda.Function {
  private readonly usesKeyVia = new Set<Service>();

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Not the managed basic-execution policy: writing to its own log group is all the function may do by default.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ml-connector ${props.handler}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      code: lambda.Code.fromAsset(handlerBundles().dirs[props.handler]),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.retryAttempts === undefined ? {} : { retryAttempts: props.retryAttempts }),
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      role,
      layers: [props.config.layer],
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        CUSTOMER_CONFIG: props.config.path,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource ARN; every other statement names its resources',
    });
    const runtime =
      'nodejs22.x is the runtime the connector is built and tested for (README, "Development"); it moves to nodejs24.x with the toolchain, not with the linter';
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-L1', reason: runtime },
      { id: 'Serverless::Serverless-LambdaLatestVersion', reason: runtime },
    );
  }

  /** Records why this function needs no dead-letter target of its own (it depends on how it is invoked). */
  noDeadLetterTarget(reason: string): void {
    Validations.of(this).acknowledge({ id: 'Serverless::Serverless-LambdaDLQ', reason });
  }

  /** Names `table` in `variable` and allows exactly `actions` on it (and on the named indexes). */
  useTable(
    variable: string,
    table: dynamodb.TableV2,
    actions: readonly string[],
    indexes: readonly string[] = [],
  ): void {
    this.addEnvironment(variable, table.tableName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn, ...indexes.map((i) => `${table.tableArn}/index/${i}`)],
      }),
    );
    this.useKeyVia('dynamodb', table.encryptionKey);
  }

  /** Names `queue` in `variable` and allows sending to it. */
  sendTo(variable: string, queue: sqs.IQueue): void {
    this.addEnvironment(variable, queue.queueUrl);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.useKeyVia('sqs', queue.encryptionMasterKey);
  }

  /**
   * Subscribes to `source` with partial batch failures. Its visibility timeout must cover six of this function's
   * timeouts plus the batching window, so a message is never redelivered while an invocation still works on it.
   */
  consume(source: QueueWithDlq, options: Omit<SqsEventSourceProps, 'reportBatchItemFailures'>): void {
    const visibility = source.visibilityTimeout.toSeconds();
    const needed = 6 * (this.timeout?.toSeconds() ?? 3) + (options.maxBatchingWindow?.toSeconds() ?? 0);
    if (visibility < needed) {
      throw new Error(
        `${source.node.path}: visibility timeout ${visibility} s is below the ${needed} s ${this.node.id} needs`,
      );
    }
    this.addEventSource(new SqsEventSource(source.queue, { ...options, reportBatchItemFailures: true }));
    Validations.of(this).acknowledge({
      id: 'Serverless::Serverless-LambdaEventSourceMappingDestination',
      reason:
        "SQS event sources take no on-failure destination: a message that keeps failing moves to the queue's own DLQ after maxReceiveCount",
    });
    this.noDeadLetterTarget(
      "invoked by its SQS event source only: failed messages go to the queue's DLQ, not to a function DLQ",
    );
  }

  /** Names the payload bucket in `variable` and allows putting and getting claim-checked payloads, and nothing else in it. */
  usePayloads(variable: string, bucket: s3.Bucket): void {
    this.addEnvironment(variable, bucket.bucketName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [bucket.arnForObjects(`${PAYLOAD_PREFIX}*`)],
      }),
    );
    this.useKeyVia('s3', bucket.encryptionKey);
    const bucketId = Stack.of(this).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    if (this.role !== undefined) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${PAYLOAD_PREFIX}*]`,
        reason:
          "Claim-checked payloads are named by their content hash, unknown until written; the grant is get and put under the payloads/ prefix of this customer's bucket only",
      });
    }
  }

  /** Names `secret` in `variable` and allows reading it, and writing it when the function rotates it. */
  useSecret(variable: string, secret: secretsmanager.Secret, access: 'read' | 'readWrite'): void {
    this.addEnvironment(variable, secret.secretArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:GetSecretValue',
          ...(access === 'readWrite' ? ['secretsmanager:PutSecretValue'] : []),
        ],
        resources: [secret.secretArn],
      }),
    );
    this.useKeyVia('secretsmanager', secret.encryptionKey);
  }

  /**
   * Names the key in `variable` and allows sealing and opening cached tokens, only under this customer's encryption
   * context for a token (not a tax ID's).
   */
  sealTokens(variable: string, key: kms.IKey, customerId: string): void {
    this.addEnvironment(variable, key.keyArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: {
            'kms:EncryptionContext:customerId': customerId,
            'kms:EncryptionContext:token': ['workday', 'procore'],
          },
        },
      }),
    );
  }

  /**
   * Names the key in `variable` and allows sealing tax IDs (the poller) or opening them (the writer), only under this
   * customer's tax ID encryption context.
   */
  sealTaxIds(variable: string, key: kms.IKey, customerId: string, use: 'seal' | 'open'): void {
    this.addEnvironment(variable, key.keyArn);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [use === 'seal' ? 'kms:Encrypt' : 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:EncryptionContext:customerId': customerId, 'kms:EncryptionContext:purpose': 'taxId' },
        },
      }),
    );
  }

  // The customer key, only through the service that encrypts with it.
  private useKeyVia(service: Service, key: kms.IKey | undefined): void {
    if (key === undefined || this.usesKeyVia.has(service)) return;
    this.usesKeyVia.add(service);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: KEY_ACTIONS_VIA[service],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
