import {
  assessmentDecider,
  AssessmentEvent,
  assessmentForAverages,
  assessmentStreamId,
  CreatedAssessment,
  currentGrades,
  currentLevels,
  mayReadAssessments,
  reportStreamId,
  roundForDisplay,
  subjectAverage,
  subjectAverages,
  suggestPositioning,
} from '../../../src/domain/assessment';
import { DomainError } from '../../../src/domain/shared/domain-error';
import { fold } from '../../../src/domain/shared/decider';
import { deciderSpec } from '../../support/decider-spec';
import {
  AUDITOR,
  CPE,
  ENROLLED,
  ITEMS,
  KEYS,
  MARTIN_SCOPE,
  OTHER_TEACHER,
  PERIODS,
  PRINCIPAL,
  TEACHER,
  TERMS,
  assessmentCancelled,
  assessmentChanged,
  assessmentCreated,
  cancelAssessment,
  changeAssessment,
  correctGrade,
  correctLevel,
  createAssessment,
  gradeCorrected,
  gradesRecorded,
  levelCorrected,
  levelsRecorded,
  recordGrades,
  recordLevels,
} from './fixtures';

const spec = deciderSpec(assessmentDecider);

const errorOf = (
  events: readonly AssessmentEvent[],
  command: Parameters<typeof assessmentDecider.decide>[0],
) => {
  try {
    assessmentDecider.decide(command, fold(assessmentDecider, events));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

const stateAfter = (...events: AssessmentEvent[]): CreatedAssessment => {
  const state = fold(assessmentDecider, events);
  if (state.status === 'none') throw new Error('no assessment');
  return state;
};

const CLASS_GRADES = [
  { studentId: 's01', value: 12 },
  { studentId: 's02', value: 15.5 },
  { studentId: 's03', value: 'ABS' as const },
  { studentId: 's04', value: 8.25 },
  { studentId: 's05', value: 20 },
];

describe('the streams of grades', () => {
  it('names an assessment’s stream and a report’s stream as DESIGN.md does', () => {
    expect(assessmentStreamId('0670001A', 'a1')).toBe('assessment-0670001A-a1');
    expect(reportStreamId('0670001A', '5B', 'MATHS', 'T1')).toBe('report-0670001A-5B-MATHS-T1');
  });
});

describe('creating an assessment', () => {
  it('records it in the period its date falls in, out of 20, coefficient 1, not formative by default', () =>
    spec
      .given()
      .when(createAssessment())
      .then([
        {
          type: 'AssessmentCreated',
          data: {
            assessmentId: 'a1',
            classOrGroupId: '5B',
            groupKind: 'class',
            subjectId: 'MATHS',
            periodId: 'T1',
            date: '2026-10-05',
            title: 'Fractions',
            outOf: 20,
            coefficient: 1,
            formative: false,
            teacherId: 't-martin',
            competencyItems: [],
            createdBy: TEACHER,
          },
        },
      ]));

  it('keeps outOf, coefficient, the formative flag and the competency items it evaluates', () =>
    spec
      .given()
      .when(
        createAssessment({
          date: '2026-12-01',
          outOf: 10,
          coefficient: 0.5,
          formative: true,
          competencyItems: [ITEMS[0], { itemId: 'C-RAIS', label: 'Raisonner' }],
        }),
      )
      .then([
        assessmentCreated({
          periodId: 'T2',
          date: '2026-12-01',
          outOf: 10,
          coefficient: 0.5,
          formative: true,
          competencyItems: ITEMS,
        }),
      ]));

  it('accepts a coefficient 0 (shown, not counted) and outOf from 1 to 100', () => {
    spec
      .given()
      .when(createAssessment({ coefficient: 0 }))
      .then([assessmentCreated({ coefficient: 0 })]);
    spec
      .given()
      .when(createAssessment({ outOf: 1 }))
      .then([assessmentCreated({ outOf: 1 })]);
    spec
      .given()
      .when(createAssessment({ outOf: 100 }))
      .then([assessmentCreated({ outOf: 100 })]);
  });

  it('refuses outOf outside 1–100 or not whole, and a coefficient outside 0–99 or with three decimals', () => {
    for (const outOf of [0, 101, 12.5])
      spec.given().when(createAssessment({ outOf })).thenThrows('ASSESSMENT.OUT_OF_INVALID', 'invalid');
    for (const coefficient of [-1, 100, 0.125])
      spec
        .given()
        .when(createAssessment({ coefficient }))
        .thenThrows('ASSESSMENT.COEFFICIENT_INVALID', 'invalid');
  });

  it('refuses a date in none of the class’s periods, naming them', () => {
    const error = errorOf([], createAssessment({ date: '2027-07-14' }));
    expect(error.code).toBe('ASSESSMENT.DATE_OUTSIDE_PERIODS');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ field: 'date', date: '2027-07-14', periods: PERIODS });
    spec
      .given()
      .when(createAssessment({ date: '2026-02-30' }))
      .thenThrows('ASSESSMENT.DATE_INVALID', 'invalid');
  });

  it('refuses an empty title, a socle component the LSU does not know, an item listed twice', () => {
    spec
      .given()
      .when(createAssessment({ title: ' ' }))
      .thenThrows('ASSESSMENT.TEXT_REQUIRED', 'invalid');
    const unknown = { itemId: 'C1', label: 'x', socleComponent: 'CPD_XXX' as never };
    spec
      .given()
      .when(createAssessment({ competencyItems: [unknown] }))
      .thenThrows('ASSESSMENT.SOCLE_COMPONENT_UNKNOWN', 'invalid');
    spec
      .given()
      .when(createAssessment({ competencyItems: [ITEMS[0], ITEMS[0]] }))
      .thenThrows('ASSESSMENT.DUPLICATE_ITEM', 'invalid');
  });

  it('records nothing when the same assessment is sent again, and refuses other terms under its id', () => {
    spec.given(assessmentCreated()).when(createAssessment()).then([]);
    spec
      .given(assessmentCreated())
      .when(createAssessment({ title: 'Équations' }))
      .thenThrows('ASSESSMENT.ALREADY_EXISTS', 'conflict');
  });

  it('lets the principal create one for any class and subject, naming the teacher', () =>
    spec
      .given()
      .when(
        createAssessment({
          actor: PRINCIPAL,
          actorScope: undefined,
          subjectId: 'HIST',
          teacherId: 't-durand',
        }),
      )
      .then([assessmentCreated({ subjectId: 'HIST', teacherId: 't-durand', createdBy: PRINCIPAL })]));

  it('refuses a teacher outside the classes or the subjects of their token, naming the field', () => {
    const notClass = errorOf([], createAssessment({ classOrGroupId: '4A' }));
    expect([notClass.code, notClass.kind]).toEqual(['ASSESSMENT.NOT_CLASS_TEACHER', 'forbidden']);
    expect(notClass.details).toEqual({ field: 'classId', classOrGroupId: '4A', teacherId: 't-martin' });
    const notSubject = errorOf([], createAssessment({ subjectId: 'FRANCAIS' }));
    expect([notSubject.code, notSubject.kind]).toEqual(['ASSESSMENT.NOT_SUBJECT_TEACHER', 'forbidden']);
    expect(notSubject.details).toEqual({ field: 'subjectId', subjectId: 'FRANCAIS', teacherId: 't-martin' });
    spec
      .given()
      .when(createAssessment({ actorScope: undefined }))
      .thenThrows('ASSESSMENT.NOT_CLASS_TEACHER', 'forbidden');
  });

  it('lets a teacher create one for a group of their token', () =>
    spec
      .given()
      .when(createAssessment({ classOrGroupId: 'LATIN-5', groupKind: 'group' }))
      .then([assessmentCreated({ classOrGroupId: 'LATIN-5', groupKind: 'group' })]));

  it('refuses the CPE and the auditor, who do not write grades', () => {
    for (const actor of [CPE, AUDITOR])
      spec.given().when(createAssessment({ actor })).thenThrows('ASSESSMENT.ROLE_FORBIDDEN', 'forbidden');
  });

  it('refuses an assessment in a period whose council was held', () =>
    spec
      .given()
      .when(createAssessment({ context: { periods: PERIODS, closedPeriods: new Set(['T1']) } }))
      .thenThrows('ASSESSMENT.PERIOD_CLOSED_TO_ENTRY', 'conflict'));
});

