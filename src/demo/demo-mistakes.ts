import { StudentAttendanceCommand } from '../domain/attendance';
import { Actor } from '../domain/shared/event';
import { studentStreamId } from '../domain/structure/student';
import { DEMO_CLASSES, DEMO_GROUPS, DEMO_SCHOOL_ID, DemoStudent } from './demo-roster';
import { slotOf } from './demo-timetable';
import {
  AFTERNOON,
  CLASS_CHANGE,
  DEMO_CPE,
  DEMO_PRINCIPAL,
  DEMO_SEED,
  LessonRef,
  MORNING,
  StoryWriter,
  lessonKey,
  parisInstant,
  timePlus,
} from './demo-writer';

/**
 * The data-collection mistakes of DOMAIN.md as they happen in a real month, each with the absences it
 * needs and its correction: who was absent is planned here, the roll calls are written afterwards.
 */

const OUTING = { classId: '4A', date: '2026-11-19', exemptionId: 'sortie-4A-2026-11-19' };
const WRONG_CLASS = { date: '2026-11-17', slotCode: 'S3', groupId: 'LATIN-5', typedOn: '5A' };

/** The app retries (same Idempotency-Key) and the teacher double-clicks (new key, same list). */
export const sentTwice = (w: StoryWriter): LessonRef => {
  const ref = { classOrGroupId: '6A', date: '2026-11-03', slotCode: 'M1' };
  w.plan.late(w.story.lateJustified.studentId, ref.date, ref.slotCode, 5);
  w.skipped.add(lessonKey(ref));
  const teacher: Actor = { id: w.lessonOf(ref).teacherId, role: 'teacher' };
  const list = { type: 'TakeRollCall' as const, ...w.listFor(ref) };
  w.rollCall(ref, teacher, '08:05', `rollcall:${lessonKey(ref)}`, list);
  // The app's retry carries the same Idempotency-Key; the double click gets a new one.
  w.rollCall(ref, teacher, '08:05', `rollcall:${lessonKey(ref)}`, list);
  w.rollCall(ref, teacher, '08:06', `rollcall:${lessonKey(ref)}:double-click`, list);
  return ref;
};

/** The tablet re-sends the default "all present" list over a real roll call; the CPE reverts it. */
export const defaultsWipeAbsences = (w: StoryWriter) => {
  const { story } = w;
  const lesson = w.firstLesson('5A', 'MATHS', '2026-11-05');
  const ref = { classOrGroupId: '5A', date: lesson.date, slotCode: lesson.slotCode };
  for (const student of [story.wipedFirst, story.wipedSecond])
    w.plan.absent(student.studentId, ref.date, 'day');
  w.plan.late(story.wipedLate.studentId, ref.date, ref.slotCode, 7);
  const teacher: Actor = { id: lesson.teacherId, role: 'teacher' };
  const start = slotOf(ref.slotCode).start;
  w.rollCall(ref, teacher, timePlus(start, 32), `rollcall:${lessonKey(ref)}:defaults-resent`, {
    type: 'TakeRollCall',
    absent: [],
    late: [],
  });
  w.rollCall(ref, DEMO_CPE, timePlus(start, 95), `rollcall:${lessonKey(ref)}:reverted`, {
    type: 'RevertRollCall',
    toVersion: 1,
    actor: DEMO_CPE,
    reason:
      "l'application a renvoyé la liste par défaut « tous présents » et effacé deux absences : version 1 rétablie après vérification avec l'enseignante",
  });
  w.justifyDay(story.wipedFirst, ref.date, w.nextSchoolDay(ref.date, 1), 'MALADIE', 'accept');
  w.justifyDay(story.wipedSecond, ref.date, w.nextSchoolDay(ref.date, 1), 'REUNION_FAMILLE', 'accept');
  return { ...ref, teacherId: lesson.teacherId };
};

