import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { RegistreConfig } from '../../config';
import {
  AttendanceContext,
  ClosedSpan,
  GroupKind,
  JustificationContext,
  ReasonDefinition,
  SchoolCalendar,
  SchoolYear,
  TimetableSlot,
  schoolYearAround,
} from '../../domain/attendance';
import { todayInParis } from '../../domain/shared/clock';
import { DomainError } from '../../domain/shared/domain-error';
import { SchoolSettings } from '../../domain/settings/settings';
import { EventStore } from '../../event-store/event-store';
import { closedPeriodsProjection, readClosedPeriods } from '../../projections/closed-periods';
import { LiveProjections } from '../../projections/live-projections';
import {
  EnrolmentHistory,
  enrolmentsProjection,
  hasClassOrGroup,
  readClasses,
  readEnrolmentHistory,
  readGroups,
  readSchoolCalendar,
  readSchoolYearRanges,
  readSchoolYears,
  readSettingsOn,
  readMembershipSpans,
  readStudentsOfClassOn,
  readStudentsOfGroupOn,
  readTeaching,
  schoolSettingsProjection,
  schoolStructureProjection,
  SchoolYearView,
  TeachingView,
} from '../../projections/structure';
import { CONFIG, EVENT_STORE, PROJECTION_RUNNER, READ_DB } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { addDays, IsoDate } from '../../domain/shared/calendar';

/**
 * The views whose answers the commands keep: a change to any empties the cache, and a refusal while
 * any lags behind the log is decided again once they caught up. The closed periods are among them: a
 * council held or reopened changes what a grade or roll call may do.
 */
const STRUCTURE_VIEWS = [
  schoolStructureProjection.name,
  enrolmentsProjection.name,
  schoolSettingsProjection.name,
  closedPeriodsProjection.name,
];

export const timetableOf = (settings: SchoolSettings) => ({
  slots: settings.slots.map(({ code, start, end }): TimetableSlot => ({ code, start, end })),
  halfDayBoundary: settings.halfDayBoundary,
});

export const reasonsOf = (settings: SchoolSettings): ReasonDefinition[] =>
  settings.reasons.map(({ code, label, legitimate, countsAsAbsence, schoolResponsibility }) => ({
    code,
    label,
    legitimate,
    countsAsAbsence,
    schoolResponsibility,
  }));

export const classOn = (history: EnrolmentHistory, date: IsoDate): string | undefined =>
  history.classes.find((c) => c.from <= date && (c.until === null || c.until > date))?.classId;

/** Beyond this many answers kept, the cache starts again empty: a bound, not a policy. */
const STRUCTURE_CACHE_CAPACITY = 20_000;

/**
 * What the structure views answered, kept while they stay as they were: `changes` is the runner's
 * count of writes to them, so a class opened, a student enrolled or a setting changed empties it.
 */
class StructureAnswers {
  private changes = -1;
  private readonly answers = new Map<string, unknown>();

  constructor(private readonly changesNow: () => number) {}

  get<T>(key: string, read: () => T): T {
    const changes = this.changesNow();
    if (changes !== this.changes || this.answers.size >= STRUCTURE_CACHE_CAPACITY) {
      this.answers.clear();
      this.changes = changes;
    }
    if (this.answers.has(key)) return this.answers.get(key) as T;
    const answer = read();
    this.answers.set(key, answer);
    return answer;
  }
}

const isRefusal = (error: unknown): boolean =>
  error instanceof DomainError || (error instanceof ApiError && [400, 404, 409].includes(error.getStatus()));

/**
 * What attendance decisions need from the school-structure read models: timetable, settings and
 * school year in force on a date, who is enrolled where. Decisions stay pure; this is their input.
 * These few indexed, cached lookups stay on the thread taking commands, on READ_DB: sent to the
 * read threads, a roll call would queue behind the slow views it must never wait for.
 */
@Injectable()
export class AttendanceInputs {
  private readonly cached: StructureAnswers;

  constructor(
    @Inject(READ_DB) private readonly db: Database,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: RegistreConfig,
  ) {
    // Every command of the morning reads the same few rows: they are read again only once a structure view moved.
    this.cached = new StructureAnswers(() => this.structureChanges());
  }

  private structureChanges(): number {
    return STRUCTURE_VIEWS.reduce((sum, name) => sum + this.runner.changesOf(name), 0);
  }

  /**
   * Runs `attempt`; when it is refused while the structure views still lag behind the log (a class
   * opened or a student enrolled a moment ago), waits for them and runs it once more. The usual
   * path — accepted at once — never waits, which keeps the morning roll-call peak fast.
   */
  async withFreshInputs<T>(attempt: () => Promise<T>): Promise<T> {
    const changesBefore = this.structureChanges();
    try {
      return await attempt();
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const head = await this.store.headPosition();
      if (!(await this.structureViewsAt(head, this.config.waitMs))) throw error;
      // The views are at the head now. If they did not move since the attempt began, it was decided
      // on what they say now: the refusal stands. If they moved, it is decided again.
      if (this.structureChanges() === changesBefore) throw error;
      return attempt();
    }
  }

