import fc from 'fast-check';
import { fold } from '../../../src/domain/shared/decider';
import { runSteps } from '../../../src/domain/shared/steps';
import {
  CurrentStructure,
  ImportPlan,
  planImport,
  planImportSteps,
} from '../../../src/domain/structure/import-plan';
import {
  evolveSchool,
  initialSchoolState,
  schoolDecider,
  SchoolEvent,
} from '../../../src/domain/structure/school';
import {
  classOn,
  evolveStudent,
  groupsOn,
  initialStudentState,
  StudentEvent,
} from '../../../src/domain/structure/student';
import { makeSiecleExport } from '../../../src/import/fixtures-generator';
import { readExport } from '../../../src/import/read-export';
import {
  AUGUST_EXPORT,
  editedFixture,
  fixture,
  NOVEMBER_EXPORT,
  refusalOf,
  STS_EXPORT,
} from '../../import/fixtures';
import { SCHOOL, schoolYearDefined, trimestersSet } from './structure-fixtures';

const OPTIONS = { schoolId: SCHOOL, today: '2026-09-15' };

const newSchool = (): CurrentStructure => ({
  school: fold(schoolDecider, [schoolYearDefined(), trimestersSet()]),
  students: new Map(),
});

/** What the streams hold once the plan's events are appended. */
const applied = (current: CurrentStructure, plan: ImportPlan): CurrentStructure => {
  const students = new Map(current.students);
  for (const planned of plan.students)
    students.set(
      planned.studentId,
      planned.events.reduce(evolveStudent, students.get(planned.studentId) ?? initialStudentState()),
    );
  return { school: (plan.school?.events ?? []).reduce(evolveSchool, current.school), students };
};

const importing = (
  current: CurrentStructure,
  bytes: Buffer,
  kind: 'siecle' | 'sts' | 'csv' = 'siecle',
  options = {},
) => planImport(readExport(kind, bytes), current, { ...OPTIONS, ...options });

const eventsOf = (plan: ImportPlan): (SchoolEvent | StudentEvent)[] => [
  ...(plan.school?.events ?? []),
  ...plan.students.flatMap((s) => s.events),
];

describe('planning a first SIECLE import', () => {
  const plan = importing(newSchool(), fixture(AUGUST_EXPORT));
  const after = applied(newSchool(), plan);

  it('opens the classes and groups the students are in, not those of a student gone before the year', () => {
    expect(
      plan.school?.events.map(
        (e) =>
          `${e.type} ${'classId' in e.data ? e.data.classId : 'groupId' in e.data ? e.data.groupId : ''}`,
      ),
    ).toEqual([
      'ClassOpened 5A',
      'ClassOpened 5B',
      'ClassOpened 6A',
      'ClassOpened 6B',
      'GroupOpened 5LATIN',
      'GroupOpened 6-CHORALE',
      'GroupOpened ANG-G1',
    ]);
  });

  it('registers and enrols each student from the start of the year, with their groups', () => {
    expect(plan.summary).toMatchObject({
      studentsRegistered: 8,
      enrolments: 8,
      groupJoins: 6,
      moves: 0,
      departures: 0,
    });
    expect(plan.effectiveDate).toBe('2026-09-01');
    const lea = after.students.get('4521');
    expect(lea && classOn(lea, '2026-09-01')).toBe('5B');
    expect(lea && groupsOn(lea, '2026-09-01')).toEqual(['5LATIN', 'ANG-G1']);
    expect(lea?.details).toEqual({
      ine: '070123456AB',
      lastName: 'DUPONT-MOREAU',
      firstName: 'Léa',
      birthDate: '2014-04-17',
    });
  });

  it('skips, with a warning, a student who left before the year', () => {
    expect(after.students.has('4529')).toBe(false);
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        /ELEVE ELEVE_ID="4529" \(line \d+\): Lucas BERNARD left on 2026-07-04, before this year: skipped/,
      ),
    ]);
  });

  it('sends one command per stream: the school, then each student', () => {
    expect(plan.school?.streamId).toBe('school-0670001A');
    expect(plan.students.map((s) => s.streamId)).toContain('student-0670001A-4521');
    expect(plan.students).toHaveLength(8);
  });

  it('plans nothing when the same file is imported again', () => {
    const again = importing(after, fixture(AUGUST_EXPORT));
    expect(again.eventCount).toBe(0);
    expect(again.school).toBeUndefined();
    expect(again.students).toEqual([]);
  });
});

