import {
  AttendanceContext,
  DateHalfDay,
  JustificationSource,
  Lateness,
  RevertRollCall,
  RollCallCommand,
  RollCallContext,
  StudentAttendanceCommand,
  VoidRollCall,
  attendanceStreamId,
  rollCallStreamId,
} from '../domain/attendance';
import { AssessmentCommand, ReportCommand } from '../domain/assessment';
import { CouncilCommand } from '../domain/council';
import { Actor } from '../domain/shared/event';
import { StudentCommand } from '../domain/structure/student';
import { DEMO_GROUPS, DEMO_SCHOOL_ID, DEMO_SCHOOL_YEAR, DemoRoster, DemoStudent } from './demo-roster';
import { DEMO_REASONS } from './demo-settings';
import {
  DEMO_CALENDAR,
  DEMO_MONTH,
  DEMO_SLOTS,
  DEMO_TEACHERS,
  DemoLesson,
  lessonsOn,
  schoolDaysOf,
} from './demo-timetable';
import { IsoDate, minutesOfDay, parisWallClock } from '../domain/shared/calendar';

/** What a demo teacher's token would list: the classes and groups they teach. */
const taughtBy = (actor: Actor): { actorTeaches?: readonly string[] } => {
  const teacher = DEMO_TEACHERS.find((t) => t.teacherId === actor.id);
  return teacher ? { actorTeaches: teacher.teaches } : {};
};

type DemoCorrection = Omit<RevertRollCall, 'classOrGroupId'> | Omit<VoidRollCall, 'classOrGroupId'>;

/**
 * What the demo's month is written with: who misses which lesson (the plan), and the commands the
 * school sends about it (the steps), each with its instant, actor and a command id from the seed.
 */

/** Every command id of the demo starts with this: the demo knows its own events, and a rerun writes nothing. */
export const DEMO_SEED = 'demo-0670001A-2026';

export const DEMO_CPE: Actor = { id: 'cpe-01', role: 'cpe' };
export const DEMO_PRINCIPAL: Actor = { id: 'principal-01', role: 'principal' };

export type DemoTarget =
  | { readonly stream: 'rollcall'; readonly streamId: string; readonly command: RollCallCommand }
  | { readonly stream: 'attendance'; readonly streamId: string; readonly command: StudentAttendanceCommand }
  | { readonly stream: 'student'; readonly streamId: string; readonly command: StudentCommand }
  | { readonly stream: 'assessment'; readonly streamId: string; readonly command: AssessmentCommand }
  | { readonly stream: 'report'; readonly streamId: string; readonly command: ReportCommand }
  | { readonly stream: 'council'; readonly streamId: string; readonly command: CouncilCommand };

export type DemoStep = DemoTarget & {
  /** UTC instant the command is handled at, in the story's time. */
  readonly at: string;
  readonly commandId: string;
  readonly actor: Actor;
  readonly reason?: string;
  readonly correlationId?: string;
};

export type LessonRef = {
  readonly classOrGroupId: string;
  readonly date: IsoDate;
  readonly slotCode: string;
};

const SCHOOL = DEMO_SCHOOL_ID;
const SCHOOL_YEAR_DATES = { start: DEMO_SCHOOL_YEAR.start, end: DEMO_SCHOOL_YEAR.end };
/** Yanis moves from 5A to 5B: from that day he is on 5B's registers. */
export const CLASS_CHANGE = { on: '2026-11-16', to: '5B' };
export const MORNING = ['M1', 'M2', 'M3', 'M4'];
export const AFTERNOON = ['S1', 'S2', 'S3'];

/** The UTC instant of a Europe/Paris wall-clock time (one of the two offsets Paris uses fits). */
export const parisInstant = (date: IsoDate, time: string): string => {
  const [year, month, day] = date.split('-').map(Number);
  const minutes = minutesOfDay(time);
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(year, month - 1, day, 0, minutes - offsetHours * 60));
    const wall = parisWallClock(candidate);
    if (wall.date === date && wall.time === time) return candidate.toISOString();
  }
  throw new RangeError(`${date} ${time} does not exist in Europe/Paris`);
};

export const timePlus = (time: string, minutes: number): string => {
  const total = minutesOfDay(time) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
};

export const lessonKey = (l: LessonRef): string => `${l.classOrGroupId}|${l.date}|${l.slotCode}`;

