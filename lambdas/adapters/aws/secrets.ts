import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { Clock, SecretStore, SecretSystem } from '../../ports';
import { ConfigError } from '../../shared/errors';

/** The Secrets Manager client, the secret per system, and how long a read is reused. */
export interface SecretsManagerStoreOptions {
  client: SecretsManagerClient;
  /** Secret name or ARN per system; a system without one has no stored credentials. */
  secretIds: Partial<Record<SecretSystem, string>>;
  /** How long a read is reused; default 60 s. */
  maxAgeMs?: number;
  now?: Clock;
}

// Short enough that a poller in another warm container sees a refresh token rotated by the last run.
const DEFAULT_MAX_AGE_MS = 60_000;
const secretObject = z.record(z.string(), z.string());

/** Credentials in Secrets Manager (encrypted with the customer's key): cached reads, writes that replace the value. */
export function createSecretsManagerStore(options: SecretsManagerStoreOptions): SecretStore {
  const { client, secretIds } = options;
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const cache = new Map<SecretSystem, { value: Record<string, string> | undefined; readAt: number }>();

  const read = async (system: SecretSystem, secretId: string): Promise<Record<string, string> | undefined> => {
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = secretObject.safeParse(json);
    if (parsed.success) return parsed.data;
    // The value itself stays out of the message: it may be a credential typed in the wrong place.
    throw new ConfigError(`the ${system} secret ${secretId}`, [
      { path: '$', message: 'must be a JSON object of strings; set it with `ml-connector secrets set --aws`' },
    ]);
  };

  return {
    async get(system) {
      const secretId = secretIds[system];
      if (secretId === undefined) return undefined;
      const hit = cache.get(system);
      if (hit && now() - hit.readAt < maxAgeMs) return hit.value === undefined ? undefined : { ...hit.value };
      const value = await read(system, secretId);
      cache.set(system, { value, readAt: now() });
      return value === undefined ? undefined : { ...value };
    },
    async put(system, value) {
      const secretId = secretIds[system];
      if (secretId === undefined) {
        throw new ConfigError('the secret store', [{ path: system, message: 'no secret is configured for it' }]);
      }
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(value) }));
      cache.set(system, { value: { ...value }, readAt: now() });
    },
  };
}
