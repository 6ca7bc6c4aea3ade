import { App } from 'aws-cdk-lib';
import { loadCustomers } from '../lambdas/config/customers';
import { addCustomerStacks, addNagChecks } from '../lib/app';

// One stack per customer config in the `customers` context directory; CI synthesises `-c customers=examples/customers`.
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const customers = await loadCustomers(context('customers') ?? 'customers');
// Offline synth needs no account: a placeholder is fine until `cdk deploy` supplies the real one.
const env = {
  account: context('account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
  region: context('region') ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
};
addCustomerStacks(app, customers, env);
addNagChecks(app);
app.synth();