/** Who misses which slots of which day, and who arrives late. */
export class MonthPlan {
  private readonly absences = new Map<string, Set<string> | 'day'>();
  private readonly lates = new Map<string, number>();

  absent(studentId: string, date: IsoDate, slots: readonly string[] | 'day') {
    const key = `${studentId}|${date}`;
    const known = this.absences.get(key);
    if (slots === 'day' || known === 'day') this.absences.set(key, 'day');
    else this.absences.set(key, new Set([...(known ?? []), ...slots]));
  }

  isAbsent(studentId: string, date: IsoDate, slotCode: string): boolean {
    const slots = this.absences.get(`${studentId}|${date}`);
    return slots === 'day' || (slots !== undefined && slots.has(slotCode));
  }

  late(studentId: string, date: IsoDate, slotCode: string, minutes: number) {
    this.lates.set(`${studentId}|${date}|${slotCode}`, minutes);
  }

  lateness(studentId: string, date: IsoDate, slotCode: string): Lateness | undefined {
    const minutes = this.lates.get(`${studentId}|${date}|${slotCode}`);
    return minutes === undefined ? undefined : { studentId, minutes };
  }
}

export type Justify = {
  readonly student: DemoStudent;
  readonly id: string;
  readonly from: DateHalfDay;
  readonly to: DateHalfDay;
  readonly reasonCode: string;
  readonly receivedOn: IsoDate;
  /** Europe/Paris time of day it is received. */
  readonly time: string;
  readonly decision: 'accept' | 'reject' | 'pending';
  readonly note?: string;
  readonly regularise?: boolean;
  readonly source?: JustificationSource;
};

/** Builds the month: the plan of who is absent, then the steps that record it. */
export class StoryWriter {
  readonly plan = new MonthPlan();
  readonly steps: DemoStep[] = [];
  /** Lessons whose teacher sends no roll call. */
  readonly skipped = new Set<string>();
  readonly days = schoolDaysOf(DEMO_MONTH.from, DEMO_MONTH.to);

  constructor(
    readonly roster: DemoRoster,
    readonly lessons: readonly DemoLesson[],
  ) {}

  get story() {
    return this.roster.story;
  }

  classOn(student: DemoStudent, date: IsoDate): string {
    return student === this.story.changesClass && date >= CLASS_CHANGE.on ? CLASS_CHANGE.to : student.classId;
  }

  enrolledOn(classOrGroupId: string, date: IsoDate): string[] {
    const isGroup = DEMO_GROUPS.some((g) => g.groupId === classOrGroupId);
    return this.roster.students
      .filter((s) =>
        isGroup ? s.groupIds.includes(classOrGroupId) : this.classOn(s, date) === classOrGroupId,
      )
      .map((s) => s.studentId)
      .sort();
  }

  rollCallContext(classOrGroupId: string, date: IsoDate): RollCallContext {
    return {
      slots: DEMO_SLOTS,
      enrolled: new Set(this.enrolledOn(classOrGroupId, date)),
      schoolYear: SCHOOL_YEAR_DATES,
      calendar: DEMO_CALENDAR,
      today: date,
      maxDaysAhead: 0,
    };
  }

  attendanceContext(today: IsoDate): AttendanceContext {
    return {
      slots: DEMO_SLOTS,
      calendar: DEMO_CALENDAR,
      schoolYear: SCHOOL_YEAR_DATES,
      today,
      maxDaysAhead: 30,
    };
  }

  /** The list the plan gives for a lesson. */
  listFor(lesson: LessonRef): { absent: string[]; late: Lateness[] } {
    const enrolled = this.enrolledOn(lesson.classOrGroupId, lesson.date);
    const absent = enrolled.filter((id) => this.plan.isAbsent(id, lesson.date, lesson.slotCode));
    const late = enrolled
      .filter((id) => !absent.includes(id))
      .flatMap((id) => this.plan.lateness(id, lesson.date, lesson.slotCode) ?? []);
    return { absent, late };
  }

