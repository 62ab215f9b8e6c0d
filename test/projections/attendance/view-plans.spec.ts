import { Database } from 'better-sqlite3';
import { lessonsOfTallies, TakenRollCall, weeklyLessonsOf } from '../../../src/domain/attendance';
import { weekdayOf } from '../../../src/domain/shared/calendar';
import { SqliteEventStore } from '../../../src/event-store/sqlite';
import {
  AttendanceTable,
  attendanceProjection,
  classDay,
  classesCalled,
  rollCallCompletenessProjection,
  schoolAlerts,
  studentLedger,
  studentTotals,
  weeklyTallies,
} from '../../../src/projections/attendance';
import { ProjectionRunner } from '../../../src/projections/projection-runner';
import { openReadModels, openStore, TempFiles, tempFiles } from '../support';

const SCHOOL = '0670001A';

/** The plan of `sql`, every parameter bound to NULL: what SQLite reads, not what it finds. */
const planOf = (db: Database, sql: string): string[] => {
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const named = [...new Set(sql.match(/@[A-Za-z]+/g) ?? [])].map((name) => [name.slice(1), null]);
  const positional = (sql.match(/\?/g) ?? []).map(() => null);
  const rows = (
    named.length > 0 ? statement.all(Object.fromEntries(named)) : statement.all(...positional)
  ) as {
    detail: string;
  }[];
  return rows.map((row) => row.detail);
};

/**
 * A full read of one of the read models' tables: what a daily view must never do. The lists a query
 * builds for itself (its CTEs, json_each of its parameters) are read whole, and are a few rows.
 */
