import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceNames } from '../../lambdas/config/names';
import { buildTestApp } from '../helpers/aws/cdk-app';

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}
interface Synthesized {
  customerId: string;
  template: Json & { Resources: Record<string, { Type: string; Properties?: Json }> };
}

// The two example customers, synthesized as `cdk synth -c customers=examples/customers` does.
const CUSTOMERS = ['acme-builders', 'summit-contracting'] as const;
let stacks: Synthesized[];

beforeAll(async () => {
  const app = await buildTestApp();
  stacks = CUSTOMERS.map((customerId) => {
    const stack = app.stacks.find((s) => s.stackName === resourceNames(customerId).stack);
    if (!stack) throw new Error(`no stack for ${customerId}`);
    return { customerId, template: Template.fromStack(stack).toJSON() as Synthesized['template'] };
  });
});

/** What a function's role may point a statement at: its own stack's data, queues, secrets, key, logs and poller. */
const OWN_RESOURCE_TYPES = new Set([
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SecretsManager::Secret',
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
  'AWS::Logs::LogGroup',
  'AWS::Lambda::Function',
]);
// Actions AWS accepts only on `*`, each allowed only under the condition that scopes it.
const WILDCARD_ONLY: Record<string, (condition: Statement['Condition']) => boolean> = {
  'xray:PutTraceSegments': () => true,
  'xray:PutTelemetryRecords': () => true,
  'cloudwatch:PutMetricData': (condition) => typeof condition?.StringEquals?.['cloudwatch:namespace'] === 'string',
};
// What may follow an own resource's ARN: a table index, a bucket's objects, a function's versions.
const ARN_SUFFIX = /^(\/index\/[\w.-]+|\/\*|\/[\w./-]+\*?|:\*)$/;

