import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AwsPorts, createAwsPorts } from '../../lambdas/adapters/aws';
import { loadCustomers } from '../../lambdas/config/customers';
import { type ResourceNames, resourceNames } from '../../lambdas/config/names';
import type { CustomerConfig } from '../../lambdas/config/schema';
import { createProcoreClient } from '../../lambdas/procore/client';
import { createDispatcher } from '../../lambdas/shared/dispatcher';
import { sleep } from '../../lambdas/shared/http';
import { createWorkdayClient } from '../../lambdas/workday/client';
import { type AwsTarget, UsageError } from '../command';
import { humanOutput, type Io } from '../io';
import type { ReportSource } from './report-run';
import { cliLogger } from './session';

/** A customer's deployed stack as a command reaches it: its names, region and ports over default SDK clients. */
export interface AwsSession {
  customerId: string;
  region: string;
  names: ResourceNames;
  ports: AwsPorts;
  /** Human output: stdout, or stderr under `--json`. */
  out: (text: string) => void;
  tty: boolean;
}

// What AWS answers when the stack (a table, a queue, a secret, the function) is not there.
const NOT_DEPLOYED = new Set([
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);

/**
 * Runs `work` against the stack of `target.customerId`. Credentials, region and endpoints come the standard
 * AWS way (environment, profile); the resources are found by the names the stack gives them. A missing
 * resource is bad usage: that customer has no stack in that region.
 */
export async function withAwsSession<T>(
  target: AwsTarget,
  io: Io,
  json: boolean,
  work: (session: AwsSession) => Promise<T>,
): Promise<T> {
  const region = await regionOf(io);
  const names = resourceNames(target.customerId);
  const ports = createAwsPorts({ customerId: target.customerId, region });
  try {
    return await work({
      customerId: target.customerId,
      region,
      names,
      ports,
      out: humanOutput(io, json),
      tty: io.isTTY && !json,
    });
  } catch (error) {
    if (error instanceof Error && NOT_DEPLOYED.has(error.name)) {
      throw new UsageError(
        `customer ${target.customerId} has no deployed stack ${names.stack} in ${region} (${error.message}): check AWS_REGION and the account, or deploy it with \`npx cdk deploy ${names.stack}\``,
        { cause: error },
      );
    }
    throw error;
  } finally {
    for (const client of Object.values(ports.clients)) client.destroy();
  }
}

async function regionOf(io: Io): Promise<string> {
  const named = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (named !== undefined && named !== '') return named;
  // Else the profile's region (~/.aws/config), as the AWS CLI would use it.
  const probe = new DynamoDBClient({});
  try {
    return await probe.config.region();
  } catch {
    throw new UsageError(
      'no AWS region: set AWS_REGION (or a region in your AWS profile) to the region the stack is deployed in',
    );
  } finally {
    probe.destroy();
  }
}

/**
 * The config `cdk deploy` shipped for `customerId`: the customers directory of the CDK app in the working
 * directory (cdk.json's `customers` context, else `customers/`), the same files the stack was built from.
 */
export async function deployedConfig(customerId: string, io: Io): Promise<CustomerConfig> {
  const dir = resolve(io.cwd, await customersDir(io.cwd));
  const customers = await loadCustomers(dir);
  const found = customers.find((c) => c.config.customerId === customerId);
  if (found === undefined) {
    throw new UsageError(
      `no config for customer ${customerId} in ${dir} (the directory \`cdk deploy\` reads): run this from the CDK app's directory`,
    );
  }
  return found.config;
}

async function customersDir(cwd: string): Promise<string> {
  try {
    const cdk = JSON.parse(await readFile(join(cwd, 'cdk.json'), 'utf8')) as { context?: { customers?: unknown } };
    const dir = cdk.context?.customers;
    return typeof dir === 'string' ? dir : 'customers';
  } catch {
    return 'customers';
  }
}

/**
 * Workday and Procore as the deployed functions reach them: the stack's secrets, its token cache (so the
 * operator shares the functions' tokens, and a rotated Workday refresh token is written back), and its ledger.
 */
export async function withAwsClients<T>(
  aws: AwsSession,
  config: CustomerConfig,
  io: Io,
  work: (source: ReportSource) => Promise<T>,
): Promise<T> {
  const dispatcher = createDispatcher();
  const now = Date.now;
  const common = {
    secrets: aws.ports.secrets,
    tokens: aws.ports.tokens,
    env: {},
    dispatcher,
    logger: cliLogger(io),
    now,
    sleep,
  };
  try {
    return await work({
      config,
      now,
      ledger: aws.ports.ledger,
      workday: createWorkdayClient({ config: config.workday, invoiceStatuses: config.invoices.statuses, ...common }),
      procore: createProcoreClient({ config: config.procore, ...common }),
    });
  } finally {
    await dispatcher.close();
  }
}
