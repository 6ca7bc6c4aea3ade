import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadCustomerConfig } from '../lambdas/config/loader';
import type { CustomerConfig } from '../lambdas/config/schema';
import { CustomerStack } from './customer-stack';
import { resourceNames } from './names';

/** A validated customer config and the file it came from. */
export interface Customer {
  config: CustomerConfig;
  path: string;
}

/** The `.json` configs in `dir`, each validated (one ConfigError lists every problem of a bad file). */
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

/** One stack per customer, named `MlConnector-<customerId>`, all in `env`. */
export function addCustomerStacks(
  app: App,
  customers: readonly Customer[],
  env: Required<Pick<Environment, 'account' | 'region'>>,
): CustomerStack[] {
  return customers.map(
    ({ config, path }) =>
      new CustomerStack(app, resourceNames(config.customerId).stack, { config, configPath: path, env }),
  );
}

/** cdk-nag's AWS Solutions and Serverless packs: synthesis fails on any finding not acknowledged beside its resource. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
}