/** The statements of a policy document, whatever is there. */
function statementsIn(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
  return statements === undefined ? [] : Array.isArray(statements) ? statements : [statements];
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every identity-policy statement in the template, with the policy it came from. */
function identityStatements(template: Synthesized['template']): { policy: string; statement: Statement }[] {
  const found: { policy: string; statement: Statement }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    const documents =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [props.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? list(props.Policies as Json[] | undefined).map((p) => p.PolicyDocument)
          : [];
    for (const document of documents) {
      for (const statement of list((document as Json | undefined)?.Statement as Statement[] | undefined)) {
        found.push({ policy: id, statement });
      }
    }
  }
  return found;
}

/** The logical id a resource entry points at (`Ref`, `Fn::GetAtt` or a `Fn::Join` starting with one), else why not. */
function pointsAt(resource: unknown): { id: string } | { problem: string } {
  if (typeof resource === 'string') return { problem: `literal resource ${resource}` };
  const entry = resource as Json;
  if (typeof entry.Ref === 'string') return { id: entry.Ref };
  const getAtt = entry['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return getAtt[1] === 'Arn' ? { id: getAtt[0] } : { problem: `GetAtt ${getAtt[1]}` };
  const join = entry['Fn::Join'] as [string, unknown[]] | undefined;
  if (join && join[0] === '' && join[1].length === 2 && typeof join[1][1] === 'string') {
    if (!ARN_SUFFIX.test(join[1][1])) return { problem: `ARN suffix ${join[1][1]}` };
    return pointsAt(join[1][0]);
  }
  return { problem: `unrecognised resource ${JSON.stringify(resource)}` };
}

/** Every way a statement reaches beyond the customer's own resources, in words; empty when scoped. */
function scopingProblems(customerId: string, template: Synthesized['template']): string[] {
  const problems: string[] = [];
  for (const { policy, statement } of identityStatements(template)) {
    const where = `${customerId} ${policy} ${JSON.stringify(statement.Action)}`;
    if (statement.Principal !== undefined) problems.push(`${where}: names a principal`);
    for (const resource of list(statement.Resource)) {
      if (resource === '*') {
        for (const action of list(statement.Action)) {
          const allowed = WILDCARD_ONLY[action];
          if (!allowed?.(statement.Condition)) problems.push(`${where}: ${action} on * (without its condition)`);
        }
        continue;
      }
      const target = pointsAt(resource);
      if ('problem' in target) {
        problems.push(`${where}: ${target.problem}`);
        continue;
      }
      const type = template.Resources[target.id]?.Type;
      if (type === undefined) problems.push(`${where}: ${target.id} is not in this stack`);
      else if (!OWN_RESOURCE_TYPES.has(type)) problems.push(`${where}: ${target.id} is a ${type}`);
    }
  }
  return problems;
}

describe('per-customer isolation of the synthesized stacks', () => {
  it('synthesizes one stack per example customer', () => {
    expect(stacks.map((s) => s.customerId)).toEqual([...CUSTOMERS]);
  });

  it('scopes every identity-policy statement to the customer’s own resources, `*` only where AWS requires it', () => {
    for (const { customerId, template } of stacks) {
      expect(identityStatements(template).length).toBeGreaterThan(20);
      expect(scopingProblems(customerId, template)).toEqual([]);
    }
  });

  it('would catch a statement on `*`, on a literal ARN of another customer, or on a resource of another stack', () => {
    const [acme] = stacks;
    if (!acme) throw new Error('no stack');
    const doctored = structuredClone(acme.template);
    const other = resourceNames('summit-contracting');
    doctored.Resources.Doctored = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' },
            {
              Effect: 'Allow',
              Action: 'secretsmanager:GetSecretValue',
              Resource: `arn:aws:secretsmanager:us-east-1:111111111111:secret:${other.procoreSecret}`,
            },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::ImportValue': 'SummitRecordsQueueArn' } },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['NotInThisStack', 'Arn'] } },
          ],
        },
      },
    };
    expect(scopingProblems(acme.customerId, doctored)).toHaveLength(4);
  });

  it('grants actions on services by name only, never `service:*` or `*`', () => {
    for (const { customerId, template } of stacks) {
      for (const { policy, statement } of identityStatements(template)) {
        for (const action of list(statement.Action)) {
          expect(action, `${customerId} ${policy}`).toMatch(/^[a-z0-9-]+:[A-Za-z]+\*?$/);
          expect(action.endsWith(':*'), `${customerId} ${policy} ${action}`).toBe(false);
        }
      }
    }
  });

  it('lets KMS be used directly only under the customer’s own encryption context, else only through its services', () => {
    for (const { customerId, template } of stacks) {
      for (const { policy, statement } of identityStatements(template)) {
        const actions = list(statement.Action);
        if (!actions.some((a) => a.startsWith('kms:'))) continue;
        const context = statement.Condition?.StringEquals?.['kms:EncryptionContext:customerId'];
        const via = statement.Condition?.StringEquals?.['kms:ViaService'];
        const where = `${customerId} ${policy} ${JSON.stringify(actions)}`;
        if (actions.includes('kms:Encrypt') && via === undefined) expect(context, where).toBe(customerId);
        if (context !== undefined) expect(context, where).toBe(customerId);
        if (typeof via === 'string')
          expect(via, where).toMatch(/^(dynamodb|sqs|secretsmanager|s3)\.us-east-1\.amazonaws\.com$/);
      }
    }
  });

  it('never names another customer anywhere in a template, and names its own physical resources after itself', () => {
    for (const { customerId, template } of stacks) {
      const text = JSON.stringify(template);
      for (const other of CUSTOMERS.filter((c) => c !== customerId)) expect(text).not.toContain(other);
      expect(text).not.toContain('Fn::ImportValue');
      const names = resourceNames(customerId);
      const physical = Object.values(template.Resources).flatMap((r) =>
        ['TableName', 'QueueName', 'Name', 'AliasName', 'FunctionName']
          .map((key) => r.Properties?.[key])
          .filter((v): v is string => typeof v === 'string'),
      );
      expect(physical).toEqual(
        expect.arrayContaining([names.stateTable, names.auditTable, names.recordsQueue, names.workdaySecret]),
      );
      for (const name of physical) expect(name).toContain(customerId);
    }
  });

  it('keeps cached tokens to the poller and the writer: no other function can open the customer’s token context', () => {
    for (const { customerId, template } of stacks) {
      const byPolicy = new Map<string, Statement[]>();
      for (const { policy, statement } of identityStatements(template)) {
        byPolicy.set(policy, [...(byPolicy.get(policy) ?? []), statement]);
      }
      const opens = new Map<string, boolean>();
      for (const [policy, statements] of byPolicy) {
        const decrypt = (s: Statement) => list(s.Action).includes('kms:Decrypt');
        const sealsTokens = statements.some(
          (s) => s.Effect === 'Allow' && decrypt(s) && s.Condition?.StringEquals?.['kms:EncryptionContext:customerId'],
        );
        const unconditioned = statements.some((s) => s.Effect === 'Allow' && decrypt(s) && s.Condition === undefined);
        const denied = statements.some(
          (s) =>
            s.Effect === 'Deny' && decrypt(s) && s.Condition?.Null?.['kms:EncryptionContext:customerId'] === 'false',
        );
        opens.set(policy.replace(/RoleDefaultPolicy.*$/, ''), sealsTokens || (unconditioned && !denied));
      }
      expect(Object.fromEntries(opens), customerId).toMatchObject({
        Poller: true,
        Writer: true,
        Mapper: false,
        Replay: false,
      });
    }
  });

  it('lets the poller seal tax IDs and only the writer open them, under the customer’s tax ID context', () => {
    // Whether a role may make a direct KMS call with this action and encryption context: some Allow whose every
    // condition the call meets (a ViaService one it never does), and no Deny that a present customerId triggers.
    const may = (statements: Statement[], action: string, context: Record<string, string>): boolean => {
      const applies = (s: Statement) => list(s.Action).includes(action);
      const meets = (s: Statement) =>
        Object.entries(s.Condition ?? {}).every(
          ([operator, tests]) =>
            operator === 'StringEquals' &&
            Object.entries(tests).every(([key, expected]) => {
              const actual = context[key.replace(/^kms:EncryptionContext:/, '')];
              return (
                key.startsWith('kms:EncryptionContext:') && list(expected as string | string[]).includes(actual ?? '')
              );
            }),
        );
      const denied = statements.some(
        (s) => s.Effect === 'Deny' && applies(s) && s.Condition?.Null?.['kms:EncryptionContext:customerId'] === 'false',
      );
      return !denied && statements.some((s) => s.Effect === 'Allow' && applies(s) && meets(s));
    };
    for (const { customerId, template } of stacks) {
      const byRole = new Map<string, Statement[]>();
      for (const { policy, statement } of identityStatements(template)) {
        const role = policy.replace(/RoleDefaultPolicy.*$/, '');
        byRole.set(role, [...(byRole.get(role) ?? []), statement]);
      }
      const taxId = { customerId, purpose: 'taxId' };
      const rights = Object.fromEntries(
        ['Poller', 'Mapper', 'Writer', 'Replay'].map((role) => {
          const statements = byRole.get(role) ?? [];
          return [role, { seal: may(statements, 'kms:Encrypt', taxId), open: may(statements, 'kms:Decrypt', taxId) }];
        }),
      );
      expect(rights, customerId).toEqual({
        Poller: { seal: true, open: false },
        Mapper: { seal: false, open: false },
        Writer: { seal: false, open: true },
        Replay: { seal: false, open: false },
      });
      // The token grants, narrowed to tokens, still open them.
      expect(may(byRole.get('Poller') ?? [], 'kms:Decrypt', { customerId, token: 'workday' })).toBe(true);
    }
  });

  it('gives each secret to the one function that needs it: Workday to the poller, Procore to the writer', () => {
    for (const { customerId, template } of stacks) {
      const secretIds = Object.entries(template.Resources)
        .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret')
        .map(([id, r]) => [String(r.Properties?.Name), id] as const);
      const secretOf = new Map(secretIds);
      const names = resourceNames(customerId);
      const readers = (secretName: string) =>
        identityStatements(template)
          .filter(({ statement }) => list(statement.Resource).some((r) => (r as Json).Ref === secretOf.get(secretName)))
          .map(({ policy }) => policy.replace(/RoleDefaultPolicy.*$/, ''));
      expect(readers(names.workdaySecret)).toEqual(['Poller']);
      expect(readers(names.procoreSecret)).toEqual(['Writer']);
    }
  });

  it('lets only Lambda (and the scheduler, from this account) assume the roles', () => {
    for (const { customerId, template } of stacks) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== 'AWS::IAM::Role') continue;
        const trust = list(
          (resource.Properties?.AssumeRolePolicyDocument as Json | undefined)?.Statement as Statement[],
        );
        for (const statement of trust) {
          const service = (statement.Principal as { Service?: string }).Service;
          expect(['lambda.amazonaws.com', 'scheduler.amazonaws.com'], `${customerId} ${id}`).toContain(service);
          if (service === 'scheduler.amazonaws.com') {
            expect(statement.Condition?.StringEquals?.['aws:SourceAccount']).toBe('111111111111');
          }
        }
      }
    }
  });

  it('refuses plain-HTTP access to every queue, bucket and topic, and allows no one outside the account', () => {
    for (const { customerId, template } of stacks) {
      const policies = Object.values(template.Resources).filter((r) =>
        ['AWS::SQS::QueuePolicy', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy'].includes(r.Type),
      );
      const tlsOnly = (r: (typeof policies)[number]) =>
        statementsIn(r.Properties?.PolicyDocument).some(
          (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        );
      const guarded = (type: string, key: string) =>
        Object.entries(template.Resources)
          .filter(([, r]) => r.Type === type)
          .map(([id]) => id)
          .every((id) =>
            policies.some((p) => tlsOnly(p) && String(JSON.stringify(p.Properties?.[key])).includes(`"${id}"`)),
          );
      expect(guarded('AWS::SQS::Queue', 'Queues'), customerId).toBe(true);
      expect(guarded('AWS::S3::Bucket', 'Bucket'), customerId).toBe(true);
      expect(guarded('AWS::SNS::Topic', 'Topics'), customerId).toBe(true);
      for (const policy of policies) {
        for (const s of statementsIn(policy.Properties?.PolicyDocument)) {
          if (s.Effect === 'Allow')
            expect(JSON.stringify(s.Principal), customerId).not.toMatch(/"\*"|arn:aws:iam::(?!111111111111)/);
        }
      }
    }
  });

  it('keeps each key to its own account, its alarms and its own scheduler role', () => {
    for (const { customerId, template } of stacks) {
      const keys = Object.values(template.Resources).filter((r) => r.Type === 'AWS::KMS::Key');
      expect(keys).toHaveLength(1);
      for (const statement of statementsIn(keys[0]?.Properties?.KeyPolicy)) {
        const principal = statement.Principal as { AWS?: unknown; Service?: string };
        if (principal.Service !== undefined) {
          expect(principal.Service).toBe('cloudwatch.amazonaws.com');
          continue;
        }
        const aws = principal.AWS as Json | string;
        if (typeof aws === 'string') expect(aws, customerId).toBe('arn:aws:iam::111111111111:root');
        else expect(template.Resources[String((aws['Fn::GetAtt'] as string[])[0])]?.Type).toBe('AWS::IAM::Role');
      }
    }
  });
});

describe('secrets in the synthesized templates', () => {
  it('holds no credential value: secrets are generated placeholders, functions get only secret and key ARNs', () => {
    for (const { customerId, template } of stacks) {
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (resource.Type === 'AWS::SecretsManager::Secret') {
          expect(resource.Properties?.SecretString, `${customerId} ${id}`).toBeUndefined();
          expect(resource.Properties?.GenerateSecretString).toMatchObject({
            SecretStringTemplate: '{}',
            GenerateStringKey: 'unset',
          });
        }
        if (resource.Type !== 'AWS::Lambda::Function') continue;
        const variables = ((resource.Properties?.Environment as Json | undefined)?.Variables ?? {}) as Json;
        for (const [name, value] of Object.entries(variables)) {
          expect(name, `${customerId} ${id}`).not.toMatch(/PASSWORD|CLIENT_SECRET|REFRESH_TOKEN|^WORKDAY_USERNAME$/);
          if (/SECRET|KEY/.test(name)) expect(typeof value, `${customerId} ${id} ${name}`).toBe('object');
        }
      }
      const text = JSON.stringify(template);
      expect(text).not.toMatch(/"(password|clientSecret|refreshToken|client_secret|refresh_token)"\s*:/i);
    }
  });
});