  /**
   * A structure answer another area's commands need, kept like these until a structure view moves:
   * `key` must name everything the answer depends on.
   */
  remember<T>(
    key: string,
    read: (db: Database, tables: (name: string) => Readonly<Record<string, string>>) => T,
  ): T {
    return this.cached.get(key, () => read(this.db, (name) => this.runner.tables(name)));
  }

  settingsOn(schoolId: string, date: IsoDate): SchoolSettings {
    return this.cached.get(
      `settings\0${schoolId}\0${date}`,
      () =>
        readSettingsOn(this.db, this.runner.tables(schoolSettingsProjection.name), schoolId, date).settings,
    );
  }

  /**
   * The school's week pattern and closures over all its dates: a few dozen rows, read again only
   * once a structure view moved, so that the morning's roll calls share one answer.
   */
  calendarOf(schoolId: string): SchoolCalendar {
    return this.cached.get(`calendar\0${schoolId}`, () =>
      readSchoolCalendar(this.db, this.runner.tables(schoolSettingsProjection.name), schoolId),
    );
  }

  /**
   * Who teaches which class or group, for the completeness view: the same answer for every view of
   * the morning, read again only once a structure view moved.
   */
  teaching(schoolId: string): TeachingView {
    return this.cached.get(`teaching\0${schoolId}`, () =>
      readTeaching(this.db, this.runner.tables(schoolStructureProjection.name), schoolId),
    );
  }

  /**
   * The ids of the class's periods whose council is held and not reopened since (DOMAIN.md, "Class
   * council"): empty until a council is held.
   */
  closedPeriodsOf(schoolId: string, classId: string): ReadonlySet<string> {
    return this.cached.get(
      `closed-periods\0${schoolId}\0${classId}`,
      () =>
        new Set(
          readClosedPeriods(this.db, this.runner.tables(closedPeriodsProjection.name), schoolId, classId).map(
            (p) => p.periodId,
          ),
        ),
    );
  }

  /**
   * The days of the class's closed periods (its scheme's periods whose council is held), for the
   * attendance decisions to place a date against.
   */
  closedSpansOfClass(schoolId: string, classId: string): ClosedSpan[] {
    const closed = this.closedPeriodsOf(schoolId, classId);
    if (closed.size === 0) return [];
    return this.cached.get(`closed-spans\0${schoolId}\0${classId}`, () => {
      const t = this.runner.tables(schoolStructureProjection.name);
      const own = readClasses(this.db, t, schoolId).find((c) => c.classId === classId);
      if (own === undefined) return [];
      const year = readSchoolYears(this.db, t, schoolId).find((y) => y.schoolYear === own.schoolYear);
      return (year?.periods[own.periodScheme] ?? [])
        .filter((p) => closed.has(p.id))
        .map((p): ClosedSpan => ({ periodId: p.id, from: p.start, to: p.end }));
    });
  }

  /**
   * The closed days of a lesson's class; for a group, of each class its students come from: a group's
   * roll call counts in each of their absences, which their councils saw.
   */
  closedSpansOf(schoolId: string, kind: GroupKind, classOrGroupId: string): ClosedSpan[] {
    if (kind === 'class') return this.closedSpansOfClass(schoolId, classOrGroupId);
    const classIds = this.cached.get(
      `group-classes\0${schoolId}\0${classOrGroupId}`,
      () =>
        readGroups(this.db, this.runner.tables(schoolStructureProjection.name), schoolId).find(
          (g) => g.groupId === classOrGroupId,
        )?.classIds ?? [],
    );
    return classIds.flatMap((classId) => this.closedSpansOfClass(schoolId, classId));
  }

  /**
   * The closed days of a student's absences: for each class they were in, the days of its closed
   * periods while they were in it, and the whole of a closed period whose last day they spent in it
   * (its council saw their whole period).
   */
  closedSpansOfStudent(schoolId: string, history: EnrolmentHistory): ClosedSpan[] {
    return history.classes.flatMap(({ classId, from, until }) =>
      this.closedSpansOfClass(schoolId, classId).flatMap((span): ClosedSpan[] => {
        const inClassOnLastDay = from <= span.to && (until === null || until > span.to);
        if (inClassOnLastDay) return [span];
        const start = from > span.from ? from : span.from;
        // `until` is the first day out of the class.
        const end = until !== null && until <= span.to ? addDays(until, -1) : span.to;
        return start <= end ? [{ periodId: span.periodId, from: start, to: end }] : [];
      }),
    );
  }

  schoolYears(schoolId: string): SchoolYearView[] {
    return readSchoolYears(this.db, this.runner.tables(schoolStructureProjection.name), schoolId);
  }

