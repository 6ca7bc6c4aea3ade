import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { type Customer, loadCustomers } from '../../../lambdas/config/customers';
import { addCustomerStacks, addNagChecks } from '../../../lib/app';
import type { CustomerStack } from '../../../lib/customer-stack';

/** The example customers' directory. */
export const EXAMPLES = new URL('../../../examples/customers', import.meta.url).pathname;
/** The placeholder environment every test stack lives in. */
export const TEST_ENV = { account: '111111111111', region: 'us-east-1' };

/** The feature flags `cdk synth` runs with (cdk.json), so tests build the same templates. */
const cdkContext = (
  JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** A built app, its stacks, and where it synthesizes. */
export interface TestApp {
  app: App;
  stacks: CustomerStack[];
  outdir: string;
}

/**
 * The CDK app as `bin/app.ts` builds it, for the example customers (or `customers`). Bundling is skipped unless
 * asked for; CDK's own CloudFormation validation only runs when asked (its engine takes seconds to start).
 */
export async function buildTestApp(
  options: { customers?: Customer[]; bundle?: boolean; nag?: boolean; cloudFormationValidation?: boolean } = {},
): Promise<TestApp> {
  const outdir = mkdtempSync(join(tmpdir(), 'mlc-cdk-'));
  const app = new App({
    outdir,
    context: { ...cdkContext, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const stacks = addCustomerStacks(app, options.customers ?? (await loadCustomers(EXAMPLES)), TEST_ENV);
  if (options.nag) addNagChecks(app);
  return { app, stacks, outdir };
}