/** The family of Lucas calls; the CPE records it on his twin sister, voids it and records it on him. */
export const wrongTwin = (w: StoryWriter) => {
  const { wrongTwin: lea, rightTwin: lucas } = w.story;
  const date = '2026-11-09';
  w.plan.absent(lucas.studentId, date, 'day');
  const report = (student: DemoStudent): StudentAttendanceCommand => ({
    type: 'ReportAbsence',
    studentId: student.studentId,
    actor: DEMO_CPE,
    factId: `appel-famille-${date}`,
    from: { date },
    to: { date },
    classId: student.classId,
    reasonCode: 'MALADIE',
    note: 'appel de la mère à 8 h 05 : fièvre',
    context: w.attendanceContext(date),
  });
  w.attendance(lea, date, '08:10', `report:${lea.studentId}:${date}`, report(lea));
  w.attendance(lea, date, '09:15', `report:${lea.studentId}:${date}:voided`, {
    type: 'VoidAttendanceFact',
    studentId: lea.studentId,
    actor: DEMO_CPE,
    factId: `appel-famille-${date}`,
    reason: 'absence saisie sur Léa MARTIN au lieu de son frère jumeau Lucas',
  });
  w.attendance(lucas, date, '09:16', `report:${lucas.studentId}:${date}`, report(lucas));
  w.justifyDay(lucas, date, '2026-11-10', 'MALADIE', 'accept', { note: 'mot des parents', regularise: true });
};

/** Absent at the roll call, at the infirmary in fact: the infirmary wins, both facts stay. */
export const infirmaryOverAbsence = (w: StoryWriter) => {
  const student = w.story.atInfirmary;
  const date = '2026-11-10';
  w.plan.absent(student.studentId, date, ['M3']);
  w.attendance(student, date, '10:55', `infirmary:${student.studentId}:${date}`, {
    type: 'RecordInfirmaryVisit',
    studentId: student.studentId,
    actor: DEMO_CPE,
    factId: `infirmerie-${date}`,
    date,
    from: '10:00',
    to: '10:50',
    classId: student.classId,
    note: "maux de ventre, retour en classe à 10 h 50 avec un mot de l'infirmière",
    context: w.attendanceContext(date),
  });
  return { classOrGroupId: student.classId, date, slotCode: 'M3', studentId: student.studentId };
};

/** The S1 teacher marked the whole class absent while it was at the museum; the outing is recorded over it. */
export const outingOverRollCall = (w: StoryWriter) => {
  const { classId, date, exemptionId } = OUTING;
  w.plan.absent(w.story.missedOuting.studentId, date, 'day');
  for (const studentId of w.enrolledOn(classId, date)) w.plan.absent(studentId, date, ['S1']);
  for (const slotCode of ['S2', 'S3']) w.skipped.add(lessonKey({ classOrGroupId: classId, date, slotCode }));
  const leftForTheMuseum = w.enrolledOn(classId, date).filter((id) => !w.plan.isAbsent(id, date, 'M1'));
  for (const studentId of leftForTheMuseum) {
    const student = w.roster.students.find((s) => s.studentId === studentId) as DemoStudent;
    w.attendance(
      student,
      date,
      '14:10',
      `outing:${exemptionId}:${studentId}`,
      {
        type: 'RecordCollectiveExemption',
        studentId,
        actor: DEMO_CPE,
        factId: exemptionId,
        exemptionId,
        classOrGroupId: classId,
        label: "Sortie au musée de l'Œuvre Notre-Dame",
        from: { date, slotCode: 'S1' },
        to: { date, slotCode: 'S3' },
        context: w.attendanceContext(date),
      },
      `${DEMO_SEED}:${exemptionId}`,
    );
  }
  w.justifyDay(w.story.missedOuting, date, '2026-11-20', 'MALADIE', 'accept');
  return OUTING;
};

