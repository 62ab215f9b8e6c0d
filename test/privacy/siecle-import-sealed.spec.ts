import { existsSync, readFileSync } from 'node:fs';
import { schoolDecider, schoolStreamId } from '../../src/domain/structure/school';
import { CommandContext, handleCommand } from '../../src/event-store/handle-command';
import { createEventStore } from '../../src/event-store/create-store';
import { makeSiecleExport } from '../../src/import/fixtures-generator';
import { runImport } from '../../src/import/run-import';
import { tempDir } from '../support/temp-db';

const SCHOOL = '0670001A';
const context = (commandId: string): CommandContext => ({
  commandId,
  actor: { id: 'admin-01', role: 'admin' },
  schoolId: SCHOOL,
  now: new Date('2026-08-30T08:00:00Z'),
});

describe('a SIECLE import through the configured store', () => {
  it('writes every student, and not one name, birth date or INE in clear in the events file or its WAL', async () => {
    const dir = tempDir('registre-siecle-sealed-');
    try {
      const store = await createEventStore({
        store: 'sqlite',
        dbPath: dir.file('registre.db'),
        synchronous: 'normal',
      });
      await handleCommand(
        store,
        schoolStreamId(SCHOOL),
        schoolDecider,
        {
          type: 'DefineSchoolYear',
          data: { schoolId: SCHOOL, schoolYear: '2026-2027', start: '2026-09-01', end: '2027-07-03' },
        },
        context('year'),
      );
      const report = await runImport(
        { store, knownStudentIds: () => [] },
        {
          kind: 'siecle',
          bytes: makeSiecleExport({ students: 60, classes: 2, groups: 2 }),
          schoolId: SCHOOL,
        },
        context('import'),
      );
      const registered = (await store.readAll()).filter((e) => e.type === 'StudentRegistered');
      const raw = [dir.file('registre.db'), dir.file('registre.db-wal')]
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file));
      await store.close();

      expect({ written: report.eventsWritten > 0, students: registered.length }).toEqual({
        written: true,
        students: 60,
      });
      const personal = new Set(
        registered.flatMap((e) =>
          [e.data.lastName, e.data.firstName, e.data.birthDate, e.data.ine].filter(
            (value): value is string => typeof value === 'string' && value.length >= 4,
          ),
        ),
      );
      expect(personal.size).toBeGreaterThan(20);
      const inClear = [...personal].filter((text) =>
        raw.some((bytes) => bytes.indexOf(Buffer.from(text, 'utf8')) !== -1),
      );
      expect(inClear).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
