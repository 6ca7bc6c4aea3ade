import * as z from 'zod';
import { ConfigError, ValidationError } from '../shared/errors';

const name = z.string().min(1);
const queueUrl = z.url({ error: 'must be a queue URL' });

/** What every function's environment holds; secrets never, only their names. */
const common = {
  /** The customer config file: the config layer's `/opt/<customerId>.json`, or a path relative to the task root. */
  CUSTOMER_CONFIG: name,
  LAMBDA_TASK_ROOT: z.string().optional(),
  AWS_REGION: name,
  AUDIT_TABLE: name,
  /** The bucket payloads too big for a message or an item go to (claim checks). */
  PAYLOAD_BUCKET: name,
  POWERTOOLS_SERVICE_NAME: name.default('ml-connector'),
};

/** The poller's environment: the records queue, the Workday secret, the token key, the key tax IDs are sealed with. */
export const pollerEnv = z.object({
  ...common,
  STATE_TABLE: name,
  RECORDS_QUEUE_URL: queueUrl,
  WORKDAY_SECRET_ID: name,
  TOKEN_KEY_ID: name,
  TAX_ID_KEY_ID: name,
});
/** The mapper's environment: the queue it consumes and the one it feeds. */
export const mapperEnv = z.object({
  ...common,
  STATE_TABLE: name,
  RECORDS_QUEUE_URL: queueUrl,
  WRITES_QUEUE_URL: queueUrl,
});
/**
 * The writer's environment: its queue, the records queue (a newest version written again), the Procore secret,
 * the token key, the key that opens sealed tax IDs.
 */
export const writerEnv = z.object({
  ...common,
  STATE_TABLE: name,
  RECORDS_QUEUE_URL: queueUrl,
  WRITES_QUEUE_URL: queueUrl,
  PROCORE_SECRET_ID: name,
  TOKEN_KEY_ID: name,
  TAX_ID_KEY_ID: name,
});
/** The replay function's environment: the records queue (replay reads and writes no state). */
export const replayEnv = z.object({ ...common, RECORDS_QUEUE_URL: queueUrl });

/** What every function's environment holds, parsed. */
export type CommonEnv = z.output<z.ZodObject<typeof common>>;

/** Parses a function's environment once, at cold start; one ConfigError lists every missing or bad variable. */
export function loadEnv<T>(schema: z.ZodType<T>, env: Record<string, string | undefined> = process.env): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    'the function environment',
    parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: env[String(issue.path[0])] === undefined ? 'not set' : issue.message,
    })),
  );
}

/** Parses an event a function was invoked with; a bad one is a ValidationError naming each path. */
export function parseEvent<T>(schema: z.ZodType<T>, event: unknown, what: string): T {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    what,
    parsed.error.issues.map((issue) => ({ path: ['$', ...issue.path.map(String)].join('.'), message: issue.message })),
  );
}