/** Scans of tables: not of json_each, of a CTE or subquery's own rows (a GROUP BY's groups), or of a constant row. */
const scansOf = (plan: readonly string[]): string[] =>
  plan.filter((line) => /^SCAN (?!json_each|school_months|classes|CONSTANT ROW|\(subquery-)/.test(line));

describe('the daily views, read through indexes', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
    runner = new ProjectionRunner({
      store,
      db,
      projections: [attendanceProjection, rollCallCompletenessProjection],
    });
    await runner.catchUp();
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
    db.close();
    files.remove();
  });

  /** Every statement `view` prepares on the connection, with its plan. */
  const statementsOf = (view: () => unknown): { sql: string; plan: string[] }[] => {
    const prepare = db.prepare.bind(db);
    const seen: string[] = [];
    const spy = jest.spyOn(db, 'prepare').mockImplementation((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    });
    try {
      view();
    } finally {
      spy.mockRestore();
    }
    return seen.map((sql) => ({ sql, plan: planOf(db, sql) }));
  };

  it('answers a class day, a student’s counts and ledger, and a page of alerts without a full read', () => {
    const t = runner.tables<AttendanceTable>(attendanceProjection.name);
    const views: [string, () => unknown][] = [
      ['class day', () => classDay(db, t, { schoolId: SCHOOL, classOrGroupId: '5B', date: '2026-11-17' })],
      [
        'counts',
        () =>
          studentTotals(db, t, { schoolId: SCHOOL, studentId: 's1', from: '2026-09-01', to: '2027-07-03' }),
      ],
      [
        'ledger',
        () =>
          studentLedger(db, t, { schoolId: SCHOOL, studentId: 's1', from: '2026-11-01', to: '2026-11-30' }),
      ],
      ['open alerts', () => schoolAlerts(db, t, { schoolId: SCHOOL, limit: 101 })],
      [
        'next page of all alerts',
        () =>
          schoolAlerts(db, t, {
            schoolId: SCHOOL,
            status: 'all',
            after: ['2026-11', 's1', 'monthly', 12],
            limit: 101,
          }),
      ],
      [
        'alerts of a month',
        () => schoolAlerts(db, t, { schoolId: SCHOOL, status: 'withdrawn', month: '2026-11', limit: 101 }),
      ],
    ];
    const plans = new Map(views.map(([name, view]) => [name, statementsOf(view)]));
    for (const [name, statements] of plans) {
      expect([name, statements.length > 0]).toEqual([name, true]);
      for (const { sql, plan } of statements)
        expect({ name, sql, scans: scansOf(plan) }).toEqual({ name, sql, scans: [] });
    }
    const sorts = [...plans]
      .filter(([name]) => name.includes('alerts'))
      .flatMap(([name, statements]) =>
        statements.flatMap(({ plan }) => plan.map((line) => `${name}: ${line}`)),
      )
      .filter((line) => /TEMP B-TREE/.test(line));
    expect(sorts).toEqual([]);
    expect(plans.get('next page of all alerts')?.[0].plan).toEqual([
      expect.stringMatching(
        /^SEARCH \S+ USING INDEX \S+_alerts_all \(school_id=\? AND \(month,student_id,tier,raised_position\)>\(\?,\?,\?,\?\)\)$/,
      ),
    ]);
  });

  it('reads the weekly pattern of a day from its weekdays, and which classes were called one lookup each', () => {
    const t = runner.tables<'rollcalls'>(rollCallCompletenessProjection.name);
    const window = { schoolId: SCHOOL, from: '2026-10-20', to: '2026-11-17' };
    const statements = [
      ...statementsOf(() => weeklyTallies(db, t, { ...window, dates: ['2026-11-10', '2026-11-17'] })),
      ...statementsOf(() => weeklyTallies(db, t, window)),
      ...statementsOf(() => classesCalled(db, t, { ...window, among: ['5A', '5B'] })),
    ];
    expect(statements).toHaveLength(3);
    for (const { sql, plan } of statements) expect({ sql, scans: scansOf(plan) }).toEqual({ sql, scans: [] });
  });

  it('counts the weekly pattern in SQL as the domain does from the roll calls', () => {
    const t = runner.tables<'rollcalls'>(rollCallCompletenessProjection.name);
    const taken: (TakenRollCall & { status?: string })[] = [
      // 5B on Mondays at S2 (three weeks, two takers), on Tuesday 10 at M1 once, a voided call that does not count.
      { classOrGroupId: '5B', date: '2026-11-02', slotCode: 'S2', takenBy: 'teacher-02' },
      { classOrGroupId: '5B', date: '2026-11-09', slotCode: 'S2', takenBy: 'teacher-01' },
      { classOrGroupId: '5B', date: '2026-11-16', slotCode: 'S2', takenBy: 'teacher-01' },
      { classOrGroupId: '5B', date: '2026-11-10', slotCode: 'M1', takenBy: 'teacher-01' },
      { classOrGroupId: '5B', date: '2026-11-03', slotCode: 'M1', takenBy: 'teacher-01', status: 'voided' },
      // 4A on Sunday 8 and 15 (the last day of their weeks), on Tuesday 3 and 17 at M1.
      { classOrGroupId: '4A', date: '2026-11-08', slotCode: 'M1', takenBy: 'teacher-03' },
      { classOrGroupId: '4A', date: '2026-11-15', slotCode: 'M1', takenBy: 'teacher-04' },
      { classOrGroupId: '4A', date: '2026-11-03', slotCode: 'M1', takenBy: 'teacher-03' },
      { classOrGroupId: '4A', date: '2026-11-17', slotCode: 'M1', takenBy: 'teacher-03' },
    ];
    const insert = db.prepare(
      `INSERT INTO "${t.rollcalls}" (school_id, class_id, date, weekday, slot_code, rollcall_id, status, taken_by_id,
         taken_by_role, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'teacher', '2026-11-20T08:00:00.000Z')`,
    );
    for (const { classOrGroupId, date, slotCode, takenBy, status } of taken)
      insert.run(
        SCHOOL,
        classOrGroupId,
        date,
        weekdayOf(date),
        slotCode,
        `rc-${classOrGroupId}-${date}-${slotCode}`,
        status ?? 'taken',
        takenBy,
      );
    const counted = taken.filter((rollCall) => rollCall.status === undefined);
    const sorted = <T extends { classOrGroupId: string; weekday: number; slotCode: string }>(lessons: T[]) =>
      [...lessons].sort((a, b) =>
        `${a.classOrGroupId}|${a.weekday}|${a.slotCode}` < `${b.classOrGroupId}|${b.weekday}|${b.slotCode}`
          ? -1
          : 1,
      );

    expect(
      sorted(
        lessonsOfTallies(weeklyTallies(db, t, { schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' })),
      ),
    ).toEqual([
      { classOrGroupId: '4A', weekday: 2, slotCode: 'M1', teacherId: 'teacher-03' },
      { classOrGroupId: '4A', weekday: 7, slotCode: 'M1', teacherId: 'teacher-03' },
      { classOrGroupId: '5B', weekday: 1, slotCode: 'S2', teacherId: 'teacher-01' },
    ]);
    expect(
      sorted(
        lessonsOfTallies(weeklyTallies(db, t, { schoolId: SCHOOL, from: '2026-11-01', to: '2026-11-30' })),
      ),
    ).toEqual(sorted(weeklyLessonsOf(counted)));
    const mondays = ['2026-11-02', '2026-11-09', '2026-11-16'];
    expect(
      lessonsOfTallies(weeklyTallies(db, t, { schoolId: SCHOOL, from: '', to: '', dates: mondays })),
    ).toEqual(weeklyLessonsOf(counted.filter((rollCall) => mondays.includes(rollCall.date))));
    expect(
      classesCalled(db, t, {
        schoolId: SCHOOL,
        from: '2026-11-09',
        to: '2026-11-12',
        among: ['4A', '5B', '6C'],
      }),
    ).toEqual(['5B']);
  });
});