describe('planning a later export', () => {
  const august = applied(newSchool(), importing(newSchool(), fixture(AUGUST_EXPORT)));
  const november = importing(august, fixture(NOVEMBER_EXPORT));

  it('brings exactly its differences: two moves on the export date, a departure, an arrival', () => {
    const keys = { schoolId: SCHOOL };
    expect(eventsOf(november)).toEqual([
      {
        type: 'StudentMovedClass',
        data: { ...keys, studentId: '4521', fromClassId: '5B', toClassId: '5A', on: '2026-11-16' },
      },
      {
        type: 'StudentMovedClass',
        data: { ...keys, studentId: '4523', fromClassId: '5A', toClassId: '5B', on: '2026-11-16' },
      },
      {
        type: 'StudentDeparted',
        data: { ...keys, studentId: '4527', on: '2026-11-13', classId: '6B', groupIds: ['6-CHORALE'] },
      },
      {
        type: 'StudentRegistered',
        data: {
          ...keys,
          studentId: '4530',
          ine: '071023456JK',
          lastName: 'PETIT-JEAN',
          firstName: 'Noé',
          birthDate: '2015-08-08',
        },
      },
      { type: 'StudentEnrolled', data: { ...keys, studentId: '4530', classId: '6B', from: '2026-11-02' } },
      {
        type: 'StudentJoinedGroup',
        data: { ...keys, studentId: '4530', groupId: '6-CHORALE', from: '2026-11-02' },
      },
    ]);
  });

  it('keeps the history: Léa was in 5B until the move and in 5A from it', () => {
    const lea = applied(august, november).students.get('4521');
    expect(lea && [classOn(lea, '2026-11-15'), classOn(lea, '2026-11-16')]).toEqual(['5B', '5A']);
  });

  it('takes the effective date from the caller when given', () => {
    const dated = importing(august, fixture(NOVEMBER_EXPORT), 'siecle', { effectiveDate: '2026-11-23' });
    expect(dated.students.find((s) => s.studentId === '4521')?.events[0].data).toMatchObject({
      on: '2026-11-23',
    });
  });

  it('plans nothing when the later export is imported again', () =>
    expect(importing(applied(august, november), fixture(NOVEMBER_EXPORT)).eventCount).toBe(0));

  it('records as left on the effective date a student missing from the export', () => {
    const withoutYanis = editedFixture(AUGUST_EXPORT, (t) =>
      t
        .replace(/<ELEVE ELEVE_ID="4523"[\s\S]*?<\/ELEVE>/, '')
        .replace(/<STRUCTURES_ELEVE ELEVE_ID="4523"[\s\S]*?<\/STRUCTURES_ELEVE>/, ''),
    );
    const plan = importing(august, withoutYanis, 'siecle', { effectiveDate: '2026-10-05' });
    expect(eventsOf(plan)).toEqual([
      {
        type: 'StudentDeparted',
        data: { schoolId: SCHOOL, studentId: '4523', on: '2026-10-05', classId: '5A', groupIds: ['5LATIN'] },
      },
    ]);
    expect(plan.warnings).toContain('4523 (HAMIDI Yanis) is not in the file: recorded as left on 2026-10-05');
    expect(importing(august, withoutYanis, 'siecle', { departMissing: false }).eventCount).toBe(0);
  });
});

describe('refusing a file that does not fit the school', () => {
  it('says which school the file is for', async () => {
    const error = await refusalOf(() =>
      importing(
        newSchool(),
        editedFixture(AUGUST_EXPORT, (t) => t.replace('<UAJ>0670001A</UAJ>', '<UAJ>0670002B</UAJ>')),
      ),
    );
    expect([error.code, error.message, error.details]).toEqual([
      'IMPORT.WRONG_SCHOOL',
      'this file is for school 0670002B, not for 0670001A',
      { expected: '0670001A', found: '0670002B' },
    ]);
  });

  it('says which year the file is for', async () => {
    const error = await refusalOf(() =>
      importing(
        newSchool(),
        editedFixture(AUGUST_EXPORT, (t) =>
          t.replace('<ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE>', '<ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE>'),
        ),
      ),
    );
    expect([error.code, error.message]).toEqual([
      'IMPORT.WRONG_YEAR',
      'this file is for the school year 2025-2026, which the school has not declared (declared: 2026-2027)',
    ]);
  });

  it('asks for the school year first', async () => {
    const error = await refusalOf(() =>
      importing({ school: initialSchoolState(), students: new Map() }, fixture(AUGUST_EXPORT)),
    );
    expect(error.code).toBe('IMPORT.NO_SCHOOL_YEAR');
  });

  it('names the record a rule refuses', async () => {
    const error = await refusalOf(() =>
      importing(
        newSchool(),
        editedFixture(AUGUST_EXPORT, (t) => t.replace('070123456AB', '0701')),
      ),
    );
    expect(error.code).toBe('STRUCTURE.INE_INVALID');
    expect(error.message).toMatch(/^ELEVE ELEVE_ID="4521" \(line 11\): an INE has 11 letters or digits/);
  });
});

