import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { BatchResult, QueueMessage } from '../ports';
import { stopsTheRun } from '../shared/errors';

/** Handles one delivered message; resolves true when the message must be delivered again. */
export type MessageHandler = (message: QueueMessage) => Promise<boolean>;

class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

/** The three facts a stage needs from an SQS record. */
export function fromSqsRecord(record: SQSRecord): QueueMessage {
  return {
    id: record.messageId,
    receiptHandle: record.receiptHandle,
    body: record.body,
    receiveCount: Number.parseInt(record.attributes.ApproximateReceiveCount, 10) || 1,
  };
}

/** Local queue messages in the shape Lambda's SQS event source delivers, so both run one code path. */
export function toSqsEvent(
  messages: readonly QueueMessage[],
  queueArn = 'arn:aws:sqs:local:000000000000:local',
): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.id,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'local',
    })),
  };
}

/**
 * Runs a batch through Powertools' partial-batch processing, one record at a time (writes to one
 * Procore project must not race), and answers the ids to deliver again. A failure that stops the run
 * (refused credentials) is not one record's: the records after it are not tried, and it is rethrown so
 * the whole batch fails and comes back (on AWS a failed invocation, counted by the Errors alarm).
 */
export async function processBatch(event: SQSEvent, handle: MessageHandler): Promise<BatchResult> {
  const processor = new BatchProcessor(EventType.SQS);
  let stop: unknown;
  const result = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      if (stop !== undefined) throw new RetryLater(record.messageId);
      try {
        if (await handle(fromSqsRecord(record))) throw new RetryLater(record.messageId);
      } catch (error) {
        if (stopsTheRun(error)) stop = error;
        throw error;
      }
    },
    processor,
    { processInParallel: false, throwOnFullBatchFailure: false },
  );
  if (stop !== undefined) throw stop;
  return result;
}
