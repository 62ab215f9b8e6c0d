import { SCHOOL_YEAR_2026 } from '../../import/import-harness';
import { PROJECTION_RUNNER } from '../../../src/api/core/tokens';
import { LiveProjections } from '../../../src/projections/live-projections';
import type { Response } from 'supertest';
import { Lateness, rollCallStreamId } from '../../../src/domain/attendance';
import { Actor } from '../../../src/domain/shared/event';
import { schoolStreamId } from '../../../src/domain/structure/school';
import { studentStreamId } from '../../../src/domain/structure/student';
import {
  classOpened,
  enrolled,
  groupOpened,
  joined,
  schoolYearDefined,
  subjectDefined,
  teacherRecorded,
  trimestersSet,
} from '../../domain/structure/structure-fixtures';
import { GivenStream, SpecEvent } from '../../support/api-spec';
import { rollCallAmended, rollCallTaken, rollCallVoided } from '../../support/attendance/builders';
import { SCHOOL, TestApp, tokenFor } from '../../support/http';

/** The slots of a collège day; M1..M4 in the morning, S1..S4 in the afternoon. */
export const SLOTS = [
  { code: 'M1', start: '08:00', end: '08:55' },
  { code: 'M2', start: '08:55', end: '09:50' },
  { code: 'M3', start: '10:05', end: '11:00' },
  { code: 'M4', start: '11:00', end: '11:55' },
  { code: 'S1', start: '13:30', end: '14:25' },
  { code: 'S2', start: '14:25', end: '15:20' },
  { code: 'S3', start: '15:35', end: '16:30' },
  { code: 'S4', start: '16:30', end: '17:25' },
];

export const STUDENTS_5B = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
export const STUDENTS_5A = ['a1', 'a2', 'a3'];
/** Latin draws from 5A and 5B. */
export const LATIN = { groupId: '5LATIN', students: ['a1', 'b6'] };
/** Assigned to 5A, which nobody calls in these tests: the completeness view must name it. */
export const SILENT_TEACHER = 'T9';

export type Tokens = Record<'cpe' | 'teacher' | 'latinTeacher' | 'principal' | 'auditor' | 'admin', string>;

export const tokensFor = async (): Promise<Tokens> => ({
  cpe: await tokenFor('cpe'),
  teacher: await tokenFor('teacher'),
  latinTeacher: await tokenFor('teacher', SCHOOL, { sub: 'teacher-02', classes: ['5A', LATIN.groupId] }),
  principal: await tokenFor('principal'),
  auditor: await tokenFor('auditor'),
  admin: await tokenFor('admin'),
});

/** Year with trimesters, timetable, 5A and 5B with their students, the Latin group, one teaching assignment. */
export async function setUpSchool(app: TestApp): Promise<void> {
  const principal = await tokenFor('principal');
  const send = async (method: 'put' | 'post', path: string, body: object) => {
    await app
      .http()
      [method](`/schools/${SCHOOL}${path}`)
      .set('Authorization', principal)
      .send(body)
      .expect((response) => {
        if (response.status >= 300)
          throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      });
  };
  await send('put', '/year', SCHOOL_YEAR_2026);
  await send('put', '/timetable', { effectiveFrom: '2026-09-01', slots: SLOTS });
  for (const classId of ['5A', '5B']) await send('post', '/classes', { classId });
  await send('post', '/groups', { groupId: LATIN.groupId, classIds: ['5A', '5B'] });
  const students = [
    ...STUDENTS_5A.map((id) => ({ id, classId: '5A' })),
    ...STUDENTS_5B.map((id) => ({ id, classId: '5B' })),
  ];
  for (const { id, classId } of students)
    await send('post', '/students', {
      studentId: id,
      lastName: id.toUpperCase(),
      firstName: 'Élève',
      classId,
      from: '2026-09-01',
    });
  for (const studentId of LATIN.students)
    await send('post', `/students/${studentId}/groups`, { groupId: LATIN.groupId, from: '2026-09-01' });
  await send('post', '/subjects', { subjectId: 'MATHS', label: 'Mathématiques' });
  await send('post', '/teachers', { teacherId: SILENT_TEACHER, lastName: 'NEUF', firstName: 'Jeanne' });
  await send('post', '/teaching-assignments', {
    teacherId: SILENT_TEACHER,
    subjectId: 'MATHS',
    targetKind: 'class',
    targetId: '5A',
  });
  // Its views include all of it before the spec reads them (a read without minPosition would race them).
  await app.app.get<LiveProjections>(PROJECTION_RUNNER).catchUp();
}

/** The actor of the `teacher` token, who calls 5B. */
export const TEACHER_01: Actor = { id: 'teacher-01', role: 'teacher' };
/** The actor of the `cpe` token. */
export const CPE_01: Actor = { id: 'cpe-01', role: 'cpe' };
/** The day "today" is for the roll calls the specs give: TEST_NOW's date. */
export const TODAY = '2026-12-07';

