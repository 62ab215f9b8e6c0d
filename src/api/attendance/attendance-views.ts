import { Inject, Injectable } from '@nestjs/common';
import {
  DefaultRange,
  NamedRange,
  PATTERN_MIN_WEEKS,
  RangeRequest,
  completenessWindow,
  resolveRange,
  rollCallStreamId,
} from '../../domain/attendance';
import {
  AlertKey,
  alertKeyOf,
  AttendanceTable,
  attendanceProjection,
  ExpectedLessonsAsk,
  LessonTables,
  rollCallCompletenessProjection,
} from '../../projections/attendance';
import { LiveProjections } from '../../projections/live-projections';
import {
  schoolSettingsProjection,
  SchoolSettingsTable,
  schoolStructureProjection,
  SchoolStructureTable,
  TeachingView,
} from '../../projections/structure';
import { assertTeacherScope } from '../auth/teacher-scope';
import { AuthenticatedUser } from '../auth/user';
import { DEFAULT_PAGE, decodeCursor, pageOf } from '../core/page';
import { Reads } from '../core/reads';
import { CLOCK, PROJECTION_RUNNER } from '../core/tokens';
import { ApiError, validationError } from '../errors/api-error';
import { Clock, todayInParis } from '../../domain/shared/clock';
import { AttendanceInputs, timetableOf } from './attendance-inputs';
import {
  AlertsQuery,
  ClassAttendanceQuery,
  CompletenessQuery,
  CountsQuery,
  LedgerQuery,
} from './attendance-query.dto';
import { LESSON_KEY, LessonKey, completenessPage } from './completeness-page';
import { Lesson } from './roll-call.commands';
import { IsoDate, monthOf } from '../../domain/shared/calendar';

type CompletenessTable = 'rollcalls' | 'dates';

