import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { TaxIdSealer } from '../../ports';

/** The key that seals tax IDs and the customer that names the encryption context. */
export interface KmsTaxIdSealerOptions {
  kms: KMSClient;
  /** The customer's key (id, ARN or alias). */
  keyId: string;
  customerId: string;
}

/**
 * EIN/ABN values encrypted by KMS under the customer's key, with the encryption context `{customerId, purpose:
 * 'taxId'}`: a ciphertext opens for no other customer and for no other use (a token's context differs). `v1:` +
 * base64 of the ciphertext blob.
 */
export function createKmsTaxIdSealer(options: KmsTaxIdSealerOptions): TaxIdSealer {
  const { kms, keyId, customerId } = options;
  const context = { customerId, purpose: 'taxId' };
  return {
    async seal(value) {
      const out = await kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(value, 'utf8'), EncryptionContext: context }),
      );
      if (out.CiphertextBlob === undefined) throw new Error('KMS returned no ciphertext for a tax ID');
      return `v1:${Buffer.from(out.CiphertextBlob).toString('base64')}`;
    },
    async open(sealed) {
      if (!sealed.startsWith('v1:')) throw new Error('a sealed tax ID has an unknown format');
      const out = await kms.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(sealed.slice(3), 'base64'),
          KeyId: keyId,
          EncryptionContext: context,
        }),
      );
      if (out.Plaintext === undefined) throw new Error('KMS returned no plaintext for a tax ID');
      return Buffer.from(out.Plaintext).toString('utf8');
    },
  };
}
