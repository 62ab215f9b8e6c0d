import { join } from 'node:path';
import { schoolDecider, schoolStreamId } from '../src/domain/structure/school';
import { CommandContext, handleCommand } from '../src/event-store/handle-command';
import { EventStore } from '../src/event-store/event-store';
import { KeyStore, PiiProtectingStore } from '../src/event-store/pii';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { makeSiecleExport } from '../src/import/fixtures-generator';
import { runImport } from '../src/import/run-import';
import { Figure, Scenario, now, seconds } from './harness';

const SCHOOL = '0670001A';

const context = (commandId: string): CommandContext => ({
  commandId,
  actor: { id: 'admin-01', role: 'admin' },
  schoolId: SCHOOL,
  now: new Date('2026-08-30T08:00:00Z'),
});

/** One import into an empty school, timed from the file's bytes to the last event durable. */
const timedImport = async (store: EventStore, bytes: Buffer) => {
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
  const t = now();
  const report = await runImport(
    { store, knownStudentIds: () => [] },
    { kind: 'siecle', bytes, schoolId: SCHOOL },
    context('import'),
  );
  const elapsed = seconds(t);
  await store.close();
  return { elapsed, report };
};

/**
 * A whole SIECLE students export into an empty school, durable (synchronous=FULL), as `registre import` does it:
 * on the bare SQLite store, then behind the seal of students' personal data (one key per student,
 * created durably in the keys file, as `createEventStore` wires it), the ratio being what RGPD costs.
 */
export const siecleImport = (students: number): Scenario => ({
  name: 'siecle-import',
  settings: { students, classes: Math.ceil(students / 30), groups: 20, synchronous: 'full' },
  async run(dir) {
    const bytes = makeSiecleExport({ students, classes: Math.ceil(students / 30), groups: 20 });
    const { elapsed, report } = await timedImport(
      SqliteEventStore.open({ path: join(dir, 'import.db'), synchronous: 'full' }),
      bytes,
    );
    const sealed = await timedImport(
      new PiiProtectingStore(
        SqliteEventStore.open({ path: join(dir, 'sealed.db'), synchronous: 'full' }),
        KeyStore.open(join(dir, 'sealed.keys.db')),
      ),
      bytes,
    );
    const figures: Figure[] = [
      {
        key: 'siecle_import_seconds',
        label: `SIECLE import of ${students} students`,
        value: elapsed,
        unit: 's',
        better: 'lower',
      },
      {
        key: 'siecle_import_sealed_seconds',
        label: `SIECLE import of ${students} students, personal data sealed (RGPD)`,
        value: sealed.elapsed,
        unit: 's',
        better: 'lower',
      },
      {
        key: 'siecle_import_sealed_ratio',
        label: 'sealed import time / bare import time',
        value: sealed.elapsed / elapsed,
        unit: 'x',
        better: 'lower',
      },
      {
        key: 'siecle_import_events',
        label: 'events written by the import',
        value: report.eventsWritten,
        unit: 'events',
        better: 'lower',
      },
      {
        key: 'siecle_import_bytes',
        label: 'size of the export file',
        value: bytes.length,
        unit: 'B',
        better: 'lower',
      },
    ];
    return figures;
  },
});
