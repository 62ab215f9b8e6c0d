import { Actor } from '../shared/event';
import { ClosedSpan } from './closed-periods';
import { conflict, forbidden, invalid } from '../shared/domain-error';
import {
  SchoolCalendar,
  SchoolYear,
  SlotRef,
  TimetableSlot,
  openHalfDaysOn,
  resolveSlot,
} from './school-inputs';
import { HalfDay, IsoDate, WallClockTime, addDays, isIsoDate, minutesBetween } from '../shared/calendar';

/** What the handler reads from the structure and settings read models for one roll call. */
export type RollCallContext = {
  /** The school's timetable slots in force on the roll call's date. */
  readonly slots: readonly TimetableSlot[];
  readonly halfDayBoundary?: WallClockTime;
  /** Students enrolled in the class or group on the roll call's date. */
  readonly enrolled: ReadonlySet<string>;
  readonly schoolYear: SchoolYear;
  readonly calendar?: SchoolCalendar;
  /** Europe/Paris date at which the command is handled. */
  readonly today: IsoDate;
  /** How many days ahead a roll call may be taken (a school setting). */
  readonly maxDaysAhead: number;
  /** An arrival later than this many minutes counts as an absence for the slot (a school setting; 0: never). */
  readonly lateAsAbsenceAfterMinutes?: number;
  /** The closed periods of the class (of a group: of its classes) around the date; none: all open. */
  readonly closedPeriods?: readonly ClosedSpan[];
};

/**
 * Who sends a roll-call command. A teacher takes and corrects roll calls only for the classes and
 * groups their token lists; a teacher whose list is not given is refused everywhere. Other roles
 * are not limited to classes (the API lets only those who may write roll calls reach here).
 */
export type RollCallActor = {
  readonly actor: Actor;
  readonly actorTeaches?: readonly string[];
};

/** `field` names the request's field when the class or group came in the body (taking a roll call). */
export const checkTaker = (
  { actor, actorTeaches }: RollCallActor,
  classOrGroupId: string,
  field?: string,
) => {
  if (actor.role === 'teacher' && !(actorTeaches ?? []).includes(classOrGroupId))
    throw forbidden('ROLL_CALL.NOT_CLASS_TEACHER', `teacher ${actor.id} does not teach ${classOrGroupId}`, {
      ...(field !== undefined ? { field } : {}),
      classOrGroupId,
      teacherId: actor.id,
    });
};

export type GroupKind = 'class' | 'group';

export type Lateness = {
  readonly studentId: string;
  readonly minutes: number;
};

export type RollCallList = {
  readonly absent: readonly string[];
  readonly late: readonly Lateness[];
};

export type LessonOfRollCall = {
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly date: IsoDate;
  readonly slot: Omit<SlotRef, 'halfDay'>;
  readonly halfDay: HalfDay;
};

export type ValidatedRollCall = {
  readonly lesson: LessonOfRollCall;
  readonly register: readonly string[];
  readonly list: RollCallList;
  readonly lateAsAbsenceAfterMinutes: number | null;
};

export type RollCallSubmission = RollCallActor & {
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly date: IsoDate;
  readonly slotCode: string;
  readonly absent: readonly string[];
  readonly late: readonly Lateness[];
  readonly context: RollCallContext;
};

const byStudent = (a: Lateness, b: Lateness) =>
  a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0;

/** Lists in a canonical order, so that the same roll call sent twice compares equal. */
export const canonicalList = (list: RollCallList): RollCallList => ({
  absent: [...list.absent].sort(),
  late: list.late.map((l) => ({ studentId: l.studentId, minutes: l.minutes })).sort(byStudent),
});

export const sameList = (a: RollCallList, b: RollCallList): boolean => {
  const left = canonicalList(a);
  const right = canonicalList(b);
  return (
    left.absent.length === right.absent.length &&
    left.absent.every((s, i) => s === right.absent[i]) &&
    left.late.length === right.late.length &&
    left.late.every((l, i) => l.studentId === right.late[i].studentId && l.minutes === right.late[i].minutes)
  );
};