  rollCall(
    lesson: LessonRef,
    actor: Actor,
    time: string,
    label: string,
    command:
      | { type: 'TakeRollCall'; absent: readonly string[]; late: readonly Lateness[]; reason?: string }
      | DemoCorrection,
  ) {
    const isGroup = DEMO_GROUPS.some((g) => g.groupId === lesson.classOrGroupId);
    this.steps.push({
      stream: 'rollcall',
      streamId: rollCallStreamId(SCHOOL, lesson.classOrGroupId, lesson.date, lesson.slotCode),
      command:
        command.type === 'TakeRollCall'
          ? {
              ...command,
              classOrGroupId: lesson.classOrGroupId,
              groupKind: isGroup ? 'group' : 'class',
              date: lesson.date,
              slotCode: lesson.slotCode,
              actor,
              ...taughtBy(actor),
              context: this.rollCallContext(lesson.classOrGroupId, lesson.date),
            }
          : { ...command, classOrGroupId: lesson.classOrGroupId, ...taughtBy(command.actor) },
      at: parisInstant(lesson.date, time),
      commandId: `${DEMO_SEED}:${label}`,
      actor,
      ...('reason' in command && command.reason !== undefined ? { reason: command.reason } : {}),
    });
  }

  attendance(
    student: DemoStudent,
    date: IsoDate,
    time: string,
    label: string,
    command: StudentAttendanceCommand,
    correlationId?: string,
  ) {
    const reason = 'reason' in command ? command.reason : undefined;
    this.steps.push({
      stream: 'attendance',
      streamId: attendanceStreamId(SCHOOL, student.studentId),
      command,
      at: parisInstant(date, time),
      commandId: `${DEMO_SEED}:${label}`,
      actor: command.actor,
      ...(reason !== undefined ? { reason } : {}),
      ...(correlationId !== undefined ? { correlationId } : {}),
    });
  }

  justify(j: Justify) {
    const studentId = j.student.studentId;
    const base = { studentId, actor: DEMO_CPE, justificationId: j.id };
    const label = `justification:${studentId}:${j.id}`;
    const { time } = j;
    this.attendance(j.student, j.receivedOn, time, `${label}:received`, {
      ...base,
      type: 'ReceiveJustification',
      from: j.from,
      to: j.to,
      reasonCode: j.reasonCode,
      source: j.source ?? 'family',
      receivedOn: j.receivedOn,
      ...(j.note !== undefined ? { note: j.note } : {}),
      context: { schoolYear: SCHOOL_YEAR_DATES, reasons: DEMO_REASONS },
    });
    if (j.decision === 'accept')
      this.attendance(j.student, j.receivedOn, timePlus(time, 5), `${label}:accepted`, {
        ...base,
        type: 'AcceptJustification',
        context: { reasons: DEMO_REASONS },
      });
    if (j.decision === 'reject')
      this.attendance(j.student, j.receivedOn, timePlus(time, 5), `${label}:rejected`, {
        ...base,
        type: 'RejectJustification',
        note: 'motif non recevable au regard du règlement intérieur',
      });
    if (j.regularise)
      this.attendance(j.student, j.receivedOn, timePlus(time, 6), `${label}:regularised`, {
        ...base,
        type: 'RegulariseJustification',
      });
  }

  /** A whole-day justification of `date`, received on `receivedOn` at 16:45. */
  justifyDay(
    student: DemoStudent,
    date: IsoDate,
    receivedOn: IsoDate,
    reasonCode: string,
    decision: Justify['decision'],
    extra: Partial<Pick<Justify, 'note' | 'regularise'>> = {},
  ) {
    this.justify({
      student,
      id: `justif-${date}`,
      from: { date, halfDay: 'AM' },
      to: { date, halfDay: 'PM' },
      reasonCode,
      receivedOn,
      time: '16:45',
      decision,
      ...extra,
    });
  }

  firstLesson(classOrGroupId: string, subjectId: string, from: IsoDate): DemoLesson & { date: IsoDate } {
    for (const date of this.days.filter((d) => d >= from)) {
      const lesson = lessonsOn(this.lessons, date).find(
        (l) => l.classOrGroupId === classOrGroupId && l.subjectId === subjectId,
      );
      if (lesson) return { ...lesson, date };
    }
    throw new Error(`no ${subjectId} lesson for ${classOrGroupId} from ${from}`);
  }

  lessonOf(lesson: LessonRef): DemoLesson {
    const found = lessonsOn(this.lessons, lesson.date).find(
      (l) => l.classOrGroupId === lesson.classOrGroupId && l.slotCode === lesson.slotCode,
    );
    if (!found) throw new Error(`no lesson ${lessonKey(lesson)} in the demo timetable`);
    return found;
  }

  nextSchoolDay(date: IsoDate, after: number): IsoDate {
    const later = this.days.filter((d) => d > date);
    return later[Math.min(after, later.length) - 1] ?? date;
  }
}
