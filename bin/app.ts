import { App } from 'aws-cdk-lib';
import { loadCustomers } from '../lambdas/config/customers';
import { addCustomerStacks, addNagChecks } from '../lib/app';

// One stack per customer config in the `customers` context directory; CI synthesises `-c customers=examples/customers`.
// CDK's own CloudFormation schema validation takes most of a synth; test/infra/nag.test.ts runs it with cdk-nag
// on every change, and CloudFormation validates again at deploy, so `cdk synth` keeps only cdk-nag.
const app = new App({ builtinCloudFormationValidation: false });
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
