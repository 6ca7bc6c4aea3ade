import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Names, key, redrive threshold and visibility of a queue and its DLQ. */
export interface QueueWithDlqProps {
  queueName: string;
  deadLetterQueueName: string;
  key: kms.IKey;
  /** Deliveries before SQS moves a message to the DLQ: the customer's `retry.maxAttempts`. */
  maxReceiveCount: number;
  /** At least six times the consuming function's timeout (checked where the function subscribes). */
  visibilityTimeout: Duration;
}

// SQS's largest message; bigger payloads fail loudly at send rather than being cut.
const MAX_MESSAGE_BYTES = 1024 * 1024;
const RETENTION = Duration.days(14);

/** A queue that always brings its DLQ, both encrypted with the customer's key and reachable over TLS only. */
export class QueueWithDlq extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const problems = [
      ...(Number.isInteger(props.maxReceiveCount) && props.maxReceiveCount >= 1
        ? []
        : ['maxReceiveCount must be a whole number ≥ 1']),
      ...(props.visibilityTimeout.toSeconds() <= 43_200 ? [] : ['visibilityTimeout must be at most 12 hours']),
    ];
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
    this.visibilityTimeout = props.visibilityTimeout;
    // By ARN from the fixed name: referencing the queue itself would make a cycle CloudFormation rejects.
    const source = sqs.Queue.fromQueueArn(
      this,
      'Source',
      Stack.of(this).formatArn({ service: 'sqs', resource: props.queueName }),
    );
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: props.deadLetterQueueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: RETENTION,
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      // What the console's "Start DLQ redrive" needs: redrive back to the source queue.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: [source] },
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless::Serverless-SQSRedrivePolicy',
      reason:
        'It is the DLQ: its messages wait for a person (alarmed at depth > 0) and are redriven to the source queue, not onwards',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: RETENTION,
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