describe('recording grades', () => {
  it('records the whole class in one event, sorted by student, markers included', () =>
    spec
      .given(assessmentCreated())
      .when(recordGrades([...CLASS_GRADES].reverse()))
      .then([
        {
          type: 'GradesRecorded',
          data: { ...KEYS, grades: CLASS_GRADES, recordedBy: TEACHER },
        },
      ]));

  it('records nothing when the same grades are sent again, in any order', () =>
    spec
      .given(assessmentCreated(), gradesRecorded(CLASS_GRADES))
      .when(recordGrades([...CLASS_GRADES].reverse()))
      .then([]));

  it('records only the students not graded yet when the list grows', () =>
    spec
      .given(assessmentCreated(), gradesRecorded(CLASS_GRADES.slice(0, 2)))
      .when(recordGrades(CLASS_GRADES))
      .then([gradesRecorded(CLASS_GRADES.slice(2))]));

  it('refuses the whole list when one value is wrong, naming each faulty student and the rule (nothing written)', () => {
    const error = errorOf(
      [assessmentCreated({ outOf: 10 })],
      recordGrades([
        { studentId: 's01', value: 9 },
        { studentId: 's02', value: 12 },
        { studentId: 's03', value: -1 },
        { studentId: 's04', value: 7.125 },
        { studentId: 's05', value: 'AB' as never },
      ]),
    );
    expect([error.code, error.kind]).toEqual(['ASSESSMENT.GRADES_INVALID', 'invalid']);
    expect(error.details).toEqual({
      field: 'grades[1].value',
      faults: [
        { field: 'grades[1].value', studentId: 's02', rule: "must not be above 10, the assessment's outOf" },
        { field: 'grades[2].value', studentId: 's03', rule: 'must not be negative' },
        { field: 'grades[3].value', studentId: 's04', rule: 'must have at most two decimals' },
        {
          field: 'grades[4].value',
          studentId: 's05',
          rule: 'must be a number from 0 to 10 or one of ABS, DISP, NN',
        },
      ],
    });
  });

  it('refuses a student graded twice in one list', () =>
    spec
      .given(assessmentCreated())
      .when(
        recordGrades([
          { studentId: 's01', value: 12 },
          { studentId: 's01', value: 13 },
        ]),
      )
      .thenThrows('ASSESSMENT.GRADES_INVALID', 'invalid'));

  it('refuses a student not enrolled on the assessment’s date, naming the student and the date', () => {
    const error = errorOf(
      [assessmentCreated()],
      recordGrades([
        { studentId: 's01', value: 12 },
        { studentId: 's09', value: 14 },
      ]),
    );
    expect([error.code, error.kind]).toEqual(['ASSESSMENT.STUDENT_NOT_ENROLLED', 'conflict']);
    expect(error.message).toBe('not enrolled in 5B on 2026-10-05: s09');
    expect(error.details).toEqual({
      field: 'grades[1].studentId',
      studentIds: ['s09'],
      classOrGroupId: '5B',
      date: '2026-10-05',
    });
  });

  it('refuses another value for a student already graded: that is a correction, with a reason', () => {
    const error = errorOf(
      [assessmentCreated(), gradesRecorded(CLASS_GRADES)],
      recordGrades([{ studentId: 's01', value: 13 }]),
    );
    expect([error.code, error.kind]).toEqual(['ASSESSMENT.GRADE_ALREADY_RECORDED', 'conflict']);
    expect(error.details).toEqual({ field: 'grades[0].value', studentIds: ['s01'], recorded: { s01: 12 } });
  });

  it('refuses grades for an assessment never created, or cancelled', () => {
    spec.given().when(recordGrades(CLASS_GRADES)).thenThrows('ASSESSMENT.NOT_FOUND', 'not_found');
    spec
      .given(assessmentCreated(), assessmentCancelled())
      .when(recordGrades(CLASS_GRADES))
      .thenThrows('ASSESSMENT.CANCELLED', 'conflict');
  });

  it('refuses another teacher, and grades entered after the council', () => {
    spec
      .given(assessmentCreated())
      .when(
        recordGrades(CLASS_GRADES, {
          actor: OTHER_TEACHER,
          actorScope: { classes: ['5B'], subjects: ['FRANCAIS'] },
        }),
      )
      .thenThrows('ASSESSMENT.NOT_SUBJECT_TEACHER', 'forbidden');
    spec
      .given(assessmentCreated())
      .when(recordGrades(CLASS_GRADES, { context: { enrolled: ENROLLED, periodClosed: true } }))
      .thenThrows('ASSESSMENT.PERIOD_CLOSED_TO_ENTRY', 'conflict');
  });

  it('lets the principal record the grades of any assessment', () =>
    spec
      .given(assessmentCreated())
      .when(recordGrades(CLASS_GRADES, { actor: PRINCIPAL, actorScope: undefined }))
      .then([gradesRecorded(CLASS_GRADES, { recordedBy: PRINCIPAL })]));
});

