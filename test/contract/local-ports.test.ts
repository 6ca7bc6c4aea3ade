import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLocalQueue } from '../../lambdas/adapters/local/queue';
import { createLocalSecretStore, createLocalTokenCache, loadOrCreateKey } from '../../lambdas/adapters/local/secrets';
import { openStateDb } from '../../lambdas/adapters/local/state-db';
import {
  createLocalAuditLog,
  createLocalCursorStore,
  createLocalLease,
  createLocalLedger,
  currentLeaseHolder,
  isProcessRunning,
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
  it('replaces the empty key file a process killed while creating it left, and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlc-key-'));
    const keyPath = join(dir, 'acme.db.key');
    writeFileSync(keyPath, '', { mode: 0o600 });

    const key = loadOrCreateKey(keyPath);

    expect(key).toHaveLength(32);
    expect(loadOrCreateKey(keyPath)).toEqual(key);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['acme.db.key']);
  });

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

/** The pid of a process that has just exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  if (child.pid === undefined) throw new Error('the child has a pid');
  return child.pid;
}

describe('local lease after a crash', () => {
  const hour = 60 * 60_000;
  const now = () => Date.parse('2026-11-01T00:00:00Z');

  it('takes over at once a lease whose holder on this host has died', async () => {
    const db = openStateDb(':memory:');
    const dead = { pid: await deadPid(), host: hostname() };
    expect(isProcessRunning(dead)).toBe(false);
    expect(await createLocalLease(db, now, { holder: dead }).acquire('killed-run', hour)).toBe(true);

    expect(await createLocalLease(db, now).acquire('next-run', hour)).toBe(true);
    db.close();
  });

  it('waits for a live holder, and for one on another host until its lease expires', async () => {
    const db = openStateDb(':memory:');
    let t = now();
    const clock = () => t;
    await createLocalLease(db, clock).acquire('live-run', hour);
    expect(await createLocalLease(db, clock, { holder: { pid: 1, host: 'other' } }).acquire('next', hour)).toBe(false);

    await createLocalLease(db, clock).release('live-run');
    const elsewhere = { pid: await deadPid(), host: 'another-host' };
    await createLocalLease(db, clock, { holder: elsewhere }).acquire('remote-run', hour);
    expect(await createLocalLease(db, clock).acquire('next', hour)).toBe(false);
    t += hour + 1;
    expect(await createLocalLease(db, clock).acquire('next', hour)).toBe(true);
    db.close();
  });

  it('tells a reused pid from the process that took the lease', async () => {
    const db = openStateDb(':memory:');
    const me = currentLeaseHolder();
    const earlier = { ...me, started: me.started === undefined ? undefined : `${me.started}0` };
    await createLocalLease(db, now, { holder: earlier }).acquire('killed-run', hour);

    // On Linux /proc tells the start times apart; elsewhere only the pid is known and the lease waits.
    expect(await createLocalLease(db, now).acquire('next-run', hour)).toBe(me.started !== undefined);
    db.close();
  });

  it('makes the messages a dead run had received visible at once, and keeps the backoffs it chose', async () => {
    const db = openStateDb(':memory:');
    let t = now();
    const clock = () => t;
    const queue = createLocalQueue(db, 'writes', 5, clock);
    await queue.send(['a', 'b', 'c']);
    await createLocalLease(db, clock, { holder: { pid: await deadPid(), host: hostname() } }).acquire('killed', hour);
    const received = await queue.receive(10, 300);
    const backedOff = received.find((m) => m.body === 'c');
    if (backedOff === undefined) throw new Error('c was received');
    await queue.retryLater(backedOff.receiptHandle, 120);
    t += 1_000;
    expect(await queue.receive(10, 300)).toEqual([]);

    expect(await createLocalLease(db, clock).acquire('next-run', hour)).toBe(true);
    const again = await queue.receive(10, 300);
    expect(again.map((m) => [m.body, m.receiveCount]).sort()).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
    // Renewing one's own lease frees nothing: those two are this run's now.
    expect(await createLocalLease(db, clock).acquire('next-run', hour)).toBe(true);
    expect(await queue.receive(10, 300)).toEqual([]);
    db.close();
  });

  it('adds the holder and receipt columns to a state file an older version wrote', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mlc-migrate-')), 'old.db');
    const old = new Database(path);
    old.exec(
      'CREATE TABLE lease (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, expires_at INTEGER NOT NULL);' +
        'CREATE TABLE messages (id TEXT PRIMARY KEY, queue TEXT NOT NULL, body TEXT NOT NULL, visible_at INTEGER NOT NULL, receive_count INTEGER NOT NULL DEFAULT 0, sent_at INTEGER NOT NULL);',
    );
    old.prepare('INSERT INTO lease (id, owner, expires_at) VALUES (1, ?, ?)').run('old-run', now() + hour);
    old.close();

    const db = openStateDb(path);
    // A holder without a pid is not known to be dead: its lease runs to expiry, as before.
    expect(await createLocalLease(db, now).acquire('next-run', hour)).toBe(false);
    const queue = createLocalQueue(db, 'records', 5, now);
    await queue.send(['x']);
    expect((await queue.receive(1, 300)).map((m) => m.body)).toEqual(['x']);
    db.close();
  });
});
