import * as z from 'zod';
import { ValidationError } from '../shared/errors';
import { workdayRecordSchema } from '../workday/records';

/** A polled record on its way to the mapper. */
export const recordMessageSchema = z.strictObject({
  v: z.literal(1),
  runId: z.string().min(1),
  key: z.string().min(1),
  record: workdayRecordSchema,
  rawHash: z.string().min(1),
  mappingVersion: z.string().min(1),
  /** When the poll read this version; absent on messages sent before versions were stamped (read as older). */
  seenAt: z.iso.datetime().optional(),
  /** Set when the record waits for a dependency (a PO line not synced yet): not an attempt. */
  parkedSince: z.iso.datetime().optional(),
  parks: z.number().int().nonnegative().optional(),
});
export type RecordMessage = z.infer<typeof recordMessageSchema>;

/** Parses one of our own queue bodies; a bad body is a ValidationError naming the message. */
export function parseMessage<T>(schema: z.ZodType<T>, body: string, messageId: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError(`message ${messageId}`, [{ path: '$', message: 'body is not JSON' }], { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      `message ${messageId}`,
      parsed.error.issues.map((i) => ({ path: ['$', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
