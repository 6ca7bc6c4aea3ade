import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REGION } from './emulators';

/** One KMS call as the fake saw it (for assertions on encryption contexts). */
export interface KmsCall {
  operation: 'Encrypt' | 'Decrypt';
  keyId: string | undefined;
  encryptionContext: Record<string, string>;
}

/**
 * A tiny KMS (Encrypt, Decrypt) and Secrets Manager (CreateSecret, GetSecretValue, PutSecretValue) over
 * AWS JSON 1.1, for the real SDK clients: no emulator for either installs here. Ciphertexts are AES-256-GCM
 * bound to the key and encryption context, so a wrong context fails like KMS's InvalidCiphertextException.
 */
export interface FakeKmsSecrets {
  endpoint: string;
  kmsCalls: KmsCall[];
  /** Secret values by name, as stored (tests read what a handler wrote back). */
  secrets: Map<string, string>;
  /** Key ids, ARNs and aliases Encrypt accepts. */
  keys: Set<string>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const masterKey = randomBytes(32);
const canonical = (context: Record<string, string>) =>
  JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)));

function encrypt(keyId: string, plaintext: Buffer, context: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(keyId + canonical(context)));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const blob = {
    keyId,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    body: body.toString('base64'),
  };
  return Buffer.from(JSON.stringify(blob)).toString('base64');
}

function decrypt(ciphertext: string, context: Record<string, string>): { keyId: string; plaintext: Buffer } {
  try {
    const blob = JSON.parse(Buffer.from(ciphertext, 'base64').toString('utf8')) as Record<string, string>;
    const keyId = String(blob.keyId);
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(String(blob.iv), 'base64'));
    decipher.setAAD(Buffer.from(keyId + canonical(context)));
    decipher.setAuthTag(Buffer.from(String(blob.tag), 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(String(blob.body), 'base64')), decipher.final()]);
    return { keyId, plaintext };
  } catch {
    throw new AwsError('InvalidCiphertextException', 'the ciphertext or its encryption context is wrong');
  }
}

/**
 * Starts the fake on a free loopback port; `keys` lists the key ids it knows, `aliases` maps alias names to
 * them (KMS resolves an alias to its key, so a ciphertext sealed under the ARN opens under the alias).
 */
export async function startFakeKmsSecrets(
  keys: readonly string[] = [],
  aliases: Readonly<Record<string, string>> = {},
): Promise<FakeKmsSecrets> {
  const kmsCalls: KmsCall[] = [];
  const secrets = new Map<string, string>();
  const known = new Set(keys);
  const keyOf = (id: unknown) => {
    const named = String(id);
    return aliases[named] ?? named;
  };
  const arnOf = (name: string) => `arn:aws:secretsmanager:${REGION}:111111111111:secret:${name}`;
  const nameOf = (id: unknown) => String(id).replace(/^arn:aws:secretsmanager:[^:]+:\d+:secret:/, '');
  let versions = 0;

  const operations: Record<string, (input: Json) => Json> = {
    'TrentService.Encrypt': (input) => {
      const keyId = keyOf(input.KeyId);
      if (!known.has(keyId)) throw new AwsError('NotFoundException', `key ${keyId} does not exist`);
      const context = (input.EncryptionContext ?? {}) as Record<string, string>;
      kmsCalls.push({ operation: 'Encrypt', keyId, encryptionContext: context });
      const plaintext = Buffer.from(String(input.Plaintext), 'base64');
      return { CiphertextBlob: encrypt(keyId, plaintext, context), KeyId: keyId };
    },
    'TrentService.Decrypt': (input) => {
      const context = (input.EncryptionContext ?? {}) as Record<string, string>;
      kmsCalls.push({
        operation: 'Decrypt',
        keyId: input.KeyId === undefined ? undefined : String(input.KeyId),
        encryptionContext: context,
      });
      const { keyId, plaintext } = decrypt(String(input.CiphertextBlob), context);
      if (input.KeyId !== undefined && keyOf(input.KeyId) !== keyId) {
        throw new AwsError('IncorrectKeyException', 'the ciphertext was not encrypted under this key');
      }
      return { Plaintext: plaintext.toString('base64'), KeyId: keyId };
    },
    'secretsmanager.CreateSecret': (input) => {
      const name = String(input.Name);
      secrets.set(name, String(input.SecretString ?? ''));
      return { ARN: arnOf(name), Name: name, VersionId: String(++versions) };
    },
    'secretsmanager.GetSecretValue': (input) => {
      const name = nameOf(input.SecretId);
      const value = secrets.get(name);
      if (value === undefined) throw new AwsError('ResourceNotFoundException', `Secrets Manager can't find ${name}`);
      return { ARN: arnOf(name), Name: name, SecretString: value, VersionId: String(versions) };
    },
    'secretsmanager.PutSecretValue': (input) => {
      const name = nameOf(input.SecretId);
      if (!secrets.has(name)) throw new AwsError('ResourceNotFoundException', `Secrets Manager can't find ${name}`);
      secrets.set(name, String(input.SecretString));
      return { ARN: arnOf(name), Name: name, VersionId: String(++versions) };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const reply = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const operation = operations[target];
    if (operation === undefined) return reply(400, { __type: 'UnknownOperationException', message: target });
    try {
      reply(200, operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json));
    } catch (error) {
      if (error instanceof AwsError) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: 'InternalFailure', message: String(error) });
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    kmsCalls,
    secrets,
    keys: known,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
