import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { CachedToken, SecretStore, TokenCache } from '../../ports';
import type { StateDb } from './state-db';

const KEY_BYTES = 32;

/**
 * The local encryption key: 32 random bytes in `<state>.key`, created with mode 0600.
 * Refuses a key file others can read, since it unlocks every stored credential.
 */
export function loadOrCreateKey(keyPath: string): Buffer {
  createKeyOnce(keyPath);
  const mode = statSync(keyPath).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`${keyPath} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${keyPath}`);
  }
  const key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${keyPath} is not a ${KEY_BYTES}-byte key`);
  return key;
}

/**
 * Creates the key file whole or not at all: written and synced under a temporary name, then linked into
 * place (which fails if another process got there first). An empty key file is what an older version left
 * when killed between creating and writing it; no credential can have been sealed under it, so it is replaced.
 */
function createKeyOnce(keyPath: string): void {
  try {
    if (statSync(keyPath).size > 0) return;
    unlinkSync(keyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temporary = `${keyPath}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES).toString('base64'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, keyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** AES-256-GCM with a random 96-bit IV; `aad` binds the ciphertext to its row so rows cannot be swapped. */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function unseal(key: Buffer, sealed: string, aad: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) {
    throw new Error(`sealed value for ${aad} has an unknown format`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** Credentials in the state database, encrypted under the key file. */
export function createLocalSecretStore(db: StateDb, key: Buffer): SecretStore {
  return {
    async get(system) {
      const row = db.prepare<[string], { sealed: string }>('SELECT sealed FROM secrets WHERE system = ?').get(system);
      return row ? (JSON.parse(unseal(key, row.sealed, `secret:${system}`)) as Record<string, string>) : undefined;
    },
    async put(system, value) {
      db.prepare(
        'INSERT INTO secrets (system, sealed) VALUES (?, ?) ON CONFLICT(system) DO UPDATE SET sealed = excluded.sealed',
      ).run(system, seal(key, JSON.stringify(value), `secret:${system}`));
    },
  };
}

/** Access tokens in the state database, encrypted like the secrets. */
export function createLocalTokenCache(db: StateDb, key: Buffer): TokenCache {
  return {
    async get(name) {
      const row = db.prepare<[string], { sealed: string }>('SELECT sealed FROM tokens WHERE name = ?').get(name);
      return row ? (JSON.parse(unseal(key, row.sealed, `token:${name}`)) as CachedToken) : undefined;
    },
    async put(name, token) {
      db.prepare(
        'INSERT INTO tokens (name, sealed) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed',
      ).run(name, seal(key, JSON.stringify(token), `token:${name}`));
    },
    async delete(name) {
      db.prepare('DELETE FROM tokens WHERE name = ?').run(name);
    },
  };
}
