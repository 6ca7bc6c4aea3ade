import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueMessage } from '../../../lambdas/ports';
import { REGION } from './emulators';

/** Receives up to `max` messages with every system attribute (ApproximateReceiveCount among them). */
export async function receive(
  client: SQSClient,
  url: string,
  max: number,
  visibilitySeconds?: number,
): Promise<Message[]> {
  const out = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: 0,
      ...(visibilitySeconds === undefined ? {} : { VisibilityTimeout: visibilitySeconds }),
      // local-aws-sqs reads the older AttributeNames; SQS itself the newer name.
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return out.Messages ?? [];
}

/** Messages, not yet received or in flight or delayed, in a queue. */
export async function queueDepth(client: SQSClient, url: string): Promise<number> {
  const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  const n = (
    name:
      | 'ApproximateNumberOfMessages'
      | 'ApproximateNumberOfMessagesNotVisible'
      | 'ApproximateNumberOfMessagesDelayed',
  ) => Number(out.Attributes?.[name] ?? 0);
  return (
    n('ApproximateNumberOfMessages') +
    n('ApproximateNumberOfMessagesNotVisible') +
    n('ApproximateNumberOfMessagesDelayed')
  );
}

function toQueueMessage(m: Message): QueueMessage {
  return {
    id: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
  };
}

/**
 * The consumer side of a queue as the port contract drives it. The contract names messages by id (the
 * local queue's receipt handle is its id), so this keeps each id's latest SQS receipt handle.
 */
export function createContractConsumer(client: SQSClient, url: string, dlqUrl: string) {
  const handles = new Map<string, string>();
  const handleOf = (idOrHandle: string) => handles.get(idOrHandle) ?? idOrHandle;
  return {
    handleOf,
    async receive(max: number, visibilitySeconds: number): Promise<QueueMessage[]> {
      const messages = (await receive(client, url, max, visibilitySeconds)).map(toQueueMessage);
      for (const m of messages) handles.set(m.id, m.receiptHandle);
      return messages;
    },
    async delete(id: string): Promise<void> {
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handleOf(id) }));
    },
    async deadLetters(): Promise<QueueMessage[]> {
      // A peek: received with no visibility timeout, so they stay available (and may come twice).
      const seen = new Map((await receive(client, dlqUrl, 10, 0)).map((m) => [m.MessageId, toQueueMessage(m)]));
      return [...seen.values()];
    },
  };
}

/** SQS messages in the exact shape Lambda's event source hands a function. */
export function toSqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        attributes: {
          ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
          SenderId: m.Attributes?.SenderId ?? 'AIDAEMULATOR',
          ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: REGION,
      }),
    ),
  };
}

/** A Lambda context whose clock runs out `timeoutMs` after the invocation starts. */
export function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:111111111111:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'emulated',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** One SQS-triggered function as its event source mapping sees it. */
export interface EventSource {
  name: string;
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  timeoutMs: number;
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
}

/** What one emulated invocation got and reported. */
export interface Invocation {
  source: string;
  size: number;
  failures: number;
  threw: boolean;
  /** The message bodies the function was given, as SQS delivered them. */
  bodies: string[];
}

/**
 * Lambda's SQS event source, in the test: receive a batch, invoke the function, delete what it did not
 * report as failed (nothing when it throws); failures come back after their visibility timeout, and SQS
 * moves them to the DLQ past maxReceiveCount. Runs until every queue is empty, or fails after `limitMs`.
 */
export async function drainEventSources(
  sources: readonly EventSource[],
  options: { limitMs: number; onInvoke?: (invocation: Invocation) => void },
): Promise<void> {
  const until = Date.now() + options.limitMs;
  for (;;) {
    let delivered = false;
    for (const source of sources) {
      const messages = await receive(source.client, source.queueUrl, source.batchSize);
      if (messages.length === 0) continue;
      delivered = true;
      let failed = new Set<string>(messages.map((m) => m.MessageId ?? ''));
      let threw = false;
      try {
        const result = await source.handler(
          toSqsEvent(messages, source.queueArn),
          lambdaContext(source.name, source.timeoutMs),
        );
        failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        threw = true;
      }
      const bodies = messages.map((m) => m.Body ?? '');
      options.onInvoke?.({ source: source.name, size: messages.length, failures: failed.size, threw, bodies });
      const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
      if (done.length > 0) {
        await source.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: source.queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    }
    if (delivered) continue;
    const depths = await Promise.all(sources.map((s) => queueDepth(s.client, s.queueUrl)));
    if (depths.every((d) => d === 0)) return;
    if (Date.now() > until) throw new Error(`queues not drained after ${options.limitMs} ms: ${depths.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
