import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { addNagChecks } from '../../lib/app';
import { buildTestApp } from '../helpers/aws/cdk-app';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: unknown[] }[];
}

describe('cdk-nag (AwsSolutions and Serverless)', () => {
  it("finds nothing unacknowledged in the example customers' stacks, whose templates CloudFormation's schemas accept", async () => {
    const { app, outdir } = await buildTestApp({ nag: true, cloudFormationValidation: true });
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    expect(report.pluginReports.map((p) => p.pluginName)).toEqual(
      expect.arrayContaining(['AwsSolutions', 'Serverless']),
    );
    expect(report.pluginReports.flatMap((p) => p.violations)).toEqual([]);

    // Each acknowledgement names one finding, with a reason a reviewer can check.
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^(AwsSolutions|Serverless)::[A-Za-z]+-[A-Za-z0-9]+(\[.+\])?$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it("fails synthesis on a property CloudFormation's schema does not know (the check cdk synth leaves to this test)", () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Typo', { env: { account: '111111111111', region: 'us-east-1' } });
    new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
    expect(() => app.synth()).toThrow();
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new sqs.Queue(new Stack(app, 'Careless', { env: { account: '111111111111', region: 'us-east-1' } }), 'Plain');
    addNagChecks(app);
    expect(() => app.synth()).toThrow();
  });
});
