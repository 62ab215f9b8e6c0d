import { schoolStreamId } from '../../../src/domain/structure/school';
import { teacherRecorded } from '../../domain/structure/structure-fixtures';
import { apiSpec, GivenStream } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import {
  expectRefusals,
  LATIN,
  Lesson,
  Refusal,
  rollCallStream,
  rollCallTakenOf,
  schoolStreams,
  SILENT_TEACHER,
  Tokens,
  tokensFor,
} from './attendance-school';

/** teacher-01 is the teacher token's subject; SILENT_TEACHER never takes a roll call. */
const WEEK_OF_5B = [
  { weekday: 'monday', slotCode: 'M1', teacherId: 'teacher-01', subjectId: 'MATHS' },
  { weekday: 'tuesday', slotCode: 'S2', teacherId: 'teacher-01' },
  { weekday: 'wednesday', slotCode: 'M2', teacherId: 'teacher-01' },
  { weekday: 'thursday', slotCode: 'M3', teacherId: SILENT_TEACHER, subjectId: 'MATHS' },
];
const LATIN_WEEK = [{ weekday: 'friday', slotCode: 'S3', teacherId: 'teacher-02' }];

type Missing = { classOrGroupId: string; teacherId: string; date: string; slotCode: string; voided: boolean };

const school = schoolStreamId(SCHOOL);
const timetableSet = (classOrGroupId: string, kind: 'class' | 'group', lessons: object[]) => ({
  type: 'ClassTimetableSet',
  data: { schoolId: SCHOOL, classOrGroupId, kind, effectiveFrom: '2026-11-02', lessons },
});
/** 5B's week and the Latin group's Friday, declared from 2 November. */
const declaredWeeks: GivenStream = {
  stream: school,
  events: [
    teacherRecorded('teacher-02', 'DEUX', 'Prof'),
    timetableSet('5B', 'class', WEEK_OF_5B),
    timetableSet(LATIN.groupId, 'group', LATIN_WEEK),
  ],
};
/** A roll call of a lesson with nobody absent, as its teacher (teacher-01 for 5B) took it. */
const calledLesson = (lesson: Lesson, actor?: { id: string; role: 'teacher' }) =>
  rollCallStream(lesson, rollCallTakenOf(lesson, { actor }));

