import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RETENTION_DAYS, PAYLOAD_PREFIX, resourceNames, TABLE_LAYOUT } from '../../lambdas/config/names';
import type { CustomerStack } from '../../lib/customer-stack';
import { buildTestApp, TEST_ENV } from '../helpers/aws/cdk-app';

type Json = Record<string, unknown>;

let stacks: CustomerStack[];
let template: Template;
const names = resourceNames('acme-builders');

/** The logical id of the one resource of `type` whose properties match. */
function idOf(type: string, properties: Json): string {
  const found = Object.keys(template.findResources(type, { Properties: properties }));
  if (found.length !== 1)
    throw new Error(`expected one ${type} matching ${JSON.stringify(properties)}, found ${found.length}`);
  return found[0] ?? '';
}
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const functionId = (handler: string) =>
  idOf('AWS::Lambda::Function', { Description: Match.stringLikeRegexp(`acme-builders: ${handler}`) });

/** Every statement of the function's role policies. */
function statementsOf(fnId: string): Json[] {
  const role = template.toJSON().Resources[fnId].Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
}
const actionsOf = (statements: Json[]) => statements.flatMap((s) => [s.Action].flat() as string[]);

beforeAll(async () => {
  ({ stacks } = await buildTestApp());
  const acme = stacks.find((s) => s.stackName === names.stack);
  if (!acme) throw new Error('no acme-builders stack');
  template = Template.fromStack(acme);
});

describe('the CDK app', () => {
  it('makes one stack per example customer, named after it, in an explicit environment', () => {
    expect(stacks.map((s) => s.stackName).sort()).toEqual([
      'MlConnector-acme-builders',
      'MlConnector-summit-contracting',
    ]);
    for (const stack of stacks) expect({ account: stack.account, region: stack.region }).toEqual(TEST_ENV);
  });
});

describe('CustomerStack: encryption and data', () => {
  it('has one rotated, retained key whose policy lets CloudWatch publish alarms and the scheduler use its DLQ', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: names.keyAlias });
    const scheduleRole = idOf('AWS::IAM::Role', { Description: 'ml-connector acme-builders schedule' });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
          Match.objectLike({
            Principal: { AWS: arnOf(scheduleRole) },
            Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
          }),
        ]),
      },
    });
  });

  it('keeps payloads in a private, TLS-only bucket under the key, expiring with the audit trail', () => {
    const key = idOf('AWS::KMS::Key', {});
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(key) } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: AUDIT_RETENTION_DAYS, Status: 'Enabled' })]),
        },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('creates the Workday and Procore secrets under the key, with no value in the template', () => {
    const key = idOf('AWS::KMS::Key', {});
    for (const name of [names.workdaySecret, names.procoreSecret]) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: name,
        KmsKeyId: arnOf(key),
        GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'unset' },
        SecretString: Match.absent(),
      });
    }
  });

  it("keeps state and audit tables under the key, with PITR, TTL on audit, the adapters' indexes, retained", () => {
    const key = idOf('AWS::KMS::Key', {});
    const tables = [
      { name: names.stateTable, layout: TABLE_LAYOUT.state, ttl: Match.absent() },
      { name: names.auditTable, layout: TABLE_LAYOUT.audit, ttl: { AttributeName: 'expiresAt', Enabled: true } },
    ];
    for (const { name, layout, ttl } of tables) {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          TableName: name,
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          TimeToLiveSpecification: ttl,
          GlobalSecondaryIndexes: Object.entries(layout.indexes).map(([IndexName, index]) => ({
            IndexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: index.projection },
          })),
          Replicas: [
            Match.objectLike({
              Region: 'us-east-1',
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
              SSESpecification: { KMSMasterKeyId: arnOf(key) },
              DeletionProtectionEnabled: true,
            }),
          ],
        },
      });
    }
  });
});