/** Yanis moves from 5A to 5B on Monday 16 November: his counts follow his enrolment dates. */
export const classChange = (w: StoryWriter) => {
  const student = w.story.changesClass;
  w.plan.absent(student.studentId, '2026-11-06', AFTERNOON);
  w.plan.absent(student.studentId, '2026-11-20', MORNING);
  w.steps.push({
    stream: 'student',
    streamId: studentStreamId(DEMO_SCHOOL_ID, student.studentId),
    command: {
      type: 'MoveStudent',
      data: {
        schoolId: DEMO_SCHOOL_ID,
        studentId: student.studentId,
        toClassId: CLASS_CHANGE.to,
        on: CLASS_CHANGE.on,
        structure: {
          classIds: new Set(DEMO_CLASSES.map((c) => c.classId)),
          groupIds: new Set(DEMO_GROUPS.map((g) => g.groupId)),
        },
      },
    },
    at: parisInstant('2026-11-13', '16:00'),
    commandId: `${DEMO_SEED}:move:${student.studentId}:${CLASS_CHANGE.on}`,
    actor: DEMO_PRINCIPAL,
    reason: 'changement de classe décidé en équipe éducative du 12 novembre',
  });
  w.justifyDay(student, '2026-11-20', '2026-11-23', 'TRANSPORT', 'accept', { note: 'grève des bus CTS' });
  return { studentId: student.studentId, from: student.classId, to: CLASS_CHANGE.to, on: CLASS_CHANGE.on };
};

/** The Latin teacher phones the absences in; the CPE types them on 5A instead of LATIN-5, voids and retakes. */
export const wrongClass = (w: StoryWriter) => {
  const { date, slotCode, groupId, typedOn } = WRONG_CLASS;
  const group = { classOrGroupId: groupId, date, slotCode };
  const wrong = { classOrGroupId: typedOn, date, slotCode };
  w.plan.absent(w.story.latinist.studentId, date, AFTERNOON);
  w.skipped.add(lessonKey(group));
  const list = w.listFor(group);
  const onWrongClass = new Set(w.enrolledOn(typedOn, date));
  w.rollCall(wrong, DEMO_CPE, '15:45', `rollcall:${lessonKey(wrong)}`, {
    type: 'TakeRollCall',
    absent: list.absent.filter((id) => onWrongClass.has(id)),
    late: list.late.filter((l) => onWrongClass.has(l.studentId)),
  });
  w.rollCall(wrong, DEMO_CPE, '16:05', `rollcall:${lessonKey(wrong)}:voided`, {
    type: 'VoidRollCall',
    actor: DEMO_CPE,
    reason: `appel saisi sur la ${typedOn} au lieu du groupe ${groupId} (dicté par téléphone)`,
  });
  w.rollCall(group, DEMO_CPE, '16:06', `rollcall:${lessonKey(group)}`, { type: 'TakeRollCall', ...list });
  w.justify({
    student: w.story.latinist,
    id: `justif-${date}`,
    from: { date, halfDay: 'PM' },
    to: { date, halfDay: 'PM' },
    reasonCode: 'RDV_MEDICAL',
    receivedOn: '2026-11-18',
    time: '08:20',
    decision: 'accept',
    note: 'rendez-vous chez le dentiste',
  });
  return wrong;
};

export const departureDuringTheDay = (w: StoryWriter) => {
  const student = w.story.leavesEarly;
  const date = '2026-11-20';
  w.plan.absent(student.studentId, date, AFTERNOON);
  w.attendance(student, date, '11:32', `departure:${student.studentId}:${date}`, {
    type: 'RecordEarlyDeparture',
    studentId: student.studentId,
    actor: DEMO_CPE,
    factId: `depart-${date}`,
    date,
    at: '11:30',
    classId: student.classId,
    authorisedBy: 'père',
    note: "rendez-vous chez l'orthodontiste",
    context: w.attendanceContext(date),
  });
  w.justifyDay(student, date, '2026-11-23', 'RDV_MEDICAL', 'accept', { regularise: true });
};

