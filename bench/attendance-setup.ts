import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRE_PROJECTIONS } from '../src/projections/registre-projections';
import { readModelsPathFor } from '../src/config';
import { StreamEvent, makeSchoolYearOfAttendance } from '../src/demo/attendance-year';
import { DefineSchoolYear } from '../src/domain/structure/school';
import { schoolDecider, schoolStreamId } from '../src/domain/structure/school';
import { openReadModelDb } from '../src/event-store/create-store';
import { EventStore } from '../src/event-store/event-store';
import { CommandContext, handleCommand } from '../src/event-store/handle-command';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { classCode, makeSiecleExport } from '../src/import/fixtures-generator';
import { runImport } from '../src/import/run-import';
import { Projection } from '../src/projections/projection';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { attendanceProjection } from '../src/projections/attendance';
import { IsoDate, addDays, weekdayOf } from '../src/domain/shared/calendar';
import { todayInParis } from '../src/domain/shared/clock';

/**
 * What the attendance scenarios stand on — a region's schools, a school year of roll calls — is
 * built once per bench process (setup is not measured) and copied into each run's directory.
 */

const templates = new Map<string, Promise<string>>();
let templateDir: string | undefined;

const dirForTemplates = (): string => {
  // A session's directory, shared by the scenarios' processes (bench/run.ts): kept by the session.
  const shared = process.env.REGISTRE_BENCH_TEMPLATES;
  if (shared !== undefined) return shared;
  if (templateDir === undefined) {
    const dir = mkdtempSync(join(process.env.REGISTRE_BENCH_DIR ?? tmpdir(), 'registre-bench-templates-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    templateDir = dir;
  }
  return templateDir;
};

/** Copies the database `name` (built by `build` the first time) to `target`, its read models (if any) beside it. */
export const copyTemplate = async (
  name: string,
  build: (path: string) => Promise<void>,
  target: string,
): Promise<void> => {
  let template = templates.get(name);
  if (!template) {
    const path = join(dirForTemplates(), `${name}.db`);
    // Built by an earlier scenario's process of the same session: whole once its mark is written.
    const built = `${path}.built`;
    template = existsSync(built)
      ? Promise.resolve(path)
      : build(path).then(() => {
          for (const file of [path, readModelsPathFor(path)]) if (existsSync(file)) syncFile(file);
          writeFileSync(built, '');
          return path;
        });
    templates.set(name, template);
  }
  const source = await template;
  copyDurably(source, target);
  if (existsSync(readModelsPathFor(source)))
    copyDurably(readModelsPathFor(source), readModelsPathFor(target));
};

/**
 * A copy on disk before the run measures anything: left to the kernel's writeback, tens of megabytes
 * of a copied log were written out while the run measured, and its own fsyncs waited behind them.
 */
const copyDurably = (source: string, target: string): void => {
  copyFileSync(source, target);
  syncFile(target);
};

const syncFile = (path: string): void => {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** Brings `projections` to the head, then folds each WAL into its file so that copying the two files is enough. */
const settle = async (store: EventStore, path: string, projections: readonly Projection[]) => {
  const db = openReadModelDb({ readModelsPath: readModelsPathFor(path) });
  const runner = new ProjectionRunner({ store, db, projections, batchSize: 10_000 });
  await runner.catchUp();
  await runner.stop();
  await store.close();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
};

// ---- a region's schools -------------------------------------------------------------------------

export type RegionClass = {
  readonly schoolId: string;
  readonly classId: string;
  readonly students: readonly string[];
};

export type Region = {
  readonly schoolIds: readonly string[];
  readonly classes: readonly RegionClass[];
  /** The school day the roll calls are for: the last weekday up to today (Europe/Paris). */
  readonly date: IsoDate;
  readonly schoolYear: { readonly schoolYear: string; readonly start: IsoDate; readonly end: IsoDate };
};

const lastWeekday = (today: IsoDate): IsoDate => {
  let date = today;
  while (weekdayOf(date) > 5) date = addDays(date, -1);
  return date;
};

/** `classes` classes of `classSize` students in schools of up to `classesPerSchool` classes. */
export const regionOf = (classes: number, classesPerSchool: number, classSize: number): Region => {
  const date = lastWeekday(todayInParis(new Date()));
  const year = Number(date.slice(5, 7)) >= 9 ? Number(date.slice(0, 4)) : Number(date.slice(0, 4)) - 1;
  const schoolCount = Math.ceil(classes / classesPerSchool);
  const schoolIds = Array.from({ length: schoolCount }, (_, i) => `067${String(1000 + i)}B`);
  const perSchool = (i: number) => Math.min(classesPerSchool, classes - i * classesPerSchool);
  return {
    schoolIds,
    // makeSiecleExport puts student i of a school in class i mod (its class count).
    classes: schoolIds.flatMap((schoolId, s) =>
      Array.from({ length: perSchool(s) }, (_, c) => ({
        schoolId,
        classId: classCode(c),
        students: Array.from({ length: classSize }, (_, k) => String(100000 + c + k * perSchool(s))),
      })),
    ),
    date,
    // From September to August, so that any weekday of the year is inside it.
    schoolYear: { schoolYear: `${year}-${year + 1}`, start: `${year}-09-01`, end: `${year + 1}-08-31` },
  };
};

const adminContext = (schoolId: string, commandId: string, at: string): CommandContext => ({
  commandId,
  actor: { id: 'admin-bench', role: 'admin' },
  schoolId,
  now: new Date(at),
});

/** Every school's year (with `periods` when given) and SIECLE import, then every projection of the service caught up. */
export const buildRegion = async (
  path: string,
  region: Region,
  periods?: DefineSchoolYear['data']['periods'],
): Promise<void> => {
  const store = SqliteEventStore.open({ path, synchronous: 'normal' });
  const year = Number(region.schoolYear.start.slice(0, 4));
  await Promise.all(
    region.schoolIds.map(async (schoolId) => {
      const classes = region.classes.filter((c) => c.schoolId === schoolId);
      const at = `${year}-08-30T08:00:00.000Z`;
      await handleCommand(
        store,
        schoolStreamId(schoolId),
        schoolDecider,
        { type: 'DefineSchoolYear', data: { schoolId, ...region.schoolYear, ...(periods && { periods }) } },
        adminContext(schoolId, `bench-year-${schoolId}`, at),
      );
      await runImport(
        { store, knownStudentIds: () => [], concurrency: 8 },
        {
          kind: 'siecle',
          schoolId,
          bytes: makeSiecleExport({
            students: classes.length * classes[0].students.length,
            classes: classes.length,
            groups: 0,
            schoolId,
            year,
          }),
        },
        adminContext(schoolId, `bench-import-${schoolId}`, at),
      );
    }),
  );
  await settle(store, path, REGISTRE_PROJECTIONS);
};

// ---- a school year of attendance ------------------------------------------------------------------

/** Appends events in their order, sending runs of distinct streams together (one group commit each). */
const appendInOrder = async (store: EventStore, events: readonly StreamEvent[]) => {
  let window: StreamEvent[] = [];
  let streams = new Set<string>();
  const flush = async () => {
    await Promise.all(window.map(({ streamId, event }) => store.appendToStream(streamId, [event])));
    window = [];
    streams = new Set();
  };
  for (const entry of events) {
    if (window.length >= 500 || streams.has(entry.streamId)) await flush();
    window.push(entry);
    streams.add(entry.streamId);
  }
  await flush();
};

export type SchoolYearSetup = ReturnType<typeof makeSchoolYearOfAttendance>;

let yearOfAttendance: { students: number; year: SchoolYearSetup } | undefined;

/** The generated year (kept for the process: the runs need its late justification). */
export const schoolYearOf = (students: number): SchoolYearSetup => {
  if (yearOfAttendance?.students !== students)
    yearOfAttendance = { students, year: makeSchoolYearOfAttendance({ students }) };
  return yearOfAttendance.year;
};

/** Events of a generated year, in the order the school recorded them. */
export type GeneratedYear = { readonly events: readonly StreamEvent[] };

/** The year's events in a store, and nothing projected. */
export const buildLogOfSchoolYear = async (path: string, year: GeneratedYear): Promise<void> => {
  const store = SqliteEventStore.open({ path, synchronous: 'normal' });
  await appendInOrder(store, year.events);
  await store.close();
};

/** The year's events in a store, the attendance projection caught up. */
export const buildSchoolYear = async (path: string, year: SchoolYearSetup): Promise<void> => {
  const store = SqliteEventStore.open({ path, synchronous: 'normal' });
  await appendInOrder(store, year.events);
  await settle(store, path, [attendanceProjection]);
};

/** The year's events (its school, classes and students among them) in a store, every projection of the service caught up. */
export const buildSchoolYearForService = async (path: string, year: GeneratedYear): Promise<void> => {
  const store = SqliteEventStore.open({ path, synchronous: 'normal' });
  await appendInOrder(store, year.events);
  await settle(store, path, REGISTRE_PROJECTIONS);
};
