import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Customer } from '../lambdas/config/customers';
import { resourceNames } from '../lambdas/config/names';
import { CustomerStack } from './customer-stack';

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
