import { openHalfDaysOn } from '../../../src/domain/attendance';
import { DEFAULT_LESSON_HALF_DAYS } from '../../../src/domain/settings/lesson-half-days';
import { SchoolCommand } from '../../../src/domain/structure/school';
import {
  readClosures,
  readSchoolCalendar,
  schoolCalendarOf,
  schoolSettingsProjection,
} from '../../../src/projections/structure';
import { contextFor, SCHOOL, StructureHarness } from '../../import/import-harness';

const declare = (closureId: string, from: string, to: string, label: string): SchoolCommand => ({
  type: 'DeclareClosure',
  data: { schoolId: SCHOOL, closureId, from, to, label, kind: 'holidays' },
});

describe('the school calendar read model', () => {
  let harness: StructureHarness;
  beforeAll(async () => {
    harness = StructureHarness.open();
    await harness.defineYear();
    await harness.school({
      type: 'ChangeSetting',
      data: {
        schoolId: SCHOOL,
        key: 'lessonHalfDays',
        value: { ...DEFAULT_LESSON_HALF_DAYS, wednesday: ['AM'] },
        effectiveFrom: '2026-11-16',
      },
    });
    await harness.school(declare('toussaint-2026', '2026-10-17', '2026-11-01', 'Vacances de la Toussaint'));
    await harness.school(declare('armistice-2026', '2026-11-11', '2026-11-11', 'Armistice'));
    await harness.school(declare('pont-2026', '2026-11-12', '2026-11-13', 'Pont'));
    await harness.school(
      {
        type: 'WithdrawClosure',
        data: { schoolId: SCHOOL, closureId: 'pont-2026', reason: 'no bridge after all' },
      },
      contextFor({ reason: 'no bridge after all' }, 'principal'),
    );
    await harness.runner.catchUp();
  });
  afterAll(() => harness.close());

  const tables = () => harness.tables(schoolSettingsProjection.name);

  it('gives the closed dates of a range with their labels, leaving out withdrawn closures', () => {
    const calendar = schoolCalendarOf(harness.readDb, tables(), SCHOOL, '2026-10-30', '2026-11-14');
    expect([...(calendar.closedDates ?? [])]).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-11',
    ]);
    expect(calendar.closureLabels?.get('2026-11-11')).toBe('Armistice');
    expect(openHalfDaysOn(calendar, '2026-11-12')).toEqual(['AM', 'PM']);
  });

  it('gives the week pattern in force on the first date and the change inside the range', () => {
    const before = schoolCalendarOf(harness.readDb, tables(), SCHOOL, '2026-11-02', '2026-11-08');
    expect(before.weekChanges).toBeUndefined();
    expect(openHalfDaysOn(before, '2026-11-04')).toEqual(['AM', 'PM']);
    const across = schoolCalendarOf(harness.readDb, tables(), SCHOOL, '2026-11-02', '2026-11-30');
    expect(across.weekChanges?.map((c) => c.from)).toEqual(['2026-11-16']);
    expect(openHalfDaysOn(across, '2026-11-04')).toEqual(['AM', 'PM']);
    expect(openHalfDaysOn(across, '2026-11-18')).toEqual(['AM']);
    const after = schoolCalendarOf(harness.readDb, tables(), SCHOOL, '2026-11-20', '2026-11-30');
    expect(after.weekChanges).toBeUndefined();
    expect(openHalfDaysOn(after, '2026-11-25')).toEqual(['AM']);
  });

  it('answers for every date without bounds', () => {
    const calendar = readSchoolCalendar(harness.readDb, tables(), SCHOOL);
    expect(calendar.closedDates?.size).toBe(17);
    expect(openHalfDaysOn(calendar, '2026-11-04')).toEqual(['AM', 'PM']);
    expect(openHalfDaysOn(calendar, '2027-03-17')).toEqual(['AM']);
  });

  it('lists the closures touching a range, the withdrawn one marked with who, when and why', () => {
    const closures = readClosures(harness.readDb, tables(), SCHOOL, '2026-11-01', '2026-11-30');
    expect(closures.map((c) => [c.closureId, c.withdrawn?.reason ?? null])).toEqual([
      ['toussaint-2026', null],
      ['armistice-2026', null],
      ['pont-2026', 'no bridge after all'],
    ]);
    expect(closures[2].withdrawn).toMatchObject({ by: 'principal-01' });
    expect(BigInt(closures[2].withdrawn?.position ?? '0')).toBeGreaterThan(
      BigInt(closures[2].declared.position),
    );
    expect(readClosures(harness.readDb, tables(), SCHOOL, '2026-11-02', '2026-11-10')).toEqual([]);
    expect(readClosures(harness.readDb, tables(), '0670002B')).toEqual([]);
  });

  it('is rebuilt the same from the log', async () => {
    const second = harness.secondReader(1);
    try {
      await second.runner.catchUp();
      const rebuilt = second.runner.tables(schoolSettingsProjection.name);
      expect(readClosures(second.db, rebuilt, SCHOOL)).toEqual(
        readClosures(harness.readDb, tables(), SCHOOL),
      );
      expect(readSchoolCalendar(second.db, rebuilt, SCHOOL)).toEqual(
        readSchoolCalendar(harness.readDb, tables(), SCHOOL),
      );
    } finally {
      second.close();
    }
  });
});
