import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalQueue } from '../../lambdas/adapters/local/queue';
import { createLocalSecretStore, createLocalTokenCache, loadOrCreateKey } from '../../lambdas/adapters/local/secrets';
import { openStateDb } from '../../lambdas/adapters/local/state-db';
import {
  createLocalAuditLog,
  createLocalCursorStore,
  createLocalLease,
  createLocalLedger,
} from '../../lambdas/adapters/local/stores';
import { describePortContract } from './port-contract';

describePortContract('SQLite adapters', async () => {
  let t = Date.parse('2026-11-01T00:00:00Z');
  const now = () => t;
  const db = openStateDb(':memory:');
  return {
    cursors: createLocalCursorStore(db),
    lease: createLocalLease(db, now),
    ledger: createLocalLedger(db),
    audit: createLocalAuditLog(db),
    queue: createLocalQueue(db, 'records', 2, now),
    advance: (ms) => {
      t += ms;
    },
    close: async () => {
      db.close();
    },
  };
});

describe('local secret store', () => {
  it('keeps credentials encrypted at rest under a 0600 key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlc-secrets-'));
    const path = join(dir, 'acme.db');
    const key = loadOrCreateKey(`${path}.key`);
    expect(statSync(`${path}.key`).mode & 0o777).toBe(0o600);
    const db = openStateDb(path);
    const store = createLocalSecretStore(db, key);
    await store.put('procore', { clientId: 'id-123', clientSecret: 'super-secret-value' });
    await createLocalTokenCache(db, key).put('procore', { accessToken: 'tok-abcdef', issuedAt: 1, expiresAt: 2 });
    db.close();
    const raw = readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(raw).not.toContain('super-secret-value');
    expect(raw).not.toContain('tok-abcdef');
    const reopened = openStateDb(path);
    expect(await createLocalSecretStore(reopened, loadOrCreateKey(`${path}.key`)).get('procore')).toEqual({
      clientId: 'id-123',
      clientSecret: 'super-secret-value',
    });
    await expect(createLocalSecretStore(reopened, Buffer.alloc(32)).get('procore')).rejects.toThrow();
    reopened.close();
  });
});
