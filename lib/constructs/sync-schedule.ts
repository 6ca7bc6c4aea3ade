import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CustomerKey } from './customer-key';

/** Whose schedule, how often, what it invokes, and its key and DLQ name. */
export interface SyncScheduleProps {
  customerId: string;
  rateMinutes: number;
  poller: lambda.IFunction;
  key: CustomerKey;
  deadLetterQueueName: string;
}

/** Deliveries of one poll the scheduler retries before giving up on it and parking it in its DLQ. */
const RETRY_ATTEMPTS = 2;

/**
 * EventBridge Scheduler invoking the poller with `{customerId}` at the customer's rate; an invocation it
 * cannot deliver is retried, then kept in a DLQ of its own. A poll older than one period is dropped: the next
 * one supersedes it.
 */
export class SyncSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SyncScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: props.deadLetterQueueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-SQS3',
        reason: "It is the schedule target's DLQ (EventBridge Scheduler's, not a queue's redrive target)",
      },
      {
        id: 'Serverless::Serverless-SQSRedrivePolicy',
        reason:
          'It is a DLQ: an undelivered poll waits there for a person (alarmed at depth > 0); the next scheduled poll supersedes it',
      },
    );
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `ml-connector ${props.customerId} schedule`,
    });
    props.key.allowSchedulerDeadLetters(this.role);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `ml-connector: poll Workday for ${props.customerId}`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(props.rateMinutes)),
      key: props.key.key,
      target: new targets.LambdaInvoke(props.poller, {
        input: scheduler.ScheduleTargetInput.fromObject({ customerId: props.customerId }),
        role: this.role,
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: Duration.minutes(Math.min(props.rateMinutes, 24 * 60)),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    const poller = props.poller.node.defaultChild;
    if (!(poller instanceof CfnElement)) throw new Error(`${props.poller.node.path} has no CloudFormation resource`);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(poller)}.Arn>:*]`,
      reason:
        "CDK's invoke grant also names the function's versions and aliases (`<arn>:*`); the role can invoke only the poller",
    });
  }
}
