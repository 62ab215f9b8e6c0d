import BetterSqlite3, { type Database } from 'better-sqlite3';
import {
  AssessmentEvent,
  assessmentStreamId,
  DEFAULT_POSITIONING_SETTINGS,
  PeriodSettings,
  reportStreamId,
  studentPeriodResult,
} from '../../../src/domain/assessment';
import { Recorded, TableNames, tableNamesFor } from '../../../src/projections';
import {
  AssessmentsTable,
  assessmentsProjection,
  readAssessment,
  readAssessments,
  readClassReports,
  readPeriodRows,
} from '../../../src/projections/assessment';
import { enrolmentsProjection } from '../../../src/projections/structure';
import { GivenEvent, inStream, projectionSpec, withMetadata } from '../../support/projection-spec';
import {
  assessmentCancelled,
  assessmentChanged,
  assessmentCreated,
  gradeCorrected,
  gradesRecorded,
  ITEMS,
  KEYS,
  levelCorrected,
  levelsRecorded,
  TEACHER,
  TERMS,
} from '../../domain/assessment/fixtures';

const SCHOOL = '0670001A';
const T1 = { id: 'T1', start: '2026-09-01', end: '2026-11-30' };
const a1 = assessmentStreamId(SCHOOL, 'a1');
const spec = projectionSpec(assessmentsProjection);

/** One minute apart from 07:00, as projectionSpec records them. */
const at = (minute: number) => `2026-11-16T07:${String(minute).padStart(2, '0')}:00.000Z`;