describe('CustomerStack: queues', () => {
  it('gives each stage queue a DLQ after retry.maxAttempts deliveries, all under the key', () => {
    const key = idOf('AWS::KMS::Key', {});
    for (const [queue, dlq] of [
      [names.recordsQueue, names.recordsDlq],
      [names.writesQueue, names.writesDlq],
    ] as const) {
      const dlqId = idOf('AWS::SQS::Queue', { QueueName: dlq });
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue,
        KmsMasterKeyId: arnOf(key),
        RedrivePolicy: { deadLetterTargetArn: arnOf(dlqId), maxReceiveCount: 5 },
      });
      // Redrive back to the source queue, by its ARN from the fixed name (no reference cycle).
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: dlq,
        KmsMasterKeyId: arnOf(key),
        RedriveAllowPolicy: {
          redrivePermission: 'byQueue',
          sourceQueueArns: [`arn:aws:sqs:us-east-1:111111111111:${queue}`],
        },
      });
    }
  });

  it('allows every queue over TLS only', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(5);
    for (const id of queues) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('subscribes mapper and writer with partial batch failures, the writer two at a time, visibility ≥ 6 × timeout + window', () => {
    const resources = template.toJSON().Resources as Record<string, Json & { Properties: Json }>;
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0] as string;
      const fnId = mapping.Properties.FunctionName.Ref as string;
      const visibility = resources[queueId]?.Properties.VisibilityTimeout as number;
      const timeout = resources[fnId]?.Properties.Timeout as number;
      const window = (mapping.Properties.MaximumBatchingWindowInSeconds as number | undefined) ?? 0;
      expect(visibility).toBeGreaterThanOrEqual(6 * timeout + window);
    }
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('writes') },
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });
});

describe('CustomerStack: functions', () => {
  it('runs the four handlers on the house function: nodejs22.x, arm64, tracing, JSON logs to a retained-for-90-days group, the config layer', () => {
    const layer = idOf('AWS::Lambda::LayerVersion', {});
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: ['nodejs22.x'],
      CompatibleArchitectures: ['arm64'],
    });
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(4);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Layers: [{ Ref: layer }],
        Environment: {
          Variables: { CUSTOMER_CONFIG: '/opt/acme-builders.json', NODE_OPTIONS: '--enable-source-maps' },
        },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
      expect(template.toJSON().Resources[logGroup].Type).toBe('AWS::Logs::LogGroup');
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('polls Workday'),
      Timeout: 900,
      MemorySize: 1024,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('polls') },
      MaximumRetryAttempts: 0,
    });
  });

  it('grants each function only what it touches', () => {
    const secretActions = (fn: string) =>
      statementsOf(functionId(fn)).filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
    const workday = idOf('AWS::SecretsManager::Secret', { Name: names.workdaySecret });
    const procore = idOf('AWS::SecretsManager::Secret', { Name: names.procoreSecret });
    expect(secretActions('polls')).toEqual([
      expect.objectContaining({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        Resource: { Ref: workday },
      }),
    ]);
    expect(secretActions('writes')).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: procore } }),
    ]);
    expect(secretActions('maps')).toEqual([]);
    expect(secretActions('re-enqueues')).toEqual([]);

    // Claim checks: every function reads and writes payloads, under the prefix only, with the bucket named in its environment.
    const bucket = idOf('AWS::S3::Bucket', {});
    for (const fn of ['polls', 'maps', 'writes', 're-enqueues']) {
      const id = functionId(fn);
      const onBucket = statementsOf(id).filter((s) => JSON.stringify(s.Resource).includes(`"${bucket}"`));
      expect(onBucket).toEqual([
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: { 'Fn::Join': ['', [arnOf(bucket), `/${PAYLOAD_PREFIX}*`]] },
        }),
      ]);
      expect(template.toJSON().Resources[id].Properties.Environment.Variables.PAYLOAD_BUCKET).toEqual({ Ref: bucket });
    }
    expect(template.toJSON().Resources[functionId('re-enqueues')].Properties.FunctionName).toBe(names.replayFunction);

    const tokenStatement = expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:Encrypt'],
      Condition: {
        StringEquals: {
          'kms:EncryptionContext:customerId': 'acme-builders',
          'kms:EncryptionContext:token': ['workday', 'procore'],
        },
      },
    });
    for (const fn of ['polls', 'writes']) expect(statementsOf(functionId(fn))).toContainEqual(tokenStatement);
    for (const fn of ['maps', 're-enqueues']) expect(statementsOf(functionId(fn))).not.toContainEqual(tokenStatement);
    // Tax IDs: sealed by the poller, opened by the writer, under their own context.
    const taxIdStatement = (action: string) =>
      expect.objectContaining({
        Action: action,
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:customerId': 'acme-builders',
            'kms:EncryptionContext:purpose': 'taxId',
          },
        },
      });
    expect(statementsOf(functionId('polls'))).toContainEqual(taxIdStatement('kms:Encrypt'));
    expect(statementsOf(functionId('writes'))).toContainEqual(taxIdStatement('kms:Decrypt'));
    for (const fn of ['polls', 'maps', 're-enqueues'])
      expect(statementsOf(functionId(fn))).not.toContainEqual(taxIdStatement('kms:Decrypt'));
    for (const fn of ['polls', 'writes']) {
      const variables = template.toJSON().Resources[functionId(fn)].Properties.Environment.Variables;
      expect(variables.TAX_ID_KEY_ID).toEqual(variables.TOKEN_KEY_ID);
    }

    const state = idOf('AWS::DynamoDB::GlobalTable', { TableName: names.stateTable });
    const onState = (fn: string) =>
      actionsOf(statementsOf(functionId(fn)).filter((s) => JSON.stringify(s.Resource).includes(`"${state}"`)));
    expect(onState('re-enqueues')).toEqual([]);
    expect(onState('maps').sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem']);
    for (const fn of ['polls', 'maps', 'writes', 're-enqueues']) {
      const actions = actionsOf(statementsOf(functionId(fn)));
      expect(actions.filter((a) => a.includes('*') || a === 'dynamodb:Scan')).toEqual([]);
    }
    // No managed policy (AWSLambdaBasicExecutionRole or other): each role holds only the statements above.
    for (const role of Object.values(template.findResources('AWS::IAM::Role')))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("keeps every function policy inside its own stack: no other customer's table, queue, key or secret", () => {
    for (const stack of stacks) {
      const own = Template.fromStack(stack).toJSON();
      const other = stacks.find((s) => s !== stack)?.stackName.replace('MlConnector-', '') ?? '';
      for (const policy of Object.values(own.Resources as Record<string, Json & { Type: string; Properties: Json }>)) {
        if (policy.Type !== 'AWS::IAM::Policy') continue;
        const text = JSON.stringify(policy.Properties.PolicyDocument);
        expect(text).not.toContain('Fn::ImportValue');
        expect(text).not.toContain(other);
        const referenced = [...text.matchAll(/"(?:Ref|Fn::GetAtt)":\s*\[?"([A-Za-z0-9]+)"/g)].map((m) => m[1] ?? '');
        for (const id of referenced) expect(own.Resources).toHaveProperty(id);
      }
    }
  });
});

