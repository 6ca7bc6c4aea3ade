import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { TaxIdSealer } from '../../ports';

// Its own HKDF info: the tax ID key is not the secret-store key, though both come from the key file.
const INFO = 'ml-connector tax-id sealing v1';
const AAD = Buffer.from('tax-id');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * EIN/ABN values sealed with AES-256-GCM (random 96-bit IV) under a key derived from the state's key file:
 * `v1:` + base64(iv ‖ tag ‖ ciphertext).
 */
export function createLocalTaxIdSealer(fileKey: Buffer): TaxIdSealer {
  const key = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), INFO, 32));
  return {
    async seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    async open(sealed) {
      const bytes = sealed.startsWith('v1:') ? Buffer.from(sealed.slice(3), 'base64') : Buffer.alloc(0);
      if (bytes.length <= IV_BYTES + TAG_BYTES) throw new Error('a sealed tax ID has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(AAD);
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        throw new Error('a sealed tax ID does not open under this state key file', { cause: error });
      }
    },
  };
}
