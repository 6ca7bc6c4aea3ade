import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Queue } from '../../ports';
import { sleep as realSleep } from '../../shared/http';
import { forEachLimit } from './concurrency';
import { type PayloadStore, toMessageBody } from './payloads';

/** SQS's limits: entries per SendMessageBatch, bytes per message and per batch, delay and visibility caps. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_DELAY_SECONDS = 900;
const MAX_VISIBILITY_SECONDS = 43_200;
const PARALLEL_BATCHES = 4;

/** The SQS client and queue the adapter sends to. */
export interface SqsQueueOptions {
  client: SQSClient;
  /** The queue URL, or its name (looked up once with GetQueueUrl). */
  queue: { url: string } | { name: string };
  /** Sends of entries SQS reports as failed through no fault of ours; default 5. */
  maxAttempts?: number;
  /** Where bodies too big for a message go (claim check); without it they are sent as they are. */
  payloads?: PayloadStore | undefined;
  sleep?: (ms: number) => Promise<void>;
}

/** Approximate message counts of a queue, as SQS reports them. */
export interface SqsQueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** The Queue port on SQS, plus its depth for `status`. */
export interface SqsQueue extends Queue {
  url(): Promise<string>;
  depth(): Promise<SqsQueueDepth>;
}

/** A failed send that retrying cannot fix, or that kept failing. */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
}

/**
 * SendMessageBatch in batches of ten (and of at most 1 MiB), resending only the entries SQS reports as
 * failed, with backoff; a body too big for Lambda's event goes to the payload store as a claim check;
 * `retryLater` is ChangeMessageVisibility, the backoff of a received message.
 */
export function createSqsQueue(options: SqsQueueOptions): SqsQueue {
  const { client } = options;
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 5;
  let resolved: Promise<string> | undefined;
  const url = () => {
    const { queue } = options;
    if ('url' in queue) return Promise.resolve(queue.url);
    resolved ??= client.send(new GetQueueUrlCommand({ QueueName: queue.name })).then((out) => {
      if (out.QueueUrl === undefined) throw new Error(`queue ${queue.name} has no URL`);
      return out.QueueUrl;
    });
    return resolved;
  };

  const sendBatch = async (queueUrl: string, entries: SendMessageBatchRequestEntry[]) => {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      const failed = out.Failed ?? [];
      if (failed.length === 0) return;
      const ours = failed.filter((f) => f.SenderFault);
      if (ours.length > 0 || attempt >= maxAttempts) {
        const detail = failed.map((f) => `${f.Code}${f.Message ? `: ${f.Message}` : ''}`).join('; ');
        throw new QueueSendError(
          `SQS refused ${failed.length} of ${entries.length} messages to ${queueUrl}: ${detail}`,
        );
      }
      const retry = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => retry.has(e.Id));
      await sleep(100 * 2 ** (attempt - 1));
    }
  };

  return {
    url,
    async send(bodies, delaySeconds = 0) {
      if (bodies.length === 0) return;
      const queueUrl = await url();
      const ready = await Promise.all(
        bodies.map((body, index) => toMessageBody(options.payloads, body, `message ${index} to ${queueUrl}`)),
      );
      const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(delaySeconds)));
      const batches: SendMessageBatchRequestEntry[][] = [];
      let batch: SendMessageBatchRequestEntry[] = [];
      let bytes = 0;
      for (const [index, body] of ready.entries()) {
        const size = Buffer.byteLength(body);
        if (size > MAX_BATCH_BYTES) {
          throw new QueueSendError(`message ${index} is ${size} bytes, above SQS's limit of ${MAX_BATCH_BYTES}`);
        }
        if (batch.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
          batches.push(batch);
          batch = [];
          bytes = 0;
        }
        batch.push({ Id: String(index), MessageBody: body, ...(delay > 0 ? { DelaySeconds: delay } : {}) });
        bytes += size;
      }
      batches.push(batch);
      await forEachLimit(batches, PARALLEL_BATCHES, (entries) => sendBatch(queueUrl, entries));
    },
    async retryLater(receiptHandle, delaySeconds) {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await url(),
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(delaySeconds))),
        }),
      );
    },
    async depth() {
      const out = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: await url(),
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      const n = (name: QueueAttributeName) => Number(out.Attributes?.[name] ?? 0);
      return {
        visible: n('ApproximateNumberOfMessages'),
        inFlight: n('ApproximateNumberOfMessagesNotVisible'),
        delayed: n('ApproximateNumberOfMessagesDelayed'),
      };
    },
  };
}