describe('planning an STS-web import', () => {
  const august = applied(newSchool(), importing(newSchool(), fixture(AUGUST_EXPORT)));
  const plan = importing(august, fixture(STS_EXPORT), 'sts');

  it('defines subjects and teachers, names the classes, links groups to classes and assigns teaching', () => {
    expect(plan.summary).toMatchObject({
      subjectsDefined: 4,
      teachersRecorded: 3,
      classesUpdated: 3,
      groupsUpdated: 2,
      teachingAssigned: 6,
    });
    const after = applied(august, plan).school;
    expect(after.classes.get('5A')?.label).toBe('5EME A');
    expect(after.classes.get('6B')?.label).toBe('6B');
    expect(after.groups.get('5LATIN')?.classIds).toEqual(['5A', '5B']);
  });

  it('plans nothing the second time, and ends an assignment STS no longer lists', () => {
    const after = applied(august, plan);
    expect(importing(after, fixture(STS_EXPORT), 'sts').eventCount).toBe(0);
    const withoutLatin = editedFixture(STS_EXPORT, (t) =>
      t.replace(
        '<ENSEIGNANT ID="8950" TYPE="epp"/>\n              </ENSEIGNANTS>\n            </SERVICE>\n          </SERVICES>\n        </GROUPE>',
        '</ENSEIGNANTS>\n            </SERVICE>\n          </SERVICES>\n        </GROUPE>',
      ),
    );
    expect(eventsOf(importing(after, withoutLatin, 'sts'))).toEqual([
      {
        type: 'TeachingUnassigned',
        data: {
          schoolId: SCHOOL,
          teacherId: '8950',
          subjectId: '020700',
          target: { kind: 'group', id: '5LATIN' },
        },
      },
    ]);
  });

  it('refuses a group drawn from a class that exists nowhere', () => {
    const bad = editedFixture(STS_EXPORT, (t) =>
      t.replace(
        '<DIVISION_APPARTENANCE CODE="5B"/>\n          </DIVISIONS_APPARTENANCE>',
        '<DIVISION_APPARTENANCE CODE="5Z"/>\n          </DIVISIONS_APPARTENANCE>',
      ),
    );
    expect(() => importing(august, bad, 'sts')).toThrow(
      /^GROUPE CODE="5LATIN" \(line 112\): the group 5LATIN names the class 5Z, which is neither in the file nor in the school$/,
    );
  });
});

describe('planning imports of generated exports (property)', () => {
  it('plans nothing on re-import, and exactly the moves and departures of a later export', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer(),
        (students, classes, groups, moves, departures, seed) => {
          const base = { students, classes, groups, seed };
          const first = importing(newSchool(), makeSiecleExport(base));
          const after = applied(newSchool(), first);
          expect(importing(after, makeSiecleExport(base)).eventCount).toBe(0);
          const later = importing(
            after,
            makeSiecleExport({
              ...base,
              moves,
              departures,
              exportDate: '02/02/2027',
              departureDate: '15/01/2027',
            }),
          );
          const movedInFile = Math.min(moves, students - Math.min(departures, students));
          const changesClass = (i: number) => i % classes !== ((i % classes) + 4) % classes;
          const expectedMoves = Array.from({ length: movedInFile }, (_, i) => i).filter(changesClass).length;
          expect(later.summary.moves).toBe(expectedMoves);
          expect(later.summary.departures).toBe(Math.min(departures, students));
          expect(later.eventCount - (later.school?.events.length ?? 0)).toBe(
            expectedMoves + Math.min(departures, students),
          );
          expect(later.school?.events.every((e) => e.type === 'ClassOpened') ?? true).toBe(true);
          expect(
            importing(
              applied(after, later),
              makeSiecleExport({
                ...base,
                moves,
                departures,
                exportDate: '02/02/2027',
                departureDate: '15/01/2027',
              }),
            ).eventCount,
          ).toBe(0);
        },
      ),
      { numRuns: 40 },
    ));
});

describe('planning in steps', () => {
  it('yields after each student planned, and the steps give the same plan as planImport', () => {
    const file = readExport('siecle', makeSiecleExport({ students: 300, classes: 10, groups: 4 }));
    const current = applied(newSchool(), planImport(file, newSchool(), OPTIONS));
    const later = readExport('siecle', makeSiecleExport({ students: 280, classes: 10, groups: 4, seed: 7 }));
    const steps = planImportSteps(later, current, { ...OPTIONS, allowMassDeparture: true });
    let yields = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) yields += 1;
    expect(yields).toBeGreaterThanOrEqual(300);
    expect(next.value).toEqual(planImport(later, current, { ...OPTIONS, allowMassDeparture: true }));
    expect(runSteps(planImportSteps(later, current, OPTIONS))).toEqual(planImport(later, current, OPTIONS));
  });
});