describe('the assessments projection: one row per assessment', () => {
  // Given: created, graded, two grade corrections (one removes a grade typed in the wrong column),
  // levels, two level corrections, then its coefficient, formative flag and date (into T2) changed.
  const history = inStream(
    a1,
    assessmentCreated({ competencyItems: ITEMS }),
    gradesRecorded([
      { studentId: 's01', value: 12 },
      { studentId: 's02', value: 'ABS' },
      { studentId: 's03', value: 15.5 },
    ]),
    gradeCorrected('s03', 15.5, null, { reason: 'wrong column' }),
    gradeCorrected('s02', 'ABS', 8),
    levelsRecorded([
      { studentId: 's01', itemId: 'C-CALC', value: 3 },
      { studentId: 's01', itemId: 'C-RAIS', value: 2 },
      { studentId: 's02', itemId: 'C-CALC', value: 'ABS' },
    ]),
    levelCorrected('s01', 'C-RAIS', 2, 4),
    levelCorrected('s02', 'C-CALC', 'ABS', null),
    assessmentChanged(
      { coefficient: 2, formative: true, date: '2026-12-07', periodId: 'T2' },
      { reason: 'wrong coefficient and period', studentIds: ['s01', 's02'] },
    ),
  );

  it('holds the current grades, levels, terms and every correction', () =>
    spec.given(history).then((db, t) => readAssessment(db, t, SCHOOL, 'a1'), {
      schoolId: SCHOOL,
      assessmentId: 'a1',
      classOrGroupId: '5B',
      groupKind: 'class',
      subjectId: 'MATHS',
      periodId: 'T2',
      date: '2026-12-07',
      title: 'Fractions',
      outOf: 20,
      coefficient: 2,
      formative: true,
      cancelled: false,
      teacherId: 't-martin',
      competencyItems: ITEMS,
      grades: { s01: 12, s02: 8 },
      levels: { 'C-CALC': { s01: 3 }, 'C-RAIS': { s01: 4 } },
      corrections: [
        {
          studentId: 's03',
          previous: 15.5,
          value: null,
          reason: 'wrong column',
          by: 't-martin',
          at: at(2),
          correlationId: 'given-3',
          position: 3,
        },
        {
          studentId: 's02',
          previous: 'ABS',
          value: 8,
          reason: 'typing mistake',
          by: 't-martin',
          at: at(3),
          correlationId: 'given-4',
          position: 4,
        },
        {
          studentId: 's01',
          itemId: 'C-RAIS',
          previous: 2,
          value: 4,
          reason: 'wrong line',
          by: 't-martin',
          at: at(5),
          correlationId: 'given-6',
          position: 6,
        },
        {
          studentId: 's02',
          itemId: 'C-CALC',
          previous: 'ABS',
          value: null,
          reason: 'wrong line',
          by: 't-martin',
          at: at(6),
          correlationId: 'given-7',
          position: 7,
        },
      ],
      changes: [
        {
          kind: 'changed',
          changed: ['date', 'coefficient', 'formative'],
          reason: 'wrong coefficient and period',
          by: 't-martin',
          at: at(7),
          position: 8,
        },
      ],
      position: 8,
    }));

  it('moves the assessment to the period of its new date: read under T2, no longer under T1', () =>
    spec.given(history).then(
      (db, t) => ({
        T1: readAssessments(db, t, SCHOOL, { classOrGroupIds: ['5B'], periodId: 'T1' }).map(
          (a) => a.assessmentId,
        ),
        T2: readAssessments(db, t, SCHOOL, { classOrGroupIds: ['5B'], periodId: 'T2' }).map(
          (a) => a.assessmentId,
        ),
      }),
      { T1: [], T2: ['a1'] },
    ));

  it('stores the row as SQLite columns, JSON for grades, levels and history', () =>
    spec
      .given(
        inStream(
          a1,
          assessmentCreated({ coefficient: 0.5, outOf: 10 }),
          gradesRecorded([{ studentId: 's01', value: 7.25 }]),
        ),
      )
      .thenRows('assessments', [
        {
          school_id: SCHOOL,
          assessment_id: 'a1',
          class_or_group_id: '5B',
          group_kind: 'class',
          subject_id: 'MATHS',
          period_id: 'T1',
          date: '2026-10-05',
          title: 'Fractions',
          out_of: 10,
          coefficient: 0.5,
          formative: 0,
          cancelled: 0,
          teacher_id: 't-martin',
          items: '[]',
          grades: '{"s01":7.25}',
          levels: '{}',
          corrections: '[]',
          changes: '[]',
          position: 2,
        },
      ]));

  it('keeps a cancelled assessment, its grades and levels, marked cancelled with the reason', () =>
    spec
      .given(
        inStream(
          a1,
          assessmentCreated({ competencyItems: ITEMS }),
          gradesRecorded([{ studentId: 's01', value: 14 }]),
          levelsRecorded([{ studentId: 's01', itemId: 'C-CALC', value: 4 }]),
          assessmentCancelled({ reason: 'entered twice', studentIds: ['s01'] }),
        ),
      )
      .then(
        (db, t) => {
          const row = readAssessment(db, t, SCHOOL, 'a1')!;
          return { cancelled: row.cancelled, grades: row.grades, levels: row.levels, changes: row.changes };
        },
        {
          cancelled: true,
          grades: { s01: 14 },
          levels: { 'C-CALC': { s01: 4 } },
          changes: [
            {
              kind: 'cancelled',
              changed: [],
              reason: 'entered twice',
              by: 't-martin',
              at: at(3),
              position: 4,
            },
          ],
        },
      ));

  it('ignores events of an assessment it never saw created, and keeps schools apart', () =>
    spec
      .given(
        inStream(assessmentStreamId(SCHOOL, 'ghost'), gradesRecorded([{ studentId: 's01', value: 3 }])),
        inStream(a1, assessmentCreated()),
      )
      .then(
        (db, t) => ({
          ghost: readAssessment(db, t, SCHOOL, 'ghost'),
          other: readAssessment(db, t, '0670002B', 'a1'),
          mine: readAssessment(db, t, SCHOOL, 'a1')?.assessmentId,
        }),
        { ghost: undefined, other: undefined, mine: 'a1' },
      ));
});