export const reportedAhead = (w: StoryWriter) => {
  const student = w.story.reportedAhead;
  const date = '2026-11-25';
  w.plan.absent(student.studentId, date, 'day');
  w.attendance(student, '2026-11-23', '17:10', `report:${student.studentId}:${date}`, {
    type: 'ReportAbsence',
    studentId: student.studentId,
    actor: DEMO_CPE,
    factId: `appel-famille-${date}`,
    from: { date },
    to: { date },
    classId: student.classId,
    reasonCode: 'MALADIE',
    note: 'hospitalisation de jour programmée, appel du père',
    context: w.attendanceContext('2026-11-23'),
  });
  w.justifyDay(student, date, '2026-11-26', 'MALADIE', 'accept', { note: "bulletin d'hospitalisation" });
  w.attendance(
    student,
    '2026-11-27',
    '09:00',
    `justification:${student.studentId}:justif-${date}:regularised`,
    {
      type: 'RegulariseJustification',
      studentId: student.studentId,
      actor: DEMO_CPE,
      justificationId: `justif-${date}`,
    },
  );
};

/** Late justifications: one withdraws an alert, one is accepted weeks later, one is rejected. */
export const lateJustifications = (w: StoryWriter) => {
  const { alertWithdrawn, lateJustified, justificationRejected } = w.story;
  w.plan.absent(alertWithdrawn.studentId, '2026-11-12', 'day');
  w.plan.absent(alertWithdrawn.studentId, '2026-11-13', 'day');
  w.plan.absent(lateJustified.studentId, '2026-11-04', 'day');
  w.plan.absent(justificationRejected.studentId, '2026-11-23', ['M1', 'M2']);
  w.justify({
    student: alertWithdrawn,
    id: 'justif-2026-11-12',
    from: { date: '2026-11-12', halfDay: 'AM' },
    to: { date: '2026-11-13', halfDay: 'PM' },
    reasonCode: 'MALADIE',
    receivedOn: '2026-11-24',
    time: '10:00',
    decision: 'accept',
    note: 'certificat médical du Dr Weber, remis onze jours après',
    regularise: true,
  });
  w.justifyDay(lateJustified, '2026-11-04', '2026-11-18', 'REUNION_FAMILLE', 'accept', {
    note: 'obsèques de son grand-père',
  });
  w.justify({
    student: justificationRejected,
    id: 'justif-2026-11-23',
    from: { date: '2026-11-23', halfDay: 'AM' },
    to: { date: '2026-11-23', halfDay: 'AM' },
    reasonCode: 'PANNE_REVEIL',
    receivedOn: '2026-11-24',
    time: '08:30',
    decision: 'reject',
    note: "« le réveil n'a pas sonné »",
  });
};

/** Five unjustified half-days in November, two latenesses, and a justification still pending: the alert stays open. */
export const overTheThreshold = (w: StoryWriter) => {
  const student = w.story.overThreshold;
  w.plan.absent(student.studentId, '2026-11-05', MORNING);
  w.plan.absent(student.studentId, '2026-11-09', 'day');
  w.plan.absent(student.studentId, '2026-11-17', AFTERNOON);
  w.plan.absent(student.studentId, '2026-11-24', MORNING);
  w.plan.late(student.studentId, '2026-11-03', 'M1', 12);
  w.plan.late(student.studentId, '2026-11-16', 'M1', 20);
  w.justify({
    student,
    id: 'justif-2026-11-24',
    from: { date: '2026-11-24', halfDay: 'AM' },
    to: { date: '2026-11-24', halfDay: 'AM' },
    reasonCode: 'TRANSPORT',
    receivedOn: '2026-11-26',
    time: '12:15',
    decision: 'pending',
    note: 'le bus scolaire ne serait pas passé : à vérifier auprès du transporteur',
  });
};
