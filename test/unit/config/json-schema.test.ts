import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_CONFIG_SCHEMA_FILE, renderCustomerConfigJsonSchema } from '../../../lambdas/config/json-schema';

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

// Enough of JSON Schema to catch an example that drifts from the shipped schema (no ajv in the dependencies).
function violations(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if (schema.anyOf) {
    return schema.anyOf.some((option) => violations(option, value, path).length === 0)
      ? []
      : [`${path}: no anyOf match`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: not in enum`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
      const entries = Object.entries(value);
      const missing = (schema.required ?? []).filter((key) => !(key in value)).map((key) => `${path}.${key}: missing`);
      return missing.concat(
        entries.flatMap(([key, child]) => {
          const property = schema.properties?.[key];
          if (property) return violations(property, child, `${path}.${key}`);
          if (schema.additionalProperties === false) return [`${path}.${key}: not allowed`];
          if (typeof schema.additionalProperties === 'object') {
            return violations(schema.additionalProperties, child, `${path}.${key}`);
          }
          return [];
        }),
      );
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      return value.flatMap((item, index) => (schema.items ? violations(schema.items, item, `${path}[${index}]`) : []));
    case 'string':
      if (typeof value !== 'string') return [`${path}: not a string`];
      return schema.pattern && !new RegExp(schema.pattern).test(value) ? [`${path}: pattern`] : [];
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) {
        return [`${path}: not a ${schema.type}`];
      }
      if (schema.minimum !== undefined && value < schema.minimum) return [`${path}: below minimum`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${path}: above maximum`];
      return [];
    case 'null':
      return value === null ? [] : [`${path}: not null`];
    default:
      return [];
  }
}

async function examples(): Promise<[string, Record<string, unknown>][]> {
  const files = (await readdir('examples/customers')).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(
      async (file): Promise<[string, Record<string, unknown>]> => [
        file,
        JSON.parse(await readFile(`examples/customers/${file}`, 'utf8')),
      ],
    ),
  );
}

describe('customer-config.schema.json', () => {
  it('matches what `npm run schema` generates from the zod schema now', async () => {
    const onDisk = await readFile(CUSTOMER_CONFIG_SCHEMA_FILE, 'utf8');

    expect(onDisk, 'run `npm run schema` and commit the result').toBe(renderCustomerConfigJsonSchema());
  });

  it('has a title, a description and leaves defaulted keys optional', () => {
    const schema: JsonSchema & { title?: string; description?: string } = JSON.parse(renderCustomerConfigJsonSchema());

    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
    expect(schema.properties?.workday?.required).not.toContain('pageSize');
    expect(schema.required).not.toContain('retry');
  });

  it('is referenced by, and accepts, every shipped example', async () => {
    const schema: JsonSchema = JSON.parse(renderCustomerConfigJsonSchema());
    const found = await examples();

    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const [file, example] of found) {
      expect(example.$schema, file).toBe(`../../${CUSTOMER_CONFIG_SCHEMA_FILE}`);
      expect(Object.keys(schema.properties ?? {}), file).toEqual(expect.arrayContaining(Object.keys(example)));
      expect(violations(schema, example), file).toEqual([]);
    }
  });

  it('rejects an example with a misspelt key (the structural check has teeth)', async () => {
    const schema: JsonSchema = JSON.parse(renderCustomerConfigJsonSchema());
    const [[, example] = ['', {}]] = await examples();

    expect(violations(schema, { ...example, schedul: {} })).toEqual(['$.schedul: not allowed']);
  });
});
