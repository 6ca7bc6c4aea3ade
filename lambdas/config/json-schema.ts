import * as z from 'zod';
import { customerConfigSchema } from './schema';

/** Repo-relative path of the generated JSON Schema that example configs reference through `$schema`. */
export const CUSTOMER_CONFIG_SCHEMA_FILE = 'customer-config.schema.json';

/** The customer config as a JSON Schema for editors: input shape, so keys with defaults are optional. */
export function customerConfigJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(customerConfigSchema, { io: 'input' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'ml-connector customer config',
    description:
      'One customer of the Workday → Procore connector: schedule, Workday tenant, Procore company and mapping rules. ' +
      'Credentials never go here. Generated from lambdas/config/schema.ts by `npm run schema`; do not edit.',
    ...rest,
  };
}

/** The exact text of customer-config.schema.json: 2-space JSON and a final newline. */
export function renderCustomerConfigJsonSchema(): string {
  return `${JSON.stringify(customerConfigJsonSchema(), null, 2)}\n`;
}