/** Every test starts from its own store holding the school of attendance-school.ts and teacher-01. */
describe('the weekly timetable of classes and groups over HTTP', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });
  beforeEach(() =>
    spec.given(schoolStreams(), { stream: school, events: [teacherRecorded('teacher-01', 'UN', 'Prof')] }),
  );

  const path = (suffix: string) => `/schools/${SCHOOL}${suffix}`;
  const put = (token: string, suffix: string, body: object) =>
    spec.http().put(path(suffix)).set('Authorization', token).send(body);
  const post = (token: string, suffix: string, body: object) =>
    spec.http().post(path(suffix)).set('Authorization', token).send(body);
  const get = (token: string, suffix: string) => spec.http().get(path(suffix)).set('Authorization', token);

  it('declares a class timetable once, and reads the week in force on a date', async () => {
    const { response: declared } = await spec
      .when(() =>
        put(as.principal, '/classes/5B/timetable', { effectiveFrom: '2026-11-02', lessons: WEEK_OF_5B }),
      )
      .then({
        status: 200,
        body: { events: ['ClassTimetableSet'] },
        newEvents: [{ stream: school, events: [timetableSet('5B', 'class', WEEK_OF_5B)] }],
      });
    const again = await put(as.admin, '/classes/5B/timetable', {
      effectiveFrom: '2026-11-02',
      lessons: [...WEEK_OF_5B].reverse(),
    }).expect(200);
    expect(again.body.events).toEqual([]);

    const during = await get(
      as.teacher,
      `/classes/5B/timetable?date=2026-11-16&minPosition=${declared.body.position}`,
    ).expect(200);
    expect(during.body).toMatchObject({
      classOrGroupId: '5B',
      kind: 'class',
      date: '2026-11-16',
      timetable: {
        effectiveFrom: '2026-11-02',
        until: null,
        lessons: WEEK_OF_5B,
        declared: { by: 'principal-01' },
      },
      weeks: [{ effectiveFrom: '2026-11-02', until: null }],
    });
    const before = await get(as.auditor, '/classes/5B/timetable?date=2026-11-01').expect(200);
    expect(before.body.timetable).toBeNull();
    const unknown = await get(as.cpe, '/classes/6Z/timetable').expect(404);
    expect(unknown.body.code).toBe('STRUCTURE.CLASS_UNKNOWN');
  });

  it('declares a group timetable', async () => {
    await post(as.principal, '/teachers', {
      teacherId: 'teacher-02',
      lastName: 'DEUX',
      firstName: 'Prof',
    }).expect(201);
    const declared = await put(as.principal, `/groups/${LATIN.groupId}/timetable`, {
      effectiveFrom: '2026-11-02',
      lessons: [{ weekday: 'friday', slotCode: 'S3', teacherId: 'teacher-02' }],
    }).expect(200);
    expect(declared.body.events).toEqual(['ClassTimetableSet']);
    const read = await get(
      as.latinTeacher,
      `/groups/${LATIN.groupId}/timetable?date=2026-11-20&minPosition=${declared.body.position}`,
    ).expect(200);
    expect(read.body).toMatchObject({
      kind: 'group',
      timetable: { lessons: [{ weekday: 'friday', slotCode: 'S3' }] },
    });
    // A group is not a class: the class route does not find it.
    await put(as.principal, `/classes/${LATIN.groupId}/timetable`, {
      effectiveFrom: '2026-11-02',
      lessons: [],
    }).expect(404);
  });

  it('lists exactly the declared lessons not called, with the timetable’s teacher, outside closures', async () => {
    await spec.given(declaredWeeks, {
      stream: school,
      events: [
        {
          type: 'ClosureDeclared',
          data: {
            schoolId: SCHOOL,
            closureId: 'armistice-2026',
            from: '2026-11-11',
            to: '2026-11-11',
            label: 'Armistice',
            kind: 'bank-holiday',
          },
        },
      ],
    });
    await spec.given(
      [
        ['2026-11-09', 'M1'],
        ['2026-11-16', 'M1'],
        ['2026-11-10', 'S2'],
        ['2026-11-18', 'M2'],
        ['2026-11-13', 'S1'],
      ].map(([date, slot]) => calledLesson({ classId: '5B', date, slot })),
    );
    const report = await get(as.cpe, '/attendance/completeness?from=2026-11-09&to=2026-11-20').expect(200);
    const missingOf5B = (report.body.missing as Missing[]).filter((l) => l.classOrGroupId === '5B');
    expect(missingOf5B).toEqual([
      { classOrGroupId: '5B', teacherId: SILENT_TEACHER, date: '2026-11-12', slotCode: 'M3', voided: false },
      { classOrGroupId: '5B', teacherId: 'teacher-01', date: '2026-11-17', slotCode: 'S2', voided: false },
      { classOrGroupId: '5B', teacherId: SILENT_TEACHER, date: '2026-11-19', slotCode: 'M3', voided: false },
    ]);
    expect(report.body.byClass['5B']).toEqual({ expected: 7, taken: 4, missing: 3 });
    expect(report.body.byTeacher['teacher-01']).toEqual({ expected: 5, taken: 4, missing: 1 });
    expect(report.body.byTeacher[SILENT_TEACHER]).toEqual({ expected: 2, taken: 0, missing: 2 });
    // The Latin group is declared too: its two Fridays were never called.
    expect(report.body.byClass[LATIN.groupId]).toEqual({ expected: 2, taken: 0, missing: 2 });
    expect(report.body.unexpected).toContainEqual({
      classOrGroupId: '5B',
      date: '2026-11-13',
      slotCode: 'S1',
      takenBy: 'teacher-01',
    });
    expect(report.body.basis).toMatchObject({
      declared: ['5B', LATIN.groupId],
      inferred: { observedFrom: '2026-10-12', observedTo: '2026-11-20', minWeeks: 2, classes: [] },
    });
  });

  it('infers the lessons before the first declared week, and expects the declared ones from its date', async () => {
    // 5A is called on Monday S4 every week; its timetable, declared from 16 November, has Monday M4 instead.
    await spec.given(
      declaredWeeks,
      ['2026-10-26', '2026-11-02', '2026-11-09'].map((date) =>
        calledLesson({ classId: '5A', date, slot: 'S4' }, { id: 'teacher-05', role: 'teacher' }),
      ),
    );
    const declared = await put(as.principal, '/classes/5A/timetable', {
      effectiveFrom: '2026-11-16',
      lessons: [{ weekday: 'monday', slotCode: 'M4', teacherId: SILENT_TEACHER }],
    }).expect(200);
    const report = await get(
      as.cpe,
      `/attendance/completeness?from=2026-11-09&to=2026-11-20&minPosition=${declared.body.position}`,
    ).expect(200);
    const lessonsOf5A = (report.body.missing as Missing[])
      .filter((l) => l.classOrGroupId === '5A')
      .map((l) => `${l.date} ${l.slotCode} ${l.teacherId}`);
    expect(lessonsOf5A).toEqual([`2026-11-16 M4 ${SILENT_TEACHER}`]);
    expect(report.body.byClass['5A']).toEqual({ expected: 2, taken: 1, missing: 1 });
    expect(report.body.basis.declared).toEqual(['5A', '5B', LATIN.groupId]);
    expect(report.body.basis.inferred.classes).toEqual(['5A']);
  });

  it('refuses bad input with 400 naming the field and the rule, and writes nothing', async () => {
    const before = await get(as.auditor, '/classes/5B/timetable?date=2026-12-01').expect(200);
    const lesson = WEEK_OF_5B[0];
    const refusals: Refusal[] = [
      [{ effectiveFrom: '01/12/2026', lessons: [lesson] }, 'VALIDATION', 'effectiveFrom'],
      [
        { effectiveFrom: '2026-12-01', lessons: [{ ...lesson, weekday: 'lundi' }] },
        'VALIDATION',
        'lessons.0.weekday',
      ],
      [{ effectiveFrom: '2026-12-01' }, 'VALIDATION', 'lessons'],
      [{ effectiveFrom: '2026-12-01', lessons: [lesson], room: 'B12' }, 'VALIDATION', 'room'],
      [{ effectiveFrom: '2026-02-30', lessons: [lesson] }, 'VALIDATION', 'effectiveFrom'],
      [
        { effectiveFrom: '2026-12-01', lessons: [{ ...lesson, slotCode: 'Z9' }] },
        'TIMETABLE.SLOT_UNKNOWN',
        'lessons[0].slotCode',
      ],
      [
        { effectiveFrom: '2026-12-01', lessons: [lesson, { ...lesson, teacherId: SILENT_TEACHER }] },
        'TIMETABLE.LESSONS_OVERLAP',
        'lessons[1].slotCode',
      ],
      [
        { effectiveFrom: '2026-12-01', lessons: [{ ...lesson, teacherId: 'nobody' }] },
        'TIMETABLE.TEACHER_UNKNOWN',
        'lessons[0].teacherId',
      ],
      [
        { effectiveFrom: '2026-12-01', lessons: [{ ...lesson, subjectId: 'GREC' }] },
        'TIMETABLE.SUBJECT_UNKNOWN',
        'lessons[0].subjectId',
      ],
    ];
    await expectRefusals((body) => put(as.principal, '/classes/5B/timetable', body), refusals);
    const unknown = await put(as.principal, '/classes/6Z/timetable', {
      effectiveFrom: '2026-12-01',
      lessons: [],
    });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({
      status: 404,
      code: 'STRUCTURE.CLASS_UNKNOWN',
    });
    const after = await get(as.auditor, '/classes/5B/timetable?date=2026-12-01').expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('lets only the principal and the admin declare a timetable, and every reader of the school read it', async () => {
    await spec.given(declaredWeeks);
    for (const token of [as.teacher, as.cpe, as.auditor]) {
      const refused = await put(token, '/classes/5B/timetable', { effectiveFrom: '2026-12-01', lessons: [] });
      expect(refused.status).toBe(403);
    }
    for (const token of [as.teacher, as.cpe, as.auditor, as.principal, as.admin])
      await get(token, '/classes/5B/timetable').expect(200);
    const stillThere = await get(as.auditor, '/classes/5B/timetable?date=2026-12-01').expect(200);
    expect(stillThere.body.weeks).toEqual([{ effectiveFrom: '2026-11-02', until: null }]);
  });
});
