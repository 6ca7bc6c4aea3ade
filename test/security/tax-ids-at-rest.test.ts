import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from '../e2e/harness';
import { expectEinsInProcore, expectNoPrivateData, firmPrivateData } from '../helpers/private-data';

/**
 * README, "Private data": after a sync of the whole firm, no tax ID (EIN, SSN, VAT) and no bank number of any
 * supplier is in the state database, its WAL or any log line, in any formatting; the EINs are in Procore all the same.
 */

/** Every value in every column of every table, as text. */
function everyCell(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    return tables
      .flatMap(({ name }) =>
        db
          .prepare(`SELECT * FROM "${name}"`)
          .raw()
          .all()
          .flatMap((row) =>
            (row as unknown[]).map((cell) => (Buffer.isBuffer(cell) ? cell.toString('latin1') : String(cell))),
          ),
      )
      .join('\n');
  } finally {
    db.close();
  }
}

describe('tax IDs and bank numbers at rest, local runtime', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it('keeps every tax ID and bank number of the firm out of the state files and the logs, and sends the EINs', async () => {
    const run = await startE2E({ scale: 'firm', seed: 1 });
    e2e = run;
    const values = firmPrivateData(run.sandbox);
    expect(values.filter((v) => / (USA-)?EIN$/.test(v.what)).length).toBeGreaterThan(10);
    expect(values.some((v) => / bank /.test(v.what))).toBe(true);

    const summary = await run.sync();
    expect(summary.outcomes.written).toBeGreaterThan(0);
    // Sealed again on every poll, an EIN is still no change: the next sync writes nothing.
    const writes = run.sandbox.procore.calls.writes;
    expect((await run.sync()).outcomes.written).toBe(0);
    expect(run.sandbox.procore.calls.writes).toBe(writes);

    const statePath = join(run.dir, 'state.db');
    const files = readdirSync(run.dir).filter((f) => f.startsWith('state.db'));
    expect(files).toEqual(expect.arrayContaining(['state.db', 'state.db-wal']));
    expectNoPrivateData(values, {
      'a database cell': everyCell(statePath),
      'the logs': JSON.stringify(run.logger.entries),
      ...Object.fromEntries(files.map((f) => [f, readFileSync(join(run.dir, f))])),
    });
    expect(expectEinsInProcore(run.sandbox)).toBeGreaterThan(10);
  }, 300_000);
});