const checkDate = (date: IsoDate, context: RollCallContext) => {
  if (!isIsoDate(date))
    throw invalid('ROLL_CALL.DATE_INVALID', `date must be YYYY-MM-DD, got ${String(date)}`, {
      field: 'date',
    });
  const { schoolYear } = context;
  if (date < schoolYear.start || date > schoolYear.end)
    throw conflict('ROLL_CALL.DATE_OUTSIDE_SCHOOL_YEAR', `${date} is outside the school year`, {
      field: 'date',
      date,
      schoolYear,
    });
  if (openHalfDaysOn(context.calendar, date).length === 0) {
    const closure = context.calendar?.closureLabels?.get(date);
    throw conflict(
      'ROLL_CALL.NON_SCHOOL_DAY',
      closure ? `${date} is not a school day: ${closure}` : `${date} is not a school day`,
      { field: 'date', date, ...(closure ? { closure } : {}) },
    );
  }
  const latestAllowed = addDays(context.today, context.maxDaysAhead);
  if (date > latestAllowed)
    throw conflict(
      'ROLL_CALL.DATE_TOO_FAR_AHEAD',
      `${date} is more than ${context.maxDaysAhead} days ahead`,
      {
        field: 'date',
        date,
        latestAllowed,
      },
    );
};

const findSlot = (slotCode: string, context: RollCallContext): SlotRef => {
  const slot = context.slots.find((s) => s.code === slotCode);
  if (!slot)
    throw invalid('ROLL_CALL.SLOT_UNKNOWN', `slot ${slotCode} is not in the timetable`, {
      field: 'slot',
      slotCode,
      knownSlots: context.slots.map((s) => s.code),
    });
  return resolveSlot(slot, context.halfDayBoundary);
};

const checkList = (submission: RollCallSubmission, slot: SlotRef) => {
  const seen = new Set<string>();
  const entries = [
    ...submission.absent.map((studentId, i) => ({ studentId, field: `absent[${i}]` })),
    ...submission.late.map((l, i) => ({ studentId: l.studentId, field: `late[${i}]` })),
  ];
  for (const { studentId, field } of entries) {
    if (typeof studentId !== 'string' || studentId.length === 0)
      throw invalid('ROLL_CALL.STUDENT_INVALID', 'a student id must be a non-empty string', { field });
    if (seen.has(studentId))
      throw invalid('ROLL_CALL.DUPLICATE_STUDENT', `student ${studentId} is listed twice`, {
        field,
        studentId,
      });
    seen.add(studentId);
  }
  const slotMinutes = minutesBetween(slot.start, slot.end);
  submission.late.forEach((l, i) => {
    if (!Number.isInteger(l.minutes) || l.minutes < 1 || l.minutes > slotMinutes)
      throw invalid(
        'ROLL_CALL.LATE_MINUTES_INVALID',
        `minutes late must be a whole number from 1 to ${slotMinutes}`,
        {
          field: `late[${i}].minutes`,
          studentId: l.studentId,
          minutes: l.minutes,
        },
      );
  });
  const notEnrolled = entries.filter((e) => !submission.context.enrolled.has(e.studentId));
  if (notEnrolled.length > 0)
    throw conflict(
      'ROLL_CALL.STUDENT_NOT_ENROLLED',
      `not enrolled in ${submission.classOrGroupId} on ${submission.date}: ${notEnrolled.map((e) => e.studentId).join(', ')}`,
      {
        field: notEnrolled[0].field,
        studentIds: notEnrolled.map((e) => e.studentId),
        classOrGroupId: submission.classOrGroupId,
        date: submission.date,
      },
    );
};

/** A school open on Wednesday mornings only has no lesson to call at 13:30. */
const checkHalfDayOpen = (date: IsoDate, slot: SlotRef, context: RollCallContext) => {
  const open = openHalfDaysOn(context.calendar, date);
  if (!open.includes(slot.halfDay))
    throw conflict(
      'ROLL_CALL.NON_SCHOOL_HALF_DAY',
      `${date} has no lessons in the ${slot.halfDay === 'AM' ? 'morning' : 'afternoon'}: slot ${slot.code} is not taught that day`,
      { field: 'slot', date, slotCode: slot.code, halfDay: slot.halfDay, openHalfDays: open },
    );
};

/** Every check a roll call must pass before the stream's own history is even looked at. */
export const validateRollCall = (submission: RollCallSubmission): ValidatedRollCall => {
  checkDate(submission.date, submission.context);
  const slot = findSlot(submission.slotCode, submission.context);
  checkHalfDayOpen(submission.date, slot, submission.context);
  checkList(submission, slot);
  return {
    lesson: {
      classOrGroupId: submission.classOrGroupId,
      groupKind: submission.groupKind,
      date: submission.date,
      slot: { code: slot.code, start: slot.start, end: slot.end },
      halfDay: slot.halfDay,
    },
    register: [...submission.context.enrolled].sort(),
    list: canonicalList(submission),
    lateAsAbsenceAfterMinutes: submission.context.lateAsAbsenceAfterMinutes || null,
  };
};
