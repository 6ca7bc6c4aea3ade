import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CachedToken, TokenCache } from '../../ports';
import type { TableRef } from './dynamo';

/** Where tokens are kept, the key that seals them, and the customer that names the encryption context. */
export interface KmsTokenCacheOptions {
  table: TableRef;
  kms: KMSClient;
  /** The customer's key (id, ARN or alias). */
  keyId: string;
  customerId: string;
}

/**
 * Access tokens as state-table items, each encrypted with KMS under an encryption context that names the
 * customer and the token: a ciphertext cannot be decrypted for another customer or swapped between rows.
 */
export function createKmsTokenCache(options: KmsTokenCacheOptions): TokenCache {
  const { table, kms, keyId, customerId } = options;
  const key = (name: string) => ({ pk: 'token', sk: name });
  const context = (name: string) => ({ customerId, token: name });
  return {
    async get(name) {
      const out = await table.doc.send(
        new GetCommand({ TableName: table.tableName, Key: key(name), ConsistentRead: true }),
      );
      const sealed = out.Item?.sealed;
      if (!(sealed instanceof Uint8Array)) return undefined;
      const plain = await kms.send(
        new DecryptCommand({ CiphertextBlob: sealed, KeyId: keyId, EncryptionContext: context(name) }),
      );
      if (plain.Plaintext === undefined) throw new Error(`KMS returned no plaintext for the ${name} token`);
      return JSON.parse(Buffer.from(plain.Plaintext).toString('utf8')) as CachedToken;
    },
    async put(name, token) {
      const sealed = await kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.from(JSON.stringify(token)),
          EncryptionContext: context(name),
        }),
      );
      if (sealed.CiphertextBlob === undefined) throw new Error(`KMS returned no ciphertext for the ${name} token`);
      await table.doc.send(
        new PutCommand({ TableName: table.tableName, Item: { ...key(name), sealed: sealed.CiphertextBlob } }),
      );
    },
    async delete(name) {
      await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: key(name) }));
    },
  };
}