/** The attendance read models, each answer shaped for one route. */
@Injectable()
export class AttendanceViews {
  constructor(
    @Inject(Reads) private readonly reads: Reads,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(AttendanceInputs) private readonly inputs: AttendanceInputs,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Day by day and slot by slot; by default the current month up to today. */
  async ledger(schoolId: string, studentId: string, query: LedgerQuery) {
    this.inputs.requireStudent(schoolId, studentId);
    const range = this.range(schoolId, query, 'month-to-date');
    const [afterDate] = decodeCursor<[IsoDate]>(query.after, ['string']) ?? [];
    const ledger = await this.reads.run('studentLedger', this.tables, { schoolId, studentId, ...range });
    // The days are paged; the totals, justifications and facts stay those of the whole range.
    const days = ledger.days.filter((day) => afterDate === undefined || day.date > afterDate);
    const page = pageOf(days, query.limit ?? DEFAULT_PAGE, (day) => [day.date]);
    return { ...ledger, days: page.items, next: page.next };
  }

  /** Half-day counts in total and per month, with the alerts of those months; by default the school year. */
  async counts(schoolId: string, studentId: string, query: CountsQuery) {
    this.inputs.requireStudent(schoolId, studentId);
    const range = this.range(schoolId, query, 'school-year');
    const [totals, studentAlerts] = await Promise.all([
      this.reads.run('studentTotals', this.tables, { schoolId, studentId, ...range }),
      this.reads.run('schoolAlerts', this.tables, { schoolId, studentId, status: 'all' }),
    ]);
    const alerts = studentAlerts.filter(
      (alert) => alert.month >= monthOf(range.from) && alert.month <= monthOf(range.to),
    );
    return { studentId, ...range, ...totals, alerts };
  }

  /** `?date=`: the day's roll calls with each absent or late student's final status; else the totals over a range. */
  async classAttendance(
    user: AuthenticatedUser,
    schoolId: string,
    classOrGroupId: string,
    query: ClassAttendanceQuery,
  ) {
    assertTeacherScope(user, { classId: classOrGroupId });
    const kind = this.inputs.requireClassOrGroup(schoolId, classOrGroupId);
    const { date, ...rangeRequest } = query;
    if (date !== undefined) {
      const extra = (['period', 'month', 'from', 'to'] as const).find((key) => query[key] !== undefined);
      if (extra)
        throw validationError([
          { field: extra, rule: 'exactlyOne', message: 'date names one day: give no range with it' },
        ]);
      const rollCalls = await this.reads.run('classDay', this.tables, { schoolId, classOrGroupId, date });
      return { classOrGroupId, kind, date, rollCalls };
    }
    const scheme =
      kind === 'class'
        ? (await this.reads.run('readClasses', this.structureTables, schoolId)).find(
            (c) => c.classId === classOrGroupId,
          )?.periodScheme
        : undefined;
    const range = this.range(schoolId, rangeRequest, 'school-year', scheme);
    const totals = await this.reads.run('classTotals', this.tables, {
      schoolId,
      classId: classOrGroupId,
      ...range,
    });
    return { classOrGroupId, kind, ...range, ...totals };
  }

  /** One page of the school's alerts, in month then student order. */
  async alerts(schoolId: string, query: AlertsQuery) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = decodeCursor<AlertKey>(query.after, ['string', 'string', 'string', 'number']);
    const rows = await this.reads.run('schoolAlerts', this.tables, {
      schoolId,
      status: query.status ?? 'open',
      ...(query.month !== undefined ? { month: query.month } : {}),
      ...(query.studentId !== undefined ? { studentId: query.studentId } : {}),
      ...(after !== undefined ? { after } : {}),
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, alertKeyOf);
    return { alerts: page.items, next: page.next };
  }

  /** The roll call as it stands and every change to it: who, when, why, what was added and removed. */
  async rollCall(user: AuthenticatedUser, schoolId: string, lesson: Lesson) {
    assertTeacherScope(user, { classId: lesson.classOrGroupId });
    const rollCallId = rollCallStreamId(schoolId, lesson.classOrGroupId, lesson.date, lesson.slotCode);
    const changes = await this.reads.run('rollCallHistory', this.tables, rollCallId);
    if (changes.length === 0)
      throw new ApiError(
        404,
        'ROLL_CALL.NOT_TAKEN',
        `no roll call for ${lesson.classOrGroupId} on ${lesson.date} at ${lesson.slotCode}`,
        { ...lesson },
      );
    const current = (
      await this.reads.run('classDay', this.tables, {
        schoolId,
        classOrGroupId: lesson.classOrGroupId,
        date: lesson.date,
      })
    ).find((rollCall) => rollCall.rollCallId === rollCallId);
    return { rollCallId, ...lesson, current: current ?? null, changes };
  }

  /**
   * Lessons without a roll call, per teacher and per class or group; by default the last seven days
   * up to today. A class or group with a declared timetable is expected on its declared lessons from
   * the date that timetable takes effect; before it, and for the others, the lessons expected are
   * the weekly pattern of the roll calls taken (see src/domain/attendance/weekly-lessons.ts).
   */
  /**
   * The lessons a completeness window expects — the declared timetables where in force, else the
   * weekly pattern of the roll calls taken, less holidays, bank holidays and half-days without
   * lessons — for the school, or for one class or group.
   */
  async expectedIn(schoolId: string, window: ReturnType<typeof completenessWindow>, classOrGroupId?: string) {
    return this.reads.run(
      'lessonsExpected',
      () => this.lessonTables(),
      this.lessonsAsk(schoolId, window, classOrGroupId),
    );
  }

  /** The roll calls taken and the declared timetables: the two views a completeness window reads. */
  private lessonTables(): LessonTables {
    return {
      ...this.runner.tables<CompletenessTable>(rollCallCompletenessProjection.name),
      ...this.runner.tables<SchoolSettingsTable>(schoolSettingsProjection.name),
    };
  }

  private lessonsAsk(
    schoolId: string,
    window: ReturnType<typeof completenessWindow>,
    classOrGroupId?: string,
  ): ExpectedLessonsAsk {
    const { from, to, observedFrom } = window;
    return {
      schoolId,
      window: { from, to, observedFrom },
      ...(classOrGroupId !== undefined && { classOrGroupId }),
      timetable: {
        ...timetableOf(this.inputs.settingsOn(schoolId, to)),
        calendar: this.inputs.calendarOf(schoolId),
      },
    };
  }

  async completeness(schoolId: string, query: CompletenessQuery) {
    const window = completenessWindow(
      this.range(schoolId, query, 'last-seven-days'),
      todayInParis(this.clock),
    );
    const { from, to, observedFrom } = window;
    const after = decodeCursor<LessonKey>(query.after, LESSON_KEY);
    // One read on a read thread: the window's roll calls and declared timetables, the lessons they
    // expect against the roll calls taken, and which classes taught had any. Who teaches what is
    // the cached answer the commands share.
    const { assignments } = this.inputs.teaching(schoolId);
    const taught = [...new Set(assignments.map(({ target }) => target.id))];
    const { classes, found, called } = await this.reads.run('lessonCompleteness', () => this.lessonTables(), {
      ...this.lessonsAsk(schoolId, window),
      among: taught,
    });
    const report = completenessPage(found, after, query.limit ?? DEFAULT_PAGE);
    return {
      from,
      to,
      basis: {
        declared: classes.declared,
        inferred: {
          expectedFrom: 'weekly pattern of the roll calls taken',
          observedFrom,
          observedTo: to,
          minWeeks: PATTERN_MIN_WEEKS,
          classes: classes.inferred,
        },
      },
      ...report,
      withoutAnyRollCall: silentClassesAndGroups(assignments, new Set(called)),
    };
  }

  /** The live tables, asked when a read starts (a rebuild may swap them while it waits). */
  private readonly tables = () => this.runner.tables<AttendanceTable>(attendanceProjection.name);

  private readonly structureTables = () =>
    this.runner.tables<SchoolStructureTable>(schoolStructureProjection.name);

  private range(
    schoolId: string,
    request: RangeRequest,
    byDefault: DefaultRange,
    scheme?: string,
  ): NamedRange {
    const answer = resolveRange(request, {
      years: () => this.inputs.schoolYears(schoolId),
      today: todayInParis(this.clock),
      byDefault,
      ...(scheme !== undefined ? { scheme } : {}),
    });
    if ('problem' in answer) throw validationError([answer.problem]);
    return answer.range;
  }
}

/** Classes and groups someone teaches that had no roll call at all in the window. */
const silentClassesAndGroups = (assignments: TeachingView['assignments'], called: ReadonlySet<string>) => {
  const silent = new Map<string, { classOrGroupId: string; kind: 'class' | 'group'; teacherIds: string[] }>();
  for (const { teacherId, target } of assignments) {
    if (called.has(target.id)) continue;
    const entry = silent.get(target.id) ?? { classOrGroupId: target.id, kind: target.kind, teacherIds: [] };
    if (!entry.teacherIds.includes(teacherId)) entry.teacherIds.push(teacherId);
    silent.set(target.id, entry);
  }
  return [...silent.values()].sort((a, b) => (a.classOrGroupId < b.classOrGroupId ? -1 : 1));
};