describe('the assessments projection: reports', () => {
  const report = reportStreamId(SCHOOL, '5B', 'MATHS', 'T1');
  const keys = { classId: '5B', subjectId: 'MATHS', periodId: 'T1' };
  const positioningSet = (studentId: string, positioning: number | null, previous: number | null) => ({
    type: 'PositioningSet',
    data: { ...keys, studentId, positioning, previous, suggested: 2, reason: null, setBy: TEACHER },
  });
  const appreciationWritten = (studentId: string, text: string, previous: string | null) => ({
    type: 'AppreciationWritten',
    data: { ...keys, studentId, text, previous, reason: null, writtenBy: TEACHER },
  });
  const history = inStream(
    report,
    positioningSet('s01', 3, null),
    appreciationWritten('s01', 'Bon trimestre', null),
    positioningSet('s02', 4, null),
    appreciationWritten('s02', 'Très sérieux', null),
    positioningSet('s01', null, 3),
    appreciationWritten('s02', '', 'Très sérieux'),
  );

  it('keeps the suggestion beside a withdrawn positioning, and forgets an emptied appreciation', () =>
    spec.given(history).then(
      (db, t) => readClassReports(db, t, SCHOOL, '5B', 'T1'),
      [
        {
          classId: '5B',
          periodId: 'T1',
          subjectId: 'MATHS',
          studentId: 's01',
          positioning: null,
          suggested: 2,
          positioningBy: null,
          appreciation: 'Bon trimestre',
          appreciationBy: 't-martin',
        },
        {
          classId: '5B',
          periodId: 'T1',
          subjectId: 'MATHS',
          studentId: 's02',
          positioning: 4,
          suggested: 2,
          positioningBy: 't-martin',
          appreciation: null,
          appreciationBy: null,
        },
      ],
    ));

  it('writes one row per class, period and subject, its students in JSON (positioning, suggested, by, appreciation, by)', () =>
    spec.given(history).thenRows('reports', [
      {
        school_id: SCHOOL,
        class_id: '5B',
        period_id: 'T1',
        subject_id: 'MATHS',
        students: JSON.stringify({
          s01: [null, 2, null, 'Bon trimestre', 't-martin'],
          s02: [4, 2, 't-martin', null, null],
        }),
        position: 6,
      },
    ]));
});

/** An assessment created in some class or group, subject and date. */
const created = (
  assessmentId: string,
  classOrGroupId: string,
  subjectId: string,
  date: string,
  periodId = date <= T1.end ? 'T1' : 'T2',
): GivenEvent => ({
  streamId: assessmentStreamId(SCHOOL, assessmentId),
  ...assessmentCreated({
    ...KEYS,
    assessmentId,
    classOrGroupId,
    groupKind: classOrGroupId.startsWith('LATIN') ? 'group' : 'class',
    subjectId,
    date,
    periodId,
  }),
});

const graded = (assessmentId: string, studentId: string, value: number, keys: Partial<typeof KEYS> = {}) => ({
  streamId: assessmentStreamId(SCHOOL, assessmentId),
  ...gradesRecorded([{ studentId, value }], { ...KEYS, assessmentId, ...keys }),
});

describe('reading assessments', () => {
  const assessments = [
    created('a1', '5B', 'MATHS', '2026-10-05'),
    created('a2', '5A', 'MATHS', '2026-09-21'),
    created('a3', '5B', 'FRANCAIS', '2026-09-28'),
    created('a4', '5B', 'MATHS', '2026-12-07'),
    created('a5', 'LATIN-5', 'LATIN', '2026-10-12'),
    created('a6', '5B', 'MATHS', '2026-09-14'),
  ];
  const ids = (rows: { assessmentId: string }[]) => rows.map((r) => r.assessmentId);

  it('filters by classes and groups, period and subject, by date then id', () =>
    spec.given(assessments).then(
      (db, t) => ({
        of5B: ids(readAssessments(db, t, SCHOOL, { classOrGroupIds: ['5B'], periodId: 'T1' })),
        of5BAndLatin: ids(
          readAssessments(db, t, SCHOOL, { classOrGroupIds: ['5B', 'LATIN-5'], periodId: 'T1' }),
        ),
        mathsOf5Aand5B: ids(
          readAssessments(db, t, SCHOOL, {
            classOrGroupIds: ['5A', '5B'],
            periodId: 'T1',
            subjectId: 'MATHS',
          }),
        ),
        T2: ids(readAssessments(db, t, SCHOOL, { classOrGroupIds: ['5A', '5B'], periodId: 'T2' })),
        none: ids(readAssessments(db, t, SCHOOL, { classOrGroupIds: [], periodId: 'T1' })),
        otherSchool: ids(readAssessments(db, t, '0670002B', { classOrGroupIds: ['5B'], periodId: 'T1' })),
      }),
      {
        of5B: ['a6', 'a3', 'a1'],
        of5BAndLatin: ['a6', 'a3', 'a1', 'a5'],
        mathsOf5Aand5B: ['a6', 'a2', 'a1'],
        T2: ['a4'],
        none: [],
        otherSchool: [],
      },
    ));
});

