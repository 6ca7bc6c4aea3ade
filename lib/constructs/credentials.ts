import { Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Whose secrets, their names, and the key that encrypts them. */
export interface CredentialsProps {
  customerId: string;
  key: kms.IKey;
  workdaySecretName: string;
  procoreSecretName: string;
}

/**
 * The Workday and Procore secrets, encrypted with the customer's key. The stack never holds a value: each is
 * created as `{"unset": <random>}` and set with `ml-connector secrets set --aws --customer <id> --system …`.
 */
export class Credentials extends Construct {
  readonly workday: secretsmanager.Secret;
  readonly procore: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: CredentialsProps) {
    super(scope, id);
    const secret = (secretId: string, secretName: string, system: string, rotation: string) => {
      const created = new secretsmanager.Secret(this, secretId, {
        secretName,
        description: `ml-connector ${props.customerId}: ${system} credentials as JSON; set with \`ml-connector secrets set --aws --customer ${props.customerId} --system ${system.toLowerCase()}\``,
        encryptionKey: props.key,
        generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'unset', excludePunctuation: true },
      });
      Validations.of(created).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SMG4',
        reason: `${system} issues these credentials to the customer's administrators; no rotation function can mint new ones${rotation}`,
      });
      return created;
    };
    this.workday = secret(
      'Workday',
      props.workdaySecretName,
      'Workday',
      ' (a refresh token Workday rotates is written back by the poller)',
    );
    this.procore = secret('Procore', props.procoreSecretName, 'Procore', '');
  }
}
