import { createLocalSecretStore, createLocalTokenCache, loadOrCreateKey } from '../../lambdas/adapters/local/secrets';
import { openStateDb } from '../../lambdas/adapters/local/state-db';
import { loadCustomerConfig } from '../../lambdas/config/loader';
import { parseSecretInput } from '../../lambdas/shared/credentials';
import { type CommandHandler, EXIT, type SecretsSetOptions, UsageError } from '../command';
import { deployedConfig, withAwsSession } from '../operate/aws-session';
import { statePathFor } from '../runtime/local';

/**
 * `secrets set`: a credentials JSON object from stdin into the local store (AES-256-GCM under the 0600 key
 * file), or with `--aws` into the deployed stack's Secrets Manager secret.
 */
export const secretsSet: CommandHandler<SecretsSetOptions> = async (options, { io }) => {
  const { target } = options;
  const config =
    target.kind === 'aws'
      ? await deployedConfig(target.customerId, io)
      : await loadCustomerConfig(target.config, { cwd: io.cwd });
  const text = await io.stdin();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the input, which may hold a secret: say only that it is not JSON.
    const hint = text.trim() === '' ? 'stdin was empty' : 'stdin is not valid JSON';
    throw new UsageError(`${hint}: pipe a JSON object such as ${example(options.system, config.workday.auth)} into it`);
  }
  const auth = config.workday.auth;
  const value = parseSecretInput(options.system, auth, json);
  const what = options.system === 'workday' ? `Workday ${auth}` : 'Procore';
  const fields = Object.keys(value).join(', ');
  if (target.kind === 'aws') {
    return withAwsSession(target, io, false, async ({ ports, names, region }) => {
      await ports.secrets.put(options.system, value);
      // The functions' cached token was issued under the old credentials: drop it, as locally.
      await ports.tokens.delete(options.system);
      const secret = options.system === 'workday' ? names.workdaySecret : names.procoreSecret;
      io.stdout(
        `✓ Stored the ${what} credentials (${fields}) in the Secrets Manager secret ${secret} (${region}); the functions read them on their next run.\n`,
      );
      return EXIT.ok;
    });
  }
  const statePath = statePathFor(config, io.cwd, target.state);
  const db = openStateDb(statePath);
  try {
    const key = loadOrCreateKey(`${statePath}.key`);
    await createLocalSecretStore(db, key).put(options.system, value);
    // A token issued under the old credentials would otherwise hide a wrong new secret until it expires.
    await createLocalTokenCache(db, key).delete(options.system);
  } finally {
    db.close();
  }
  io.stdout(
    `✓ Stored the ${what} credentials (${fields}) in ${statePath}, encrypted under ${statePath}.key; ` +
      'they now take precedence over the environment variables.\n',
  );
  return EXIT.ok;
};

function example(system: SecretsSetOptions['system'], auth: 'isu' | 'oauth'): string {
  if (system === 'procore') return '{"clientId": "…", "clientSecret": "…"}';
  return auth === 'isu'
    ? '{"username": "user@tenant", "password": "…"}'
    : '{"clientId": "…", "clientSecret": "…", "refreshToken": "…"}';
}
