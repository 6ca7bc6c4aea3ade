import { basename, dirname } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The customer's validated config file as a Lambda layer, read by every function at `/opt/<file>`. The code
 * bundles stay the same for every customer (built once per synth, however many customers); the config
 * changes only with a `cdk deploy`, reviewed like code, and is not an environment variable (4 KB limit).
 */
export class CustomerConfigLayer extends Construct {
  readonly layer: lambda.LayerVersion;
  /** Where the functions find the file. */
  readonly path: string;

  constructor(scope: Construct, id: string, props: { customerId: string; configPath: string }) {
    super(scope, id);
    const file = basename(props.configPath);
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: `ml-connector ${props.customerId}: customer config`,
      // Only this customer's file, though its directory holds every customer's.
      code: lambda.Code.fromAsset(dirname(props.configPath), { exclude: ['*', `!${file}`] }),
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
    });
    this.path = `/opt/${file}`;
  }
}