  /** The school year a decision compares `date` with (see `schoolYearAround`). */
  schoolYearFor(schoolId: string, date: IsoDate): SchoolYear {
    const years = this.cached.get(`years\0${schoolId}`, () =>
      readSchoolYearRanges(this.db, this.runner.tables(schoolStructureProjection.name), schoolId),
    );
    return schoolYearAround(schoolId, years, date);
  }

  kindOf(schoolId: string, classOrGroupId: string): GroupKind | undefined {
    if (this.has(schoolId, 'class', classOrGroupId)) return 'class';
    if (this.has(schoolId, 'group', classOrGroupId)) return 'group';
    return undefined;
  }

  /** 404 for a class or group the school does not have (or not of the kind the client named). */
  requireClassOrGroup(schoolId: string, classOrGroupId: string, expected?: GroupKind): GroupKind {
    // kindOf looks for a class first: when a class is expected, that first look settles it.
    const kind =
      expected === 'class'
        ? this.has(schoolId, 'class', classOrGroupId)
          ? 'class'
          : undefined
        : this.kindOf(schoolId, classOrGroupId);
    if (kind === undefined || (expected !== undefined && kind !== expected)) {
      const named = expected ?? 'class';
      throw new ApiError(
        404,
        named === 'class' ? 'STRUCTURE.CLASS_UNKNOWN' : 'STRUCTURE.GROUP_UNKNOWN',
        `no ${expected ?? 'class or group'} ${classOrGroupId} in school ${schoolId}`,
        { field: expected === 'group' ? 'groupId' : 'classId', classOrGroupId },
      );
    }
    return kind;
  }

  studentsOn(schoolId: string, kind: GroupKind, classOrGroupId: string, date: IsoDate): string[] {
    const read = kind === 'class' ? readStudentsOfClassOn : readStudentsOfGroupOn;
    return read(this.db, this.runner.tables(enrolmentsProjection.name), schoolId, classOrGroupId, date).map(
      (s) => s.studentId,
    );
  }

  /** The ids of the students enrolled on `date`, for a decision to check a list against. */
  enrolledOn(schoolId: string, kind: GroupKind, classOrGroupId: string, date: IsoDate): ReadonlySet<string> {
    // Every roll call of a morning asks for another class or date: the class's memberships are read
    // once, and each date's list is taken from them.
    const spans = this.cached.get(`memberships\0${schoolId}\0${kind}\0${classOrGroupId}`, () =>
      readMembershipSpans(
        this.db,
        this.runner.tables(enrolmentsProjection.name),
        schoolId,
        kind,
        classOrGroupId,
      ),
    );
    return this.cached.get(
      `enrolled\0${schoolId}\0${kind}\0${classOrGroupId}\0${date}`,
      () =>
        new Set(
          spans
            .filter((span) => span.from <= date && (span.until === null || span.until > date))
            .map((span) => span.studentId),
        ),
    );
  }

  /** 404 for a student the school never registered. */
  requireStudent(schoolId: string, studentId: string): EnrolmentHistory {
    const history = readEnrolmentHistory(
      this.db,
      this.runner.tables(enrolmentsProjection.name),
      schoolId,
      studentId,
    );
    if (!history)
      throw new ApiError(404, 'STRUCTURE.STUDENT_UNKNOWN', `no student ${studentId} in school ${schoolId}`, {
        field: 'studentId',
        studentId,
      });
    return history;
  }

  /** Timetable, calendar, school year and limits for a fact recorded outside a roll call, starting on `date`. */
  attendanceContext(schoolId: string, date: IsoDate, now: Date): AttendanceContext {
    const settings = this.settingsOn(schoolId, date);
    return {
      ...timetableOf(settings),
      calendar: this.calendarOf(schoolId),
      schoolYear: this.schoolYearFor(schoolId, date),
      today: todayInParis(now),
      maxDaysAhead: settings.announcedAbsenceDaysAhead,
    };
  }

  justificationContext(schoolId: string, date: IsoDate, now: Date): JustificationContext {
    return {
      schoolYear: this.schoolYearFor(schoolId, date),
      reasons: reasonsOf(this.settingsOn(schoolId, todayInParis(now))),
    };
  }

  private has(schoolId: string, kind: GroupKind, classOrGroupId: string): boolean {
    return this.cached.get(`${kind}\0${schoolId}\0${classOrGroupId}`, () =>
      hasClassOrGroup(
        this.db,
        this.runner.tables(schoolStructureProjection.name),
        schoolId,
        kind,
        classOrGroupId,
      ),
    );
  }

  private async structureViewsAt(position: bigint, timeoutMs: number): Promise<boolean> {
    const reached = await Promise.all(
      STRUCTURE_VIEWS.map((name) => this.runner.waitFor(name, position, timeoutMs)),
    );
    return reached.every(Boolean);
  }
}
