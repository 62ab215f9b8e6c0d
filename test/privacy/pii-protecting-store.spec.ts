import { readFileSync } from 'node:fs';
import { PII_FIELDS, PiiPath } from '../../src/domain/privacy/pii-fields';
import { EventMetadata } from '../../src/domain/shared/event';
import { EventToAppend } from '../../src/event-store/event-store';
import { KeyStore, PiiProtectingStore } from '../../src/event-store/pii';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir, TempDir } from '../support/temp-db';

const SCHOOL = '0670001A';

const metadata = (reason?: string): EventMetadata => ({
  commandId: 'c1',
  correlationId: 'c1',
  causationId: 'c1',
  actor: { id: 'cpe-1', role: 'cpe' },
  schoolId: SCHOOL,
  recordedAt: '2026-12-07T08:00:00.000Z',
  schemaVersion: 1,
  ...(reason !== undefined && { reason }),
});

/** One event of each listed type, every personal field filled with a text naming the student. */
const sampleOf = (type: string): EventToAppend => {
  const data: Record<string, unknown> = { studentId: 'E042', schoolId: SCHOOL, classId: '5B' };
  let reason: string | undefined;
  for (const path of Object.keys(PII_FIELDS[type]) as PiiPath[]) {
    const value = `${type} ${path}: Zoé Lefèvre-Dupont`;
    if (path === 'metadata.reason') reason = value;
    else data[path.slice(5)] = path === 'data.birthDate' ? '2013-04-17' : value;
  }
  return { type, data, metadata: metadata(reason) };
};

describe('PiiProtectingStore', () => {
  let dir: TempDir;
  let inner: SqliteEventStore;
  let store: PiiProtectingStore;

  beforeEach(() => {
    dir = tempDir('registre-pii-');
    inner = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    store = new PiiProtectingStore(inner, KeyStore.open(dir.file('keys.db')));
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it.each(Object.keys(PII_FIELDS))(
    'reads %s back exactly as written, and stores none of it in clear',
    async (type) => {
      const event = sampleOf(type);
      await store.appendToStream(`s-${type}`, [event]);

      const [read] = await store.readStream(`s-${type}`);
      expect({ type: read.type, data: read.data, metadata: read.metadata }).toEqual(event);
      const [fromAll] = await store.readAll();
      expect(fromAll.data).toEqual(event.data);

      const [raw] = await inner.readStream(`s-${type}`);
      const stored = JSON.stringify({ data: raw.data, metadata: raw.metadata });
      expect(stored).not.toContain('Lefèvre');
      expect(stored).not.toContain('2013-04-17');
      expect(raw.data.$pii).toMatchObject({ v: 1, k: 'E042', f: Object.keys(PII_FIELDS[type]) });
      expect(raw.metadata.reason).toBeUndefined();
    },
  );

  it('reads the metadata with the events even when asked to read it on first use: it opens them', async () => {
    const readAll = jest.spyOn(inner, 'readAll');
    await store.appendToStream('s', [sampleOf('AppreciationWritten')]);

    const [read] = await store.readAll({ after: 0n, limit: 10, metadata: 'on-first-read' });

    expect(read.data).toEqual(sampleOf('AppreciationWritten').data);
    expect(readAll).toHaveBeenCalledWith({ after: 0n, limit: 10 });
  });

  it('leaves empty and null fields in clear, and events with nothing personal untouched', async () => {
    const withdrawn = {
      type: 'AppreciationWritten',
      data: { studentId: 'E042', text: '', previous: null, reason: null },
      metadata: metadata(),
    };
    const rollCall = {
      type: 'RollCallTaken',
      data: { absent: ['E042'], reason: 'free' },
      metadata: metadata('x'),
    };
    await store.appendToStream('s', [withdrawn, rollCall]);
    const raw = await inner.readStream('s');
    expect(raw.map((e) => e.data)).toEqual([withdrawn.data, rollCall.data]);
    const read = await store.readStream('s');
    expect(read.map((e) => e.data)).toEqual([withdrawn.data, rollCall.data]);
  });

  it('shows a pseudonym of the same shape once the student is erased, for old clear events too', async () => {
    const registered = sampleOf('StudentRegistered');
    const legacy = { ...sampleOf('JustificationReceived'), data: { studentId: 'E042', note: 'Zoé malade' } };
    await store.appendToStream('s', [registered]);
    await inner.appendToStream('legacy', [legacy]);
    store.keys.erase(SCHOOL, 'E042', '2026-12-07T09:00:00.000Z');

    const [read] = await store.readStream('s');
    expect(read.data).toEqual({
      studentId: 'E042',
      schoolId: SCHOOL,
      classId: '5B',
      lastName: 'Élève effacé',
      firstName: '#3d7ac2',
      birthDate: null,
      ine: null,
    });
    expect(read.metadata.reason).toBe('[effacé]');
    const [old] = await store.readStream('legacy');
    expect(old.data).toEqual({ studentId: 'E042', note: '[effacé]' });
  });

  it('refuses to read a sealed event whose key the keys file never had, rather than show it as erased', async () => {
    await store.appendToStream('s', [sampleOf('StudentRegistered')]);
    const wrongKeys = new PiiProtectingStore(inner, KeyStore.open(dir.file('other-keys.db')));
    await expect(wrongKeys.readStream('s')).rejects.toThrow(
      'the keys file has no key for student E042 of 0670001A (event at position 1): check REGISTRE_KEYS_PATH, or restore a keys backup at least as recent as the log',
    );
    wrongKeys.keys.close();
  });

  it('refuses to record anything personal about an erased student', async () => {
    store.keys.erase(SCHOOL, 'E042', '2026-12-07T09:00:00.000Z');
    await expect(store.appendToStream('s', [sampleOf('JustificationReceived')])).rejects.toMatchObject({
      code: 'PRIVACY.STUDENT_ERASED',
      kind: 'conflict',
    });
  });

  it('refuses a sealed body moved to another student', async () => {
    await store.appendToStream('s', [sampleOf('StudentRegistered')]);
    const [raw] = await inner.readStream('s');
    const other = { ...sampleOf('StudentRegistered'), data: { ...raw.data, studentId: 'E043' } };
    await inner.appendToStream('t', [
      { ...other, data: { ...other.data, $pii: { ...(raw.data.$pii as object), k: 'E043' } } },
    ]);
    store.keys.keysFor([[SCHOOL, 'E043']]);
    await expect(store.readStream('t')).rejects.toThrow(/auth/i);
  });

  it('keeps the keys file apart from the events file', async () => {
    await store.appendToStream('s', [sampleOf('StudentRegistered')]);
    const key = store.keys.lookup(SCHOOL, 'E042') as Buffer;
    expect(key).toHaveLength(32);
    await store.close();
    for (const file of ['events.db', 'events.db-wal'])
      expect(readFileOrEmpty(dir.file(file)).indexOf(key)).toBe(-1);
    inner = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    store = new PiiProtectingStore(inner, KeyStore.open(dir.file('keys.db')));
  });
});

const readFileOrEmpty = (path: string): Buffer => {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
};