describe('correcting a grade', () => {
  it('records the previous and the new value with the reason', () =>
    spec
      .given(assessmentCreated(), gradesRecorded(CLASS_GRADES))
      .when(correctGrade('s04', 10.25))
      .then([
        {
          type: 'GradeCorrected',
          data: {
            ...KEYS,
            studentId: 's04',
            previous: 8.25,
            value: 10.25,
            reason: 'typing mistake',
            correctedBy: TEACHER,
          },
        },
      ]));

  it('needs a reason', () =>
    spec
      .given(assessmentCreated(), gradesRecorded(CLASS_GRADES))
      .when(correctGrade('s04', 10, { reason: '  ' }))
      .thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict'));

  it('fixes a grade typed in the wrong column with two corrections (DOMAIN.md, error 8)', () => {
    const given = [
      assessmentCreated(),
      gradesRecorded([
        { studentId: 's01', value: 15 },
        { studentId: 's02', value: 9 },
      ]),
    ];
    spec
      .given(given)
      .when(correctGrade('s01', 9, { reason: 'grades of s01 and s02 swapped' }))
      .then([gradeCorrected('s01', 15, 9, { reason: 'grades of s01 and s02 swapped' })]);
    const first = gradeCorrected('s01', 15, 9, { reason: 'grades of s01 and s02 swapped' });
    spec
      .given(given, first)
      .when(correctGrade('s02', 15, { reason: 'grades of s01 and s02 swapped' }))
      .then([gradeCorrected('s02', 9, 15, { reason: 'grades of s01 and s02 swapped' })]);
    const state = stateAfter(...given, first, gradeCorrected('s02', 9, 15));
    expect(currentGrades(state)).toEqual([
      { assessmentId: 'a1', studentId: 's01', value: 9 },
      { assessmentId: 'a1', studentId: 's02', value: 15 },
    ]);
  });

  it('grades a student who had no grade, and removes a grade typed for the wrong student', () => {
    spec
      .given(assessmentCreated(), gradesRecorded([{ studentId: 's01', value: 11 }]))
      .when(correctGrade('s02', 11))
      .then([gradeCorrected('s02', null, 11)]);
    spec
      .given(assessmentCreated(), gradesRecorded([{ studentId: 's01', value: 11 }]))
      .when(correctGrade('s01', null, { context: { enrolled: new Set() } }))
      .then([gradeCorrected('s01', 11, null)]);
  });

  it('records nothing when the grade already has that value', () =>
    spec.given(assessmentCreated(), gradesRecorded(CLASS_GRADES)).when(correctGrade('s03', 'ABS')).then([]));

  it('refuses a value above outOf and a student not enrolled', () => {
    const error = errorOf([assessmentCreated(), gradesRecorded(CLASS_GRADES)], correctGrade('s01', 21));
    expect(error.details).toEqual({
      field: 'value',
      faults: [{ field: 'value', studentId: 's01', rule: "must not be above 20, the assessment's outOf" }],
    });
    spec
      .given(assessmentCreated())
      .when(correctGrade('s09', 12))
      .thenThrows('ASSESSMENT.STUDENT_NOT_ENROLLED', 'conflict');
  });

  it('after the council, lets only the principal correct, with a reason', () => {
    const closed = { enrolled: ENROLLED, periodClosed: true };
    spec
      .given(assessmentCreated(), gradesRecorded(CLASS_GRADES))
      .when(correctGrade('s01', 13, { context: closed }))
      .thenThrows('ASSESSMENT.PERIOD_CLOSED', 'forbidden');
    spec
      .given(assessmentCreated(), gradesRecorded(CLASS_GRADES))
      .when(correctGrade('s01', 13, { actor: PRINCIPAL, context: closed, reason: 'appeal' }))
      .then([gradeCorrected('s01', 12, 13, { reason: 'appeal', correctedBy: PRINCIPAL })]);
  });
});

describe('changing an assessment', () => {
  const graded = [assessmentCreated(), gradesRecorded(CLASS_GRADES)];

  it('corrects a wrong coefficient with a reason once grades exist (DOMAIN.md, error 8)', () =>
    spec
      .given(graded)
      .when(changeAssessment({ coefficient: 2, reason: 'coefficient 2 announced' }))
      .then([
        {
          type: 'AssessmentChanged',
          data: {
            ...KEYS,
            previous: TERMS,
            terms: { ...TERMS, coefficient: 2 },
            studentIds: ['s01', 's02', 's03', 's04', 's05'],
            reason: 'coefficient 2 announced',
            changedBy: TEACHER,
          },
        },
      ]));

  it('needs a reason once grades exist, not before', () => {
    spec
      .given(graded)
      .when(changeAssessment({ coefficient: 2 }))
      .thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict');
    spec
      .given(assessmentCreated())
      .when(changeAssessment({ coefficient: 2 }))
      .then([assessmentChanged({ coefficient: 2 })]);
  });

  it('renames without a reason', () =>
    spec
      .given(graded)
      .when(changeAssessment({ title: 'Fractions (2)' }))
      .then([
        assessmentChanged({ title: 'Fractions (2)' }, { studentIds: ['s01', 's02', 's03', 's04', 's05'] }),
      ]));

  it('makes a counted assessment formative (DOMAIN.md, error 8), and the average follows', () => {
    const change = assessmentChanged(
      { formative: true },
      { studentIds: ['s01', 's02', 's03', 's04', 's05'], reason: 'was a practice test' },
    );
    spec
      .given(graded)
      .when(changeAssessment({ formative: true, reason: 'was a practice test' }))
      .then([change]);
    const before = stateAfter(...graded);
    const after = stateAfter(...graded, change);
    const key = { studentId: 's01', subjectId: 'MATHS', periodId: 'T1' };
    const averageOf = (state: CreatedAssessment) =>
      subjectAverages([assessmentForAverages(state)], currentGrades(state)).find(
        (a) => a.studentId === 's01',
      );
    expect(averageOf(before)).toMatchObject({ ...key, value: 12 });
    expect(averageOf(after)).toMatchObject({
      ...key,
      value: null,
      excluded: [{ gradeId: 'a1/s01', assessmentId: 'a1', reason: 'formative' }],
    });
  });

  it('moves the assessment to the period of its new date', () =>
    spec
      .given(assessmentCreated())
      .when(changeAssessment({ date: '2026-12-03' }))
      .then([assessmentChanged({ date: '2026-12-03', periodId: 'T2' })]));

  it('refuses a new date on which a graded student was not in the class, naming the student and the date', () => {
    const error = errorOf(
      graded,
      changeAssessment({
        date: '2026-12-03',
        reason: 'the test was in December',
        context: { periods: PERIODS, enrolledOnNewDate: new Set(['s01', 's02', 's03', 's04']) },
      }),
    );
    expect([error.code, error.kind, error.message]).toEqual([
      'ASSESSMENT.STUDENT_NOT_ENROLLED',
      'conflict',
      'not enrolled in 5B on 2026-12-03: s05',
    ]);
    expect(error.details).toEqual({
      field: 'date',
      studentIds: ['s05'],
      classOrGroupId: '5B',
      date: '2026-12-03',
    });
  });

  it('refuses an outOf below a grade already recorded, naming the students', () => {
    const error = errorOf(graded, changeAssessment({ outOf: 10, reason: 'out of 10' }));
    expect([error.code, error.kind]).toEqual(['ASSESSMENT.GRADES_ABOVE_OUT_OF', 'conflict']);
    expect(error.details).toEqual({ field: 'outOf', studentIds: ['s01', 's02', 's05'] });
  });

  it('records nothing when nothing changes', () =>
    spec
      .given(graded)
      .when(changeAssessment({ coefficient: 1, title: 'Fractions' }))
      .then([]));

  it('after the council of either period, lets only the principal move or change it, with a reason', () => {
    const t2Closed = { periods: PERIODS, closedPeriods: new Set(['T2']) };
    spec
      .given(graded)
      .when(changeAssessment({ date: '2026-12-03', reason: 'the test was in December', context: t2Closed }))
      .thenThrows('ASSESSMENT.PERIOD_CLOSED', 'forbidden');
    spec
      .given(assessmentCreated())
      .when(changeAssessment({ actor: PRINCIPAL, date: '2026-12-03', context: t2Closed }))
      .thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict');
    spec
      .given(assessmentCreated())
      .when(changeAssessment({ actor: PRINCIPAL, date: '2026-12-03', reason: 'December', context: t2Closed }))
      .then([
        assessmentChanged(
          { date: '2026-12-03', periodId: 'T2' },
          { reason: 'December', changedBy: PRINCIPAL },
        ),
      ]);
  });

  it('refuses another teacher', () =>
    spec
      .given(graded)
      .when(
        changeAssessment({
          actor: OTHER_TEACHER,
          actorScope: { classes: ['4A'], subjects: ['MATHS'] },
          coefficient: 2,
          reason: 'x',
        }),
      )
      .thenThrows('ASSESSMENT.NOT_CLASS_TEACHER', 'forbidden'));
});

describe('cancelling an assessment', () => {
  it('needs a reason once grades exist, and lists the students whose figures move', () => {
    const graded = [assessmentCreated(), gradesRecorded(CLASS_GRADES)];
    spec.given(graded).when(cancelAssessment()).thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict');
    spec
      .given(graded)
      .when(cancelAssessment({ reason: 'wrong class' }))
      .then([
        assessmentCancelled({ studentIds: ['s01', 's02', 's03', 's04', 's05'], reason: 'wrong class' }),
      ]);
  });

  it('cancels an assessment without grades without a reason, and records nothing the second time', () => {
    spec.given(assessmentCreated()).when(cancelAssessment()).then([assessmentCancelled()]);
    spec.given(assessmentCreated(), assessmentCancelled()).when(cancelAssessment()).then([]);
  });

  it('takes its grades out of every average', () => {
    const state = stateAfter(assessmentCreated(), gradesRecorded(CLASS_GRADES), assessmentCancelled());
    expect(subjectAverages([assessmentForAverages(state)], currentGrades(state))[0]).toMatchObject({
      value: null,
      excluded: [{ gradeId: 'a1/s01', assessmentId: 'a1', reason: 'cancelled' }],
    });
  });
});

describe('competency levels', () => {
  const withItems = assessmentCreated({ competencyItems: ITEMS });
  const LEVELS = [
    { studentId: 's01', itemId: 'C-CALC', value: 4 as const },
    { studentId: 's01', itemId: 'C-RAIS', value: 3 as const },
    { studentId: 's02', itemId: 'C-CALC', value: 'ABS' as const },
  ];

  it('records the levels of the class in one event, sorted by student then item', () =>
    spec
      .given(withItems)
      .when(recordLevels([...LEVELS].reverse()))
      .then([{ type: 'LevelsRecorded', data: { ...KEYS, levels: LEVELS, recordedBy: TEACHER } }]));

  it('records nothing when the same levels are sent again', () =>
    spec.given(withItems, levelsRecorded(LEVELS)).when(recordLevels(LEVELS)).then([]));

  it('refuses a level outside 1–4, an item the assessment does not evaluate, a student not enrolled', () => {
    const error = errorOf(
      [withItems],
      recordLevels([{ studentId: 's01', itemId: 'C-CALC', value: 5 as never }]),
    );
    expect([error.code, error.kind]).toEqual(['ASSESSMENT.LEVELS_INVALID', 'invalid']);
    expect(error.details).toEqual({
      field: 'levels[0].value',
      faults: [
        {
          field: 'levels[0].value',
          studentId: 's01',
          rule: 'must be a level 1 to 4 or one of ABS, DISP, NN',
        },
      ],
    });
    spec
      .given(withItems)
      .when(recordLevels([{ studentId: 's01', itemId: 'C-GEOM', value: 2 }]))
      .thenThrows('ASSESSMENT.ITEM_UNKNOWN', 'invalid');
    spec
      .given(withItems)
      .when(recordLevels([{ studentId: 's09', itemId: 'C-CALC', value: 2 }]))
      .thenThrows('ASSESSMENT.STUDENT_NOT_ENROLLED', 'conflict');
  });

  it('refuses another level for a level already recorded: a correction, with a reason', () => {
    spec
      .given(withItems, levelsRecorded(LEVELS))
      .when(recordLevels([{ studentId: 's01', itemId: 'C-CALC', value: 2 }]))
      .thenThrows('ASSESSMENT.LEVEL_ALREADY_RECORDED', 'conflict');
    spec
      .given(withItems, levelsRecorded(LEVELS))
      .when(correctLevel('s01', 'C-CALC', 2))
      .then([levelCorrected('s01', 'C-CALC', 4, 2)]);
    spec
      .given(withItems, levelsRecorded(LEVELS))
      .when(correctLevel('s01', 'C-CALC', 2, { reason: '' }))
      .thenThrows('ASSESSMENT.REASON_REQUIRED', 'conflict');
  });

  it('counts levels toward the positioning whatever the coefficient, and no longer once cancelled', () => {
    const zero = assessmentCreated({ competencyItems: ITEMS, coefficient: 0, formative: true });
    const levels = (state: CreatedAssessment) => currentLevels(state).filter((l) => l.studentId === 's01');
    const counted = stateAfter(zero, levelsRecorded(LEVELS));
    expect(suggestPositioning(levels(counted))).toMatchObject({
      level: 3, // 50 and 40: 45, not above 45
      levelIds: ['a1/C-CALC/s01', 'a1/C-RAIS/s01'],
    });
    const cancelled = stateAfter(
      zero,
      levelsRecorded(LEVELS),
      assessmentCancelled({ reason: 'wrong class' }),
    );
    expect(suggestPositioning(levels(cancelled)).level).toBeNull();
  });
});

describe('a convention setting changed mid-year (DOMAIN.md, error 9)', () => {
  it('reproduces the average under the old and the new convention from the same grades', () => {
    const grades = [
      stateAfter(
        assessmentCreated({ assessmentId: 'a1' }),
        gradesRecorded([{ studentId: 's01', value: 18 }]),
      ),
      stateAfter(
        assessmentCreated({ assessmentId: 'a2', outOf: 10 }),
        gradesRecorded([{ studentId: 's01', value: 3 }], { assessmentId: 'a2' }),
      ),
      stateAfter(
        assessmentCreated({ assessmentId: 'a3', outOf: 5 }),
        gradesRecorded([{ studentId: 's01', value: 1 }], { assessmentId: 'a3' }),
      ),
    ].map((state) => ({ assessment: assessmentForAverages(state), value: currentGrades(state)[0].value }));
    const key = { studentId: 's01', subjectId: 'MATHS', periodId: 'T1' };
    expect(roundForDisplay(subjectAverage(key, grades, 'brought-to-twenty').value ?? NaN)).toBe(9.33);
    expect(roundForDisplay(subjectAverage(key, grades, 'weighted-by-scale').value ?? NaN)).toBe(12.57);
  });
});

describe('who reads grades', () => {
  it('lets a teacher read their own classes, the CPE, the principal and the auditor any, the admin none', () => {
    expect(mayReadAssessments({ actor: TEACHER, actorScope: MARTIN_SCOPE }, '5B')).toBe(true);
    expect(mayReadAssessments({ actor: TEACHER, actorScope: MARTIN_SCOPE }, '4A')).toBe(false);
    for (const actor of [CPE, PRINCIPAL, AUDITOR]) expect(mayReadAssessments({ actor }, '4A')).toBe(true);
    expect(mayReadAssessments({ actor: { id: 'root', role: 'admin' } }, '5B')).toBe(false);
  });
});
