import { writeFile } from 'node:fs/promises';
import { CUSTOMER_CONFIG_SCHEMA_FILE, renderCustomerConfigJsonSchema } from '../lambdas/config/json-schema';

// Regenerates the JSON Schema at the repo root; a unit test fails when the committed file drifts from the zod schema.
const target = new URL(`../${CUSTOMER_CONFIG_SCHEMA_FILE}`, import.meta.url);
await writeFile(target, renderCustomerConfigJsonSchema());
console.log(`wrote ${CUSTOMER_CONFIG_SCHEMA_FILE}`);
