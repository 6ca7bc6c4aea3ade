import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { PAYLOAD_PREFIX } from '../../config/names';
import { parseJsonOrUndefined } from '../../shared/json';

/**
 * Claim checks: a payload too big for an SQS message (a batch of 25 must fit Lambda's 6 MB event) or a
 * DynamoDB item (400 KB, after gzip) goes to the customer's payload bucket, and the message or item carries
 * where it is. The reference names its bucket, so a reader (a function, the CLI) needs no configuration.
 */
export const payloadRefSchema = z.strictObject({ bucket: z.string().min(1), key: z.string().min(1) });
export type PayloadRef = z.infer<typeof payloadRefSchema>;

/** Messages larger than this travel as a claim check: 25 of them stay under Lambda's 6 MB event payload. */
export const MAX_INLINE_MESSAGE_BYTES = 200 * 1024;

export interface PayloadStore {
  /** Stores `text` (content-addressed, so a retried put is the same object) and says where. */
  put(text: string, what: string): Promise<PayloadRef>;
  get(ref: PayloadRef): Promise<string>;
}

/** A payload the store cannot keep or give back, named by what it belongs to. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

/** The payload store on S3; without `bucket` it only reads (what the CLI needs). */
export function createS3PayloadStore(options: { client: S3Client; bucket?: string | undefined }): PayloadStore {
  const { client, bucket } = options;
  return {
    async put(text, what) {
      if (bucket === undefined) {
        throw new PayloadError(`${what} is too big to store inline, and no payload bucket is configured`);
      }
      const key = `${PAYLOAD_PREFIX}${createHash('sha256').update(text).digest('hex')}.json`;
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }),
      );
      return { bucket, key };
    },
    async get(ref) {
      const out = await client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if (out.Body === undefined) throw new PayloadError(`s3://${ref.bucket}/${ref.key} has no body`);
      return out.Body.transformToString('utf8');
    },
  };
}

const claimCheckBody = z.strictObject({ claimCheck: payloadRefSchema });

/** The message body to send: the body itself, or a claim check once it is too big for a message. */
export async function toMessageBody(payloads: PayloadStore | undefined, body: string, what: string): Promise<string> {
  if (payloads === undefined || Buffer.byteLength(body) <= MAX_INLINE_MESSAGE_BYTES) return body;
  return JSON.stringify({ claimCheck: await payloads.put(body, what) });
}

/**
 * The event with every claim-check body replaced by the payload it names. A payload that cannot be read
 * fails the invocation, so the whole batch comes back later rather than any record being misread.
 */
export async function withClaimedBodies(event: SQSEvent, payloads: PayloadStore): Promise<SQSEvent> {
  const records = await Promise.all(
    event.Records.map(async (record) => {
      if (!record.body.startsWith('{"claimCheck"')) return record;
      const claim = claimCheckBody.safeParse(parseJsonOrUndefined(record.body));
      if (!claim.success) return record;
      return { ...record, body: await payloads.get(claim.data.claimCheck) };
    }),
  );
  return { ...event, Records: records };
}
