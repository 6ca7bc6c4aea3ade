import type { SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { parseEvent } from './env';

// Lenient where Lambda may add fields; strict on what the stages read.
const sqsRecord = z.object({
  messageId: z.string().min(1),
  receiptHandle: z.string().min(1),
  body: z.string(),
  attributes: z.looseObject({
    ApproximateReceiveCount: z.string().regex(/^\d+$/),
    SentTimestamp: z.string(),
    SenderId: z.string(),
    ApproximateFirstReceiveTimestamp: z.string(),
  }),
  messageAttributes: z.record(
    z.string(),
    z.object({
      dataType: z.string(),
      stringValue: z.string().optional(),
      binaryValue: z.string().optional(),
      stringListValues: z.array(z.string()).optional(),
      binaryListValues: z.array(z.string()).optional(),
    }),
  ),
  md5OfBody: z.string(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string().min(1),
  awsRegion: z.string().min(1),
});

const sqsEvent = z.object({ Records: z.array(sqsRecord).min(1) });

/** The SQS event an event source mapping delivers, validated; message bodies are the stages' to parse. */
export function parseSqsEvent(event: unknown): SQSEvent {
  return parseEvent(sqsEvent, event, 'SQS event');
}
