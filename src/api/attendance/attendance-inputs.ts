import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { RegistreConfig } from '../../config';
import {
  AttendanceContext,
  GroupKind,
  IsoDate,
  JustificationContext,
  ReasonDefinition,
  SchoolYear,
  TimetableSlot,
  parisWallClock,
} from '../../domain/attendance';
import { DomainError } from '../../domain/shared/domain-error';
import { SchoolSettings } from '../../domain/settings/settings';
import { EventStore } from '../../event-store/event-store';
import { ProjectionRunner } from '../../projections/projection-runner';
import {
  EnrolmentHistory,
  enrolmentsProjection,
  hasClassOrGroup,
  readEnrolmentHistory,
  readSchoolYears,
  readSettingsOn,
  readStudentsOfClassOn,
  readStudentsOfGroupOn,
  schoolSettingsProjection,
  schoolStructureProjection,
  SchoolYearView,
} from '../../projections/structure';
import { CONFIG, EVENT_STORE, PROJECTION_RUNNER, READ_DB } from '../core/tokens';
import { ApiError } from '../errors/api-error';

/** A roll call says who was there: it is never taken for a later day. */
export const ROLL_CALL_DAYS_AHEAD = 0;
/** How far ahead the CPE may record an absence the family announced, or a school outing. */
export const ANNOUNCED_DAYS_AHEAD = 90;

const STRUCTURE_VIEWS = [
  schoolStructureProjection.name,
  enrolmentsProjection.name,
  schoolSettingsProjection.name,
];

/** The Europe/Paris date of the server's instant: the business "today" of a decision. */
export const todayOf = (now: Date): IsoDate => parisWallClock(now).date;

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

const isRefusal = (error: unknown): boolean =>
  error instanceof DomainError || (error instanceof ApiError && [400, 404, 409].includes(error.getStatus()));

/**
 * What attendance decisions need from the school-structure read models: timetable, settings and
 * school year in force on a date, who is enrolled where. Decisions stay pure; this is their input.
 */
@Injectable()
export class AttendanceInputs {
  constructor(
    @Inject(READ_DB) private readonly db: Database,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: RegistreConfig,
  ) {}

  /**
   * Runs `attempt`; when it is refused while the structure views still lag behind the log (a class
   * opened or a student enrolled a moment ago), waits for them and runs it once more. The usual
   * path — accepted at once — never waits, which keeps the morning roll-call peak fast.
   */
  async withFreshInputs<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const head = await this.store.headPosition();
      if (await this.structureViewsAt(head, 0)) throw error;
      if (!(await this.structureViewsAt(head, this.config.waitMs))) throw error;
      return attempt();
    }
  }

  settingsOn(schoolId: string, date: IsoDate): SchoolSettings {
    return readSettingsOn(this.db, this.runner.tables(schoolSettingsProjection.name), schoolId, date)
      .settings;
  }

  schoolYears(schoolId: string): SchoolYearView[] {
    return readSchoolYears(this.db, this.runner.tables(schoolStructureProjection.name), schoolId);
  }

  /**
   * The school year a date falls in; otherwise the nearest one, so that the decision refuses the date
   * and says which year it compared it with.
   */
  schoolYearFor(schoolId: string, date: IsoDate): SchoolYear {
    const years = this.schoolYears(schoolId);
    if (years.length === 0)
      throw new ApiError(
        409,
        'STRUCTURE.SCHOOL_YEAR_UNDEFINED',
        `school ${schoolId} has no school year yet; define it first`,
        { field: 'date' },
      );
    const year =
      years.find((y) => y.start <= date && date <= y.end) ??
      [...years].reverse().find((y) => y.start <= date) ??
      years[0];
    return { start: year.start, end: year.end };
  }

  kindOf(schoolId: string, classOrGroupId: string): GroupKind | undefined {
    const tables = this.runner.tables(schoolStructureProjection.name);
    if (hasClassOrGroup(this.db, tables, schoolId, 'class', classOrGroupId)) return 'class';
    if (hasClassOrGroup(this.db, tables, schoolId, 'group', classOrGroupId)) return 'group';
    return undefined;
  }

  /** 404 for a class or group the school does not have (or not of the kind the client named). */
  requireClassOrGroup(schoolId: string, classOrGroupId: string, expected?: GroupKind): GroupKind {
    const kind = this.kindOf(schoolId, classOrGroupId);
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

  /** Timetable, school year and limits for a fact recorded outside a roll call, starting on `date`. */
  attendanceContext(schoolId: string, date: IsoDate, now: Date): AttendanceContext {
    return {
      ...timetableOf(this.settingsOn(schoolId, date)),
      schoolYear: this.schoolYearFor(schoolId, date),
      today: todayOf(now),
      maxDaysAhead: ANNOUNCED_DAYS_AHEAD,
    };
  }

  justificationContext(schoolId: string, date: IsoDate, now: Date): JustificationContext {
    return {
      schoolYear: this.schoolYearFor(schoolId, date),
      reasons: reasonsOf(this.settingsOn(schoolId, todayOf(now))),
    };
  }

  private async structureViewsAt(position: bigint, timeoutMs: number): Promise<boolean> {
    const reached = await Promise.all(
      STRUCTURE_VIEWS.map((name) => this.runner.waitFor(name, position, timeoutMs)),
    );
    return reached.every(Boolean);
  }
}
