import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadCustomerConfig } from './loader';
import type { CustomerConfig } from './schema';

/** A validated customer config and the file it came from. */
export interface Customer {
  config: CustomerConfig;
  path: string;
}

/**
 * The `.json` configs in `dir`, each validated (one ConfigError lists every problem of a bad file): what
 * `cdk deploy` deploys, and where the CLI finds a deployed customer's config.
 */
export async function loadCustomers(dir: string): Promise<Customer[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    throw new Error(`cannot read the customer configs in ${dir}: put one <customerId>.json per customer there`, {
      cause: error,
    });
  }
  if (files.length === 0) throw new Error(`no customer config (*.json) in ${dir}`);
  const customers = await Promise.all(
    files.map(async (file) => {
      const path = resolve(dir, file);
      return { config: await loadCustomerConfig(path), path };
    }),
  );
  const seen = new Map<string, string>();
  for (const { config, path } of customers) {
    const other = seen.get(config.customerId);
    if (other !== undefined) throw new Error(`${path} and ${other} both configure customer ${config.customerId}`);
    seen.set(config.customerId, path);
  }
  return customers;
}
