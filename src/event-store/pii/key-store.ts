import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { Database, Statement } from 'better-sqlite3';
import { conflict } from '../../domain/shared/domain-error';

export const KEY_BYTES = 32;

/** What the key store knows of a student: their key, that it was erased, or nothing yet. */
export type StudentKey = Buffer | 'erased' | undefined;

export interface CompactionReport {
  /** `wal_checkpoint(TRUNCATE)` could not finish: another connection still reads an older state. */
  readonly walBusy: boolean;
}

const schema = `
  CREATE TABLE IF NOT EXISTS student_keys (
    school_id TEXT NOT NULL,
    student_id TEXT NOT NULL,
    key BLOB,
    erased_at TEXT,
    PRIMARY KEY (school_id, student_id),
    CHECK ((key IS NULL) = (erased_at IS NOT NULL))
  ) STRICT, WITHOUT ROWID;`;

const cacheKey = (schoolId: string, studentId: string) => `${schoolId}\u0000${studentId}`;

/**
 * One random AES-256 key per (school, student), in a SQLite file of its own, never in the log: the
 * log's copies and backups hold only what these keys sealed, so deleting a key erases the student
 * from all of them at once. An erased student keeps a tombstone (no key, the erasure's instant) so
 * that no later command quietly gives them a new key.
 *
 * `secure_delete` zeroes what a deletion frees; `compact()` then rewrites the file (VACUUM) and
 * empties its WAL, so that no page of this file keeps an erased key. Keys are cached in memory and
 * the cache is dropped whenever another connection (another thread or process) changed the file.
 */
export class KeyStore {
  private readonly cache = new Map<string, Buffer | 'erased'>();
  private readonly dataVersion: Statement<[], number>;
  private readonly select: Statement<[string, string], { key: Buffer | null }>;
  private readonly insert: Statement<[string, string, Buffer]>;
  private readonly tombstone: Statement<[string, string, string]>;
  private lastVersion = -1;
  private waiting: {
    readonly students: readonly (readonly [string, string])[];
    readonly resolve: (keys: Buffer[]) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private flushTimer: NodeJS.Immediate | undefined;

  private constructor(private readonly db: Database) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.select = db.prepare('SELECT key FROM student_keys WHERE school_id = ? AND student_id = ?');
    this.insert = db.prepare(
      'INSERT INTO student_keys (school_id, student_id, key, erased_at) VALUES (?, ?, ?, NULL) ON CONFLICT DO NOTHING',
    );
    this.tombstone = db.prepare(
      `INSERT INTO student_keys (school_id, student_id, key, erased_at) VALUES (?, ?, NULL, ?)
       ON CONFLICT (school_id, student_id) DO UPDATE SET key = NULL, erased_at = excluded.erased_at
       WHERE key IS NOT NULL`,
    );
  }

  static open(path: string): KeyStore {
    mkdirSync(dirname(path), { recursive: true });
    const db = new BetterSqlite3(path);
    try {
      chmodSync(path, 0o600);
      db.pragma('journal_mode = WAL');
      // A key lost in a crash after its event was written would erase that event: keys are durable first.
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.pragma('busy_timeout = 5000');
      db.exec(schema);
      return new KeyStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The student's key, 'erased', or undefined when none was ever needed. */
  lookup(schoolId: string, studentId: string): StudentKey {
    this.dropCacheIfChangedElsewhere();
    const id = cacheKey(schoolId, studentId);
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const row = this.select.get(schoolId, studentId);
    if (row === undefined) return undefined;
    const found = row.key === null ? 'erased' : row.key;
    this.cache.set(id, found);
    return found;
  }

  /** The keys of these students, created (in one durable transaction) for those who have none. */
  keysFor(students: readonly (readonly [schoolId: string, studentId: string])[]): Buffer[] {
    const missing = students.filter(([school, student]) => this.lookup(school, student) === undefined);
    if (missing.length > 0)
      this.db.transaction(() => {
        for (const [school, student] of missing) this.insert.run(school, student, randomBytes(KEY_BYTES));
      })();
    return students.map(([school, student]) => {
      const key = this.lookup(school, student);
      if (key instanceof Buffer) return key;
      throw conflict(
        'PRIVACY.STUDENT_ERASED',
        `student ${student} was erased: nothing more is recorded about them`,
        {
          schoolId: school,
          studentId: student,
        },
      );
    });
  }

  /**
   * keysFor, but the keys still to create by every call of this turn of the event loop are created in
   * one durable transaction: an import registering a school's students in parallel pays one fsync per
   * batch rather than one per student.
   */
  keysForSoon(students: readonly (readonly [schoolId: string, studentId: string])[]): Promise<Buffer[]> {
    if (students.every(([school, student]) => this.lookup(school, student) !== undefined))
      return Promise.resolve().then(() => this.keysFor(students));
    return new Promise((resolve, reject) => {
      this.waiting.push({ students, resolve, reject });
      this.flushTimer ??= setImmediate(() => this.flushWaiting());
    });
  }

  /** Deletes the student's key for good; true if there was one. The file still holds it until compact(). */
  erase(schoolId: string, studentId: string, at: string): boolean {
    const had = this.lookup(schoolId, studentId) instanceof Buffer;
    this.tombstone.run(schoolId, studentId, at);
    this.cache.set(cacheKey(schoolId, studentId), 'erased');
    return had;
  }

  /** Rewrites the file and empties its WAL, so that no copy of an erased key remains in either. */
  compact(): CompactionReport {
    this.db.exec('VACUUM');
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return { walBusy: result.busy !== 0 };
  }

  close(): void {
    if (this.flushTimer !== undefined) {
      clearImmediate(this.flushTimer);
      this.flushWaiting();
    }
    this.cache.clear();
    this.db.close();
  }

  private flushWaiting(): void {
    this.flushTimer = undefined;
    const waiting = this.waiting.splice(0);
    try {
      this.keysFor(
        waiting
          .flatMap((w) => w.students)
          .filter(([school, student]) => this.lookup(school, student) !== 'erased'),
      );
    } catch (error) {
      for (const w of waiting) w.reject(error);
      return;
    }
    for (const w of waiting) {
      try {
        w.resolve(this.keysFor(w.students));
      } catch (error) {
        w.reject(error);
      }
    }
  }

  private dropCacheIfChangedElsewhere(): void {
    const version = this.dataVersion.get() as number;
    if (version !== this.lastVersion) {
      this.cache.clear();
      this.lastVersion = version;
    }
  }
}
