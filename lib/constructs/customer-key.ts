import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Whose key, and its alias. */
export interface CustomerKeyProps {
  customerId: string;
  alias: string;
}

/** The customer's own KMS key: rotated yearly, retained (tables and secrets outlive the stack), usable by alarms. */
export class CustomerKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: `ml-connector ${props.customerId}: tables, queues, secrets, payloads, alarm topic, token cache, tax IDs`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      // Retained tables and backups stay readable only while their key exists.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the alarm topic, which this key encrypts (the statement SNS documents for it).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToTheAlarmTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
  }

  /** Lets the scheduler's role put undeliverable invocations on its DLQ, which this key encrypts. */
  allowSchedulerDeadLetters(role: iam.IRole): void {
    const { region } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SchedulerSendsToItsDeadLetterQueue',
        principals: [role],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } },
      }),
    );
  }
}