describe('CustomerStack: schedule and alarms', () => {
  it("polls at the customer's rate with a retry policy, a max event age and a DLQ of its own", () => {
    const dlq = idOf('AWS::SQS::Queue', { QueueName: names.scheduleDlq });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(30 minutes)',
      State: 'ENABLED',
      KmsKeyArn: arnOf(idOf('AWS::KMS::Key', {})),
      Target: {
        Arn: arnOf(functionId('polls')),
        Input: '{"customerId":"acme-builders"}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 },
        DeadLetterConfig: { Arn: arnOf(dlq) },
      },
    });
  });

  it("mails the customer's alarm address through a topic under the key", () => {
    const topic = idOf('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(idOf('AWS::KMS::Key', {})) });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@acme.example',
      TopicArn: { Ref: topic },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('alarms on every DLQ, queue age, function errors and throttles, a missing heartbeat, quarantine and 429 storms', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
    const on = (metric: string) => alarms.filter((a) => a.MetricName === metric);
    expect(on('ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    for (const dlq of [names.recordsDlq, names.writesDlq, names.scheduleDlq]) {
      const id = idOf('AWS::SQS::Queue', { QueueName: dlq });
      expect(on('ApproximateNumberOfMessagesVisible')).toContainEqual(
        expect.objectContaining({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        }),
      );
    }
    expect(on('ApproximateAgeOfOldestMessage')).toHaveLength(2);
    expect(on('Errors')).toHaveLength(4);
    expect(on('Throttles')).toHaveLength(4);
    const dimensions = [
      { Name: 'customerId', Value: 'acme-builders' },
      { Name: 'service', Value: 'ml-connector' },
    ];
    expect(on('PollHeartbeat')).toEqual([
      expect.objectContaining({
        Namespace: 'MlConnector',
        Dimensions: dimensions,
        Statistic: 'Sum',
        Period: 1800,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      }),
    ]);
    expect(on('RecordsQuarantined')).toEqual([expect.objectContaining({ Dimensions: dimensions, Threshold: 0 })]);
    expect(on('ProcoreThrottled')).toEqual([
      expect.objectContaining({
        Dimensions: dimensions,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 16);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