describe('reading a period’s rows for a student who moved class mid-period', () => {
  const registered = (studentId: string, lastName: string, classId: string): GivenEvent[] =>
    inStream(
      `student-${SCHOOL}-${studentId}`,
      {
        type: 'StudentRegistered',
        data: { schoolId: SCHOOL, studentId, ine: null, lastName, firstName: 'Léa', birthDate: null },
      },
      { type: 'StudentEnrolled', data: { schoolId: SCHOOL, studentId, classId, from: '2026-09-01' } },
    );
  // s01 moves from 5A to 5B on 2026-10-19; s02 stays in 5B; s03 stays in 5A.
  const history = [
    ...registered('s01', 'ARNAUD', '5A'),
    ...registered('s02', 'BLANC', '5B'),
    ...registered('s03', 'CLERC', '5A'),
    {
      streamId: `student-${SCHOOL}-s01`,
      type: 'StudentMovedClass',
      data: { schoolId: SCHOOL, studentId: 's01', fromClassId: '5A', toClassId: '5B', on: '2026-10-19' },
    },
    created('a-5a', '5A', 'MATHS', '2026-09-21'),
    created('a-5b', '5B', 'MATHS', '2026-11-09'),
    created('a-5c', '5C', 'MATHS', '2026-10-05'),
    created('a-5b-t2', '5B', 'MATHS', '2026-12-07'),
    graded('a-5a', 's01', 11, { classOrGroupId: '5A', date: '2026-09-21' }),
    graded('a-5b', 's01', 15, { date: '2026-11-09' }),
  ];
  const withEnrolments = projectionSpec(assessmentsProjection, { alongside: [enrolmentsProjection] });
  const enrolments = tableNamesFor(enrolmentsProjection);

  it('brings the old class’s assessments into the new class’s rows', () =>
    withEnrolments.given(history).then(
      (db, t) => {
        const rows = readPeriodRows(
          db,
          { ...t, ...enrolments },
          SCHOOL,
          { kind: 'class', id: '5B' },
          T1,
          null,
        );
        return {
          members: rows.members.map((m) => [m.studentId, m.spans]),
          memberships: rows.memberships,
          assessments: rows.assessments.map((a) => [a.assessmentId, a.classOrGroupId, a.grades]),
          reports: rows.reports,
        };
      },
      {
        members: [
          ['s01', [{ from: '2026-10-19', until: null }]],
          ['s02', [{ from: '2026-09-01', until: null }]],
        ],
        memberships: [
          {
            studentId: 's01',
            classes: [
              { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
              { classId: '5B', from: '2026-10-19', until: null },
            ],
            groups: [],
          },
          { studentId: 's02', classes: [{ classId: '5B', from: '2026-09-01', until: null }], groups: [] },
        ],
        assessments: [
          ['a-5a', '5A', { s01: 11 }],
          ['a-5b', '5B', { s01: 15 }],
        ],
        reports: [],
      },
    ));

  it('reads one student’s rows from every class they were in, and a subject alone', () =>
    withEnrolments.given(history).then(
      (db, t) => ({
        student: readPeriodRows(
          db,
          { ...t, ...enrolments },
          SCHOOL,
          { kind: 'student', studentId: 's01' },
          T1,
          null,
        ).assessments.map((a) => a.assessmentId),
        french: readPeriodRows(
          db,
          { ...t, ...enrolments },
          SCHOOL,
          { kind: 'class', id: '5B' },
          T1,
          'FRANCAIS',
        ).assessments,
        stayedIn5A: readPeriodRows(
          db,
          { ...t, ...enrolments },
          SCHOOL,
          { kind: 'class', id: '5A' },
          T1,
          null,
        ).members.map((m) => m.studentId),
      }),
      { student: ['a-5a', 'a-5b'], french: [], stayedIn5A: ['s01', 's03'] },
    ));
});

describe('figures from the rows, before and after a correction (DOMAIN.md, error 8)', () => {
  const settings: PeriodSettings = {
    convention: 'brought-to-twenty',
    rounding: { mode: 'nearest', step: 0.01 },
    subjectCoefficients: {},
    positioning: DEFAULT_POSITIONING_SETTINGS,
  };
  const stayed = { classes: [{ classId: '5B', from: '2026-09-01' }], groups: [] };
  const averagesOf = (db: Database, t: TableNames<AssessmentsTable>) => {
    const rows = readAssessments(db, t, SCHOOL, { classOrGroupIds: ['5B'], periodId: 'T1' });
    return ['s01', 's02'].map(
      (studentId) =>
        studentPeriodResult({ studentId, memberships: stayed }, T1, rows, settings).general.value,
    );
  };
  // m1: s01 16, s02 8 (typed the other way round); m2, coefficient 3 typed instead of 1: s01 8, s02 14.
  const a2 = assessmentStreamId(SCHOOL, 'a2');
  const m2Keys = { ...KEYS, assessmentId: 'a2', date: '2026-10-12' };
  const typed = [
    ...inStream(
      a1,
      assessmentCreated(),
      gradesRecorded([
        { studentId: 's01', value: 8 },
        { studentId: 's02', value: 16 },
      ]),
    ),
    ...inStream(
      a2,
      assessmentCreated({ ...m2Keys, coefficient: 3 }),
      gradesRecorded(
        [
          { studentId: 's01', value: 8 },
          { studentId: 's02', value: 14 },
        ],
        m2Keys,
      ),
    ),
  ];
  const swap = withMetadata(
    { correlationId: 'swap-1' },
    inStream(
      a1,
      gradeCorrected('s01', 8, 16, { reason: 'wrong column' }),
      gradeCorrected('s02', 16, 8, { reason: 'wrong column' }),
    ),
  );
  const coefficientFixed = inStream(
    a2,
    assessmentChanged(
      { coefficient: 1, date: '2026-10-12' },
      {
        ...m2Keys,
        previous: { ...TERMS, date: '2026-10-12', coefficient: 3 },
        reason: 'wrong coefficient',
        studentIds: ['s01', 's02'],
      },
    ),
  );

  it('as typed: s01 (8 + 3×8) / 4 = 8, s02 (16 + 3×14) / 4 = 14.5', () =>
    spec.given(typed).then(averagesOf, [8, 14.5]));

  it('the swap, two corrections under one correlation id: s01 (16 + 24) / 4 = 10, s02 (8 + 42) / 4 = 12.5', () =>
    spec.given(typed, swap).then(
      (db, t) => ({
        averages: averagesOf(db, t),
        swap: readAssessment(db, t, SCHOOL, 'a1')!.corrections.map((c) => [c.studentId, c.correlationId]),
      }),
      {
        averages: [10, 12.5],
        swap: [
          ['s01', 'swap-1'],
          ['s02', 'swap-1'],
        ],
      },
    ));

  it('and the coefficient put back to 1: s01 (16 + 8) / 2 = 12, s02 (8 + 14) / 2 = 11', () =>
    spec.given(typed, swap, coefficientFixed).then(averagesOf, [12, 11]));
});

describe('the assessments projection from one batch to the next', () => {
  const recorded = (event: { type: string; data: object }, position: number): Recorded<AssessmentEvent> =>
    ({
      id: `event-${position}`,
      streamId: a1,
      revision: position - 1,
      position: BigInt(position),
      type: event.type,
      data: event.data,
      metadata: {
        commandId: `command-${position}`,
        correlationId: `command-${position}`,
        causationId: `command-${position}`,
        actor: { id: TEACHER.id, role: 'teacher' },
        schoolId: SCHOOL,
        recordedAt: at(position),
        schemaVersion: 1,
      },
    }) as Recorded<AssessmentEvent>;
  const created = recorded(assessmentCreated(), 1);
  const graded = recorded(gradesRecorded([{ studentId: 's01', value: 12 }]), 2);
  let db: Database;
  const t = tableNamesFor(assessmentsProjection) as TableNames<AssessmentsTable>;

  beforeEach(() => {
    db = new BetterSqlite3(':memory:');
    assessmentsProjection.setup(db, t);
  });

  afterEach(() => db.close());

  it('carries on from the rows the previous batch wrote', () => {
    assessmentsProjection.apply(db, t, [created]);
    assessmentsProjection.apply(db, t, [graded]);

    expect(readAssessment(db, t, SCHOOL, 'a1')).toMatchObject({ grades: { s01: 12 }, position: 2 });
  });

  it('reads the table again, not what a batch rolled back had written', () => {
    expect(() =>
      db.transaction(() => {
        assessmentsProjection.apply(db, t, [created]);
        throw new Error('the batch fails after the projection applied it');
      })(),
    ).toThrow('the batch fails');
    // The assessment was never created: its grades have no row to go to.
    assessmentsProjection.apply(db, t, [graded]);
    expect(readAssessment(db, t, SCHOOL, 'a1')).toBeUndefined();

    assessmentsProjection.apply(db, t, [created]);
    db.prepare(`UPDATE "${t.assessments}" SET grades = '{"s01":15}', position = 7`).run();
    assessmentsProjection.apply(db, t, [recorded(gradesRecorded([{ studentId: 's02', value: 9 }]), 8)]);
    expect(readAssessment(db, t, SCHOOL, 'a1')).toMatchObject({ grades: { s01: 15, s02: 9 }, position: 8 });
  });
});