/**
 * The school of `setUpSchool` as the events its requests write, for `apiSpec().given(…)`: the same
 * year, classes, group, students, subject, teacher and assignment (the timetable PUT writes nothing,
 * it is the default one).
 */
export const schoolStreams = (): GivenStream[] => {
  const student = (studentId: string, classId: string): GivenStream => ({
    stream: studentStreamId(SCHOOL, studentId),
    events: [
      {
        type: 'StudentRegistered',
        data: {
          schoolId: SCHOOL,
          studentId,
          ine: null,
          lastName: studentId.toUpperCase(),
          firstName: 'Élève',
          birthDate: null,
        },
      },
      enrolled(classId, '2026-09-01', studentId),
      ...(LATIN.students.includes(studentId) ? [joined(LATIN.groupId, '2026-09-01', studentId)] : []),
    ],
  });
  return [
    {
      stream: schoolStreamId(SCHOOL),
      events: [
        schoolYearDefined(),
        trimestersSet(),
        classOpened('5A'),
        classOpened('5B'),
        groupOpened(LATIN.groupId, ['5A', '5B']),
        {
          ...subjectDefined('MATHS', 'Mathématiques'),
          data: { ...subjectDefined('MATHS', 'Mathématiques').data, labelSource: 'school' },
        },
        teacherRecorded(SILENT_TEACHER, 'NEUF', 'Jeanne'),
        {
          type: 'TeachingAssigned',
          data: {
            schoolId: SCHOOL,
            teacherId: SILENT_TEACHER,
            subjectId: 'MATHS',
            target: { kind: 'class', id: '5A' },
          },
        },
      ],
    },
    ...STUDENTS_5A.map((id) => student(id, '5A')),
    ...STUDENTS_5B.map((id) => student(id, '5B')),
  ];
};

export type Lesson = {
  readonly classId?: string;
  readonly groupId?: string;
  readonly date: string;
  readonly slot: string;
};

const registerOf = (lesson: Lesson): readonly string[] =>
  lesson.groupId !== undefined ? LATIN.students : lesson.classId === '5A' ? STUDENTS_5A : STUDENTS_5B;

/** The lesson's fields of a roll-call event: the class or group, its date and slot, its register. */
const lessonFields = (lesson: Lesson) => ({
  classOrGroupId: lesson.groupId ?? lesson.classId ?? '5B',
  groupKind: lesson.groupId !== undefined ? ('group' as const) : ('class' as const),
  date: lesson.date,
  slotCode: lesson.slot,
  register: registerOf(lesson),
});

type LessonKeys = keyof ReturnType<typeof lessonFields>;

/** The RollCallTaken of a lesson's first roll call (5B by teacher-01 unless said), stated literally. */
export const rollCallTakenOf = (
  lesson: Lesson,
  list: { absent?: string[]; late?: Lateness[]; actor?: Actor } = {},
): SpecEvent =>
  rollCallTaken({
    ...lessonFields(lesson),
    absent: list.absent ?? [],
    late: list.late ?? [],
    takenBy: list.actor ?? TEACHER_01,
  });

/** A RollCallAmended of a lesson: its version, lists, difference, author and reason stated by the test. */
export const rollCallAmendedOf = (
  lesson: Lesson,
  amendment: Omit<Parameters<typeof rollCallAmended>[0], LessonKeys>,
): SpecEvent => rollCallAmended({ ...lessonFields(lesson), ...amendment });

/** The RollCallVoided of a lesson, naming its whole register (cpe-01 unless said). */
export const rollCallVoidedOf = (lesson: Lesson, reason: string, voidedBy: Actor = CPE_01): SpecEvent =>
  rollCallVoided({ ...lessonFields(lesson), studentIds: registerOf(lesson), reason, voidedBy });

/** The roll-call stream of a lesson, holding `events`. */
export const rollCallStream = (lesson: Lesson, ...events: SpecEvent[]): GivenStream => ({
  stream: rollCallStreamId(SCHOOL, lesson.groupId ?? lesson.classId ?? '5B', lesson.date, lesson.slot),
  events,
});

/** A body, the code it must be refused with, and the field the refusal must name. */
export type Refusal = readonly [body: object, code: string, field: string];

/** Sends each body; each must get 400 with its code, naming its field (and the rule, for a DTO refusal). */
export async function expectRefusals(
  send: (body: object) => PromiseLike<Response>,
  refusals: readonly Refusal[],
): Promise<void> {
  for (const [body, code, field] of refusals) {
    const response = await send(body);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code });
    const named = Array.isArray(response.body.details) ? response.body.details[0] : response.body.details;
    expect(named.field).toBe(field);
    if (code === 'VALIDATION') expect(typeof named.rule).toBe('string');
  }
}
