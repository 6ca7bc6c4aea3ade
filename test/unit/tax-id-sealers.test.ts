import { createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKmsTaxIdSealer } from '../../lambdas/adapters/aws/tax-ids';
import { createLocalTaxIdSealer } from '../../lambdas/adapters/local/tax-ids';
import { SEALED_TAX_ID } from '../../lambdas/workday/records';

const EIN = '12-3456789';
const KEY_ID = 'arn:aws:kms:us-east-1:111111111111:key/acme';

/** Every form the clear value could leak in: as is, digits only, and base64 of either. */
function formsOf(value: string): string[] {
  const digits = value.replace(/[^0-9A-Za-z]/g, '');
  return [value, digits].flatMap((v) => [v, Buffer.from(v).toString('base64')]);
}

describe('createLocalTaxIdSealer()', () => {
  const fileKey = randomBytes(32);
  const sealer = createLocalTaxIdSealer(fileKey);

  it('seals to a v1 string holding no form of the value, different every time, that opens to the value', async () => {
    const [a, b] = [await sealer.seal(EIN), await sealer.seal(EIN)];

    expect(a).toMatch(SEALED_TAX_ID);
    expect(a).not.toBe(b);
    for (const form of formsOf(EIN)) expect(a).not.toContain(form);
    expect(await sealer.open(a)).toBe(EIN);
    expect(await sealer.open(b)).toBe(EIN);
  });

  it('uses a key of its own, derived from the key file: not the key file itself (the secret store’s key)', async () => {
    const bytes = Buffer.from((await sealer.seal(EIN)).slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', fileKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from('tax-id'));
    decipher.setAuthTag(bytes.subarray(12, 28));
    decipher.update(bytes.subarray(28));
    expect(() => decipher.final()).toThrow();
  });

  it('refuses a value sealed under another key file, a tampered one and an unknown format, naming no value', async () => {
    const other = await createLocalTaxIdSealer(randomBytes(32)).seal(EIN);
    const sealed = await sealer.seal(EIN);
    const last = sealed.at(-3) === 'A' ? 'B' : 'A';
    const tampered = `${sealed.slice(0, -3)}${last}${sealed.slice(-2)}`;

    for (const bad of [other, tampered, EIN, 'v1:', 'v2:AAAA']) {
      const error = await sealer.open(bad).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(Error);
      expect(String(error)).toMatch(/sealed tax ID/);
      for (const form of formsOf(EIN)) expect(String(error)).not.toContain(form);
    }
  });

  it('opens under a sealer rebuilt from the same key file (another run, another process)', async () => {
    const sealed = await sealer.seal(EIN);
    expect(await createLocalTaxIdSealer(Buffer.from(fileKey)).open(sealed)).toBe(EIN);
  });
});

describe('createKmsTaxIdSealer()', () => {
  // The mock replaces `send` on every KMSClient, so it lives only as long as each test.
  const mockKms = () => mockClient(KMSClient);
  let kms: ReturnType<typeof mockKms>;
  beforeEach(() => {
    kms = mockKms();
  });
  afterEach(() => {
    kms.restore();
  });
  const sealer = () =>
    createKmsTaxIdSealer({ kms: new KMSClient({ region: 'us-east-1' }), keyId: KEY_ID, customerId: 'acme' });
  const context = { customerId: 'acme', purpose: 'taxId' };

  it('encrypts with the customer key under {customerId, purpose: taxId} and keeps only the ciphertext', async () => {
    const blob = randomBytes(48);
    kms.on(EncryptCommand).resolves({ CiphertextBlob: blob, KeyId: KEY_ID });

    const sealed = await sealer().seal(EIN);

    expect(sealed).toBe(`v1:${blob.toString('base64')}`);
    expect(sealed).toMatch(SEALED_TAX_ID);
    const [call] = kms.commandCalls(EncryptCommand);
    expect(call?.args[0].input).toMatchObject({ KeyId: KEY_ID, EncryptionContext: context });
    expect(Buffer.from(call?.args[0].input.Plaintext ?? new Uint8Array()).toString('utf8')).toBe(EIN);
  });

  it('decrypts the blob under the same key and context', async () => {
    const blob = randomBytes(48);
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(EIN), KeyId: KEY_ID });

    expect(await sealer().open(`v1:${blob.toString('base64')}`)).toBe(EIN);

    const [call] = kms.commandCalls(DecryptCommand);
    expect(call?.args[0].input).toMatchObject({ KeyId: KEY_ID, EncryptionContext: context });
    expect(Buffer.from(call?.args[0].input.CiphertextBlob ?? new Uint8Array())).toEqual(blob);
  });

  it('passes KMS refusals on, and refuses what is not a sealed value without calling KMS', async () => {
    kms.on(DecryptCommand).rejects(new InvalidCiphertextException({ message: 'context mismatch', $metadata: {} }));
    kms.on(EncryptCommand).resolves({});

    await expect(sealer().open(`v1:${randomBytes(8).toString('base64')}`)).rejects.toThrow(/context mismatch/);
    await expect(sealer().open(EIN)).rejects.toThrow(/unknown format/);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
    await expect(sealer().seal(EIN)).rejects.toThrow(/no ciphertext/);
  });
});
