import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type StateDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cursors (entity TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lease (
  id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, expires_at INTEGER NOT NULL,
  pid INTEGER, host TEXT, started TEXT
);
CREATE TABLE IF NOT EXISTS ledger (
  key TEXT PRIMARY KEY, status TEXT NOT NULL, unsynced_since TEXT, value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_status ON ledger (status);
CREATE TABLE IF NOT EXISTS po_lines (line_id TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS procore_ids (origin_id TEXT PRIMARY KEY, procore_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, run_id TEXT NOT NULL, at TEXT NOT NULL,
  outcome TEXT NOT NULL, has_record INTEGER NOT NULL, value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_key ON audit (key, seq);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, queue TEXT NOT NULL, body TEXT NOT NULL, visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0, sent_at INTEGER NOT NULL, received_at INTEGER
);
CREATE INDEX IF NOT EXISTS messages_queue ON messages (queue, visible_at);
CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS secrets (system TEXT PRIMARY KEY, sealed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (name TEXT PRIMARY KEY, sealed TEXT NOT NULL);
`;

/** Opens (creating if needed) the local state database: WAL, foreign writes serialised by SQLite. */
export function openStateDb(path: string): StateDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Business data and sealed credentials live here: owner-only, like the key file.
  if (path !== ':memory:') chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  migrate(db);
  return db;
}

/** Columns added after the first release; a state file written by an older version gains them on open. */
const ADDED_COLUMNS: readonly { table: string; column: string; type: string }[] = [
  { table: 'lease', column: 'pid', type: 'INTEGER' },
  { table: 'lease', column: 'host', type: 'TEXT' },
  { table: 'lease', column: 'started', type: 'TEXT' },
  { table: 'messages', column: 'received_at', type: 'INTEGER' },
];

function migrate(db: StateDb): void {
  for (const { table, column, type } of ADDED_COLUMNS) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
}
