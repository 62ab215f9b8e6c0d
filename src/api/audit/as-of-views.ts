import { createHash } from 'node:crypto';
import BetterSqlite3, { Database } from 'better-sqlite3';
import { Inject, Injectable } from '@nestjs/common';
import { RegistreConfig } from '../../config';
import { Clock, fixedClock } from '../../domain/shared/clock';
import { attendanceStreamId } from '../../domain/attendance/streams';
import { assessmentStreamId } from '../../domain/assessment';
import { schoolStreamId } from '../../domain/structure/school';
import { studentStreamId } from '../../domain/structure/student';
import {
  EventStore,
  readEventsAt,
  readSelected,
  RecordedEvent,
  StreamSelection,
} from '../../event-store/event-store';
import { assessmentsProjection } from '../../projections/assessment';
import { AsOfProjections, foldAsOf, FoldSnapshots } from '../../projections/as-of';
import { AsOfScope, AsOfSubject } from '../../projections/as-of-scope';
import { auditTrailProjection, classConcerned, studentsConcerned } from '../../projections/audit-trail';
import { diffViews } from '../../domain/audit/view-diff';
import { Effect, effectsOf, Figure, figureLabels } from '../../domain/audit/effects';
import {
  attendanceProjection,
  AttendanceTable,
  rollCallCompletenessProjection,
} from '../../projections/attendance';
import { IsoDate, monthOf } from '../../domain/shared/calendar';
import { EventMetadata } from '../../domain/shared/event';
import { AuthenticatedUser } from '../auth/user';
import { AlertsQuery, CountsQuery, LedgerQuery } from '../attendance/attendance-query.dto';
import { LiveProjections } from '../../projections/live-projections';
import { Projection } from '../../projections/projection';
import { ReadPool } from '../../projections/read-pool';
import { REGISTRE_PROJECTIONS } from '../../projections/registre-projections';
import { streamStatsProjection } from '../../projections/stream-stats';
import { enrolmentsProjection } from '../../projections/structure';
import { AssessmentInputs } from '../assessment/assessment-inputs';
import { AssessmentViews } from '../assessment/assessment-views';
import { AttendanceInputs } from '../attendance/attendance-inputs';
import { AttendanceViews } from '../attendance/attendance-views';
import { CouncilViews } from '../council/council-views';
import { Reads } from '../core/reads';
import { INSTANT_PATTERN } from './as-of.dto';
import { CLOCK, CONFIG, EVENT_STORE, PROJECTION_RUNNER } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { DomainError } from '../../domain/shared/domain-error';

/** The parts of a view that name where a figure comes from, or when the view was read, not figures. */
const NOT_FIGURES = [
  'asOf',
  'gradeIds',
  'assessmentIds',
  'teacherIds',
  'ledger',
  'snapshot',
  'sinceHold',
  'postCouncilCorrections',
];

/** The views a student's changed figures are shown in. */
const viewsShowing = (effects: readonly Effect[]): string[] => {
  const views = new Set<string>();
  for (const { figure } of effects) {
    if (figure.startsWith('attendance.'))
      ['ledger', 'counts', 'class attendance', 'council'].forEach((v) => views.add(v));
    if (figure.startsWith('alert.')) ['alerts', 'counts', 'council'].forEach((v) => views.add(v));
    if (figure.startsWith('average.') || figure.startsWith('general.') || figure.startsWith('positioning.'))
      ['grade book', 'grades', 'class results', 'council', 'report card'].forEach((v) => views.add(v));
  }
  return [...views].sort();
};

/**
 * The assessment an event of an assessment stream is about, and the class or group it was set to:
 * every student graded there may see a figure move.
 */
const assessmentOf = (
  event: RecordedEvent,
  schoolId: string,
): { readonly assessmentId: string; readonly place: string | null } | undefined => {
  const data = event.data as Record<string, unknown> | undefined;
  return event.streamId.startsWith(`assessment-${schoolId}-`) && typeof data?.assessmentId === 'string'
    ? { assessmentId: data.assessmentId, place: classConcerned(data) }
    : undefined;
};

/** Events applied to a kept fold between two turns of the event loop. */
const APPLY_SLICE = 250;

/** Figures are computed for at most this many students per event (a whole class's roll call voided is 35). */
const MAX_STUDENTS_PER_EFFECT = 60;

/** A student not registered yet (or no longer readable) at that point of the log has no figures. */
const notYetKnown = (error: unknown): Figure[] => {
  if (error instanceof ApiError || error instanceof DomainError) return [];
  throw error;
};

/** The months from one date's to another's, both included (YYYY-MM). */
export const monthsBetween = (from: IsoDate, to: IsoDate): string[] => {
  const months: string[] = [];
  for (let month = monthOf(from); month <= monthOf(to);) {
    months.push(month);
    const [year, m] = month.split('-').map(Number);
    month = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  }
  return months;
};

/** An event as the trail shows it, with the students it is about. */
export const trailEntryOf = (event: RecordedEvent) => {
  const metadata: Partial<EventMetadata> = event.metadata ?? {};
  const schoolId = metadata.schoolId ?? null;
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    type: event.type,
    actorId: metadata.actor?.id ?? null,
    actorRole: metadata.actor?.role ?? null,
    recordedAt: metadata.recordedAt ?? null,
    commandId: metadata.commandId ?? null,
    correlationId: metadata.correlationId ?? null,
    reason: metadata.reason ?? null,
    studentIds: studentsConcerned(event.streamId, schoolId, event.data).sort(),
  };
};

/**
 * What a past moment's views read: every read model but the log's own statistics and the roll-call
 * completeness (read by a council's readiness list only, which has no past version: what was missing
 * then is the trail's question).
 */
const AS_OF_PROJECTIONS: readonly Projection[] = REGISTRE_PROJECTIONS.filter(
  (p) => p.name !== streamStatsProjection.name && p.name !== rollCallCompletenessProjection.name,
);

/** How far a view reaches beyond the students' structure and attendance facts. */
export interface AsOfReach {
  /** The months (YYYY-MM) whose roll calls it counts; every month when absent. */
  readonly months?: readonly string[];
  /** Whether it reads grades, levels, reports and councils. */
  readonly grades: boolean;
}

/** A moment of the log: an instant (ISO 8601 with its offset) or a global position. */
export interface Moment {
  readonly at?: string;
  readonly position?: string;
}

/** Where a moment fell in the log. */
export interface ResolvedMoment {
  /** The instant asked for, normalised to UTC (null when a position was given). */
  readonly at: string | null;
  /** The last event of the school's log included. */
  readonly position: string;
}

/**
 * The views as they stood at a past moment, for the streams they read, and the views' own code to
 * read them: the live services, constructed over read models folded from the log up to that
 * moment, with a clock stopped at it.
 */
export class PastViews {
  readonly attendance: AttendanceViews;
  readonly assessment: AssessmentViews;
  readonly council: CouncilViews;
  private readonly runner: AsOfProjections;
  private readonly reads: Reads;

  constructor(
    readonly moment: ResolvedMoment,
    /** The events folded, in log order. */
    readonly events: readonly RecordedEvent[],
    private readonly db: Database,
    store: EventStore,
    config: RegistreConfig,
  ) {
    const runner = new AsOfProjections(AS_OF_PROJECTIONS);
    const reads = new Reads(ReadPool.open({ threads: 0, queue: 0, db }) as never);
    this.runner = runner;
    this.reads = reads;
    const clock: Clock = fixedClock(moment.at ?? new Date(0).toISOString());
    const school = new AttendanceInputs(db, runner, store, config);
    const inputs = new AssessmentInputs(school);
    this.attendance = new AttendanceViews(reads, runner, school, clock);
    this.assessment = new AssessmentViews(reads, inputs, runner);
    this.council = new CouncilViews(reads, inputs, runner, clock, this.attendance);
  }

  /** The log moves on by these events (after those folded): the views follow. */
  apply(events: readonly RecordedEvent[]): void {
    this.runner.apply(this.db, events);
  }

  /** `apply`, giving the event loop back between slices of events (see `foldAsOf`). */
  async applyInSlices(events: readonly RecordedEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += APPLY_SLICE) {
      this.runner.apply(this.db, events.slice(start, start + APPLY_SLICE));
      if (start + APPLY_SLICE < events.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * A student's figures as the views show them: half-days and latenesses per month and the
   * month's alerts, and for each period asked for, every subject's average and positioning and
   * the general average.
   */
  async figures(user: AuthenticatedUser, schoolId: string, studentId: string, periodIds: readonly string[]) {
    const figures: Figure[] = [];
    const attendance = this.runner.tables<AttendanceTable>(attendanceProjection.name);
    const { byMonth } = await this.reads.run('studentTotals', attendance, {
      schoolId,
      studentId,
      from: '0000-01-01',
      to: '9999-12-31',
    });
    for (const [month, totals] of Object.entries(byMonth))
      for (const name of [
        'halfDaysAbsent',
        'justifiedHalfDays',
        'unjustifiedHalfDays',
        'latenesses',
      ] as const)
        figures.push({
          studentId,
          key: `attendance.${month}.${name}`,
          label: figureLabels[name](month),
          value: totals[name],
          absentMeans: 0,
        });
    const alerts = await this.reads.run('schoolAlerts', attendance, { schoolId, studentId, status: 'all' });
    for (const alert of alerts)
      figures.push({
        studentId,
        key: `alert.${alert.month}.${alert.tier}`,
        label: figureLabels.alert(alert.month, alert.tier),
        value: alert.status,
      });
    for (const periodId of periodIds) {
      let period;
      try {
        period = await this.assessment.studentPeriod(user, schoolId, studentId, periodId);
      } catch (error) {
        if (error instanceof ApiError && error.getStatus() === 404) continue;
        throw error;
      }
      for (const subject of period.subjects) {
        figures.push({
          studentId,
          key: `average.${periodId}.${subject.subjectId}`,
          label: figureLabels.average(subject.subjectId, periodId),
          value: subject.average.value,
        });
        figures.push({
          studentId,
          key: `positioning.${periodId}.${subject.subjectId}`,
          label: figureLabels.positioning(subject.subjectId, periodId),
          value: subject.positioning.shown,
        });
      }
      figures.push({
        studentId,
        key: `general.${periodId}`,
        label: figureLabels.general(periodId),
        value: period.general.value,
      });
    }
    return figures;
  }

  /** The students graded or assessed in an assessment, as it stands in these views. */
  async assessedIn(schoolId: string, assessmentId: string): Promise<string[]> {
    const row = await this.reads.run(
      'readAssessment',
      this.runner.tables(assessmentsProjection.name),
      schoolId,
      assessmentId,
    );
    if (row === undefined) return [];
    const students = new Set(Object.keys(row.grades));
    for (const byStudent of Object.values(row.levels))
      for (const id of Object.keys(byStudent)) students.add(id);
    return [...students];
  }

  /** The folded read models, as bytes (an in-memory database's image), to be extended later. */
  serialize(): Buffer {
    return this.db.serialize();
  }

  close(): void {
    this.db.close();
  }
}

/** An instant as the log records them (`recordedAt`, UTC with milliseconds); a 400 naming `field` otherwise. */
export const recordedInstant = (value: string, field: string): string => {
  const date = INSTANT_PATTERN.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new ApiError(400, 'VALIDATION.FAILED', `${field} must be an instant such as 2026-11-27T17:00:00Z`, {
      errors: [{ field, rule: 'isInstant', message: `${field} must be an ISO 8601 instant with its offset` }],
    });
  return date.toISOString();
};

/** Trail entries whose effects are kept once computed (a few hundred bytes each). */
const EFFECTS_KEPT = 20_000;

/**
 * The auditor's question — what did this view show at that moment? — answered by the live views'
 * code over the log folded up to it. Only the streams the view reads are folded (the school's, and
 * for the students concerned — every student ever in the classes asked about — their own streams,
 * roll calls, attendance facts, assessments, reports and councils), so a class's council as it
 * stood costs a class's events, not a year's log.
 */
@Injectable()
export class AsOfViews {
  constructor(
    @Inject(Reads) private readonly reads: Reads,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: RegistreConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
  ) {}

  /** Folds kept to be extended (64 MB at most, one per 300 events of the same streams). */
  private readonly snapshots = new FoldSnapshots(64 * 1024 * 1024, 300);

  /** The council view of a class and period as it stood at a moment. */
  async councilView(
    user: AuthenticatedUser,
    schoolId: string,
    classId: string,
    periodId: string,
    moment: Moment,
  ) {
    const months = this.monthsOfPeriod(schoolId, classId, 'class', periodId);
    const asOf = await this.resolve(schoolId, moment);
    const view = await this.read(schoolId, { classIds: [classId] }, { months, grades: true }, asOf, (past) =>
      past.council.view(user, schoolId, classId, periodId),
    );
    return { asOf, ...view };
  }

  /**
   * What changed in a council view between two moments (by default, from one to now): every figure
   * with its two values, and the events recorded in between on the streams the view reads — who,
   * when, why, under which correlation id, about which students.
   */
  async councilChanges(
    user: AuthenticatedUser,
    schoolId: string,
    classId: string,
    periodId: string,
    query: { since?: string; sincePosition?: string; until?: string; untilPosition?: string },
  ) {
    if (query.since === undefined && query.sincePosition === undefined)
      throw new ApiError(400, 'VALIDATION.FAILED', 'since or sincePosition names the first moment', {
        errors: [{ field: 'since', rule: 'required', message: 'give since (an instant) or sincePosition' }],
      });
    const months = this.monthsOfPeriod(schoolId, classId, 'class', periodId);
    const from = await this.resolve(schoolId, { at: query.since, position: query.sincePosition }, 'since');
    const to = await this.resolve(schoolId, { at: query.until, position: query.untilPosition }, 'until');
    if (BigInt(from.position) > BigInt(to.position))
      throw new ApiError(400, 'VALIDATION.FAILED', 'until must not come before since', {
        errors: [{ field: 'until', rule: 'notBefore', message: 'until must not come before since' }],
      });
    const reach = { months, grades: true };
    const subject = { classIds: [classId] };
    const before = await this.read(schoolId, subject, reach, from, (past) =>
      past.council.view(user, schoolId, classId, periodId),
    );
    return this.read(schoolId, subject, reach, to, async (past) => {
      const after = await past.council.view(user, schoolId, classId, periodId);
      return {
        schoolId,
        classId,
        periodId,
        since: from,
        until: to,
        figures: diffViews(before, after, NOT_FIGURES),
        events: past.events.filter((e) => e.position > BigInt(from.position)).map(trailEntryOf),
      };
    });
  }

  /**
   * What each event of a trail page changed, in figures: for the students it is about (only
   * `studentId` when given), their figures just before it and just after it, by the views' own
   * code over the log folded up to each. Keyed by the event's position.
   *
   * An event's effects never change once computed —
   * the log before and after it is fixed, and so are the settings then in force — so they are kept
   * (EFFECTS_KEPT entries, the oldest dropped first) for the same question: the same event, the
   * same student asked about or none, the same role and reach. A page read again, or the next page
   * of a trail read before, costs only the entries not yet computed.
   */
  async effects(
    user: AuthenticatedUser,
    schoolId: string,
    entries: readonly { readonly position: bigint; readonly streamId: string }[],
    studentId?: string,
  ): Promise<Map<string, Effect[]>> {
    const reach = `${user.role}|${user.classes.join(',')}|${user.subjects.join(',')}|${schoolId}|${studentId ?? ''}`;
    const keyOf = (position: bigint | string) => `${reach}|${position.toString()}`;
    const found = new Map<string, Effect[]>();
    const missing = entries.filter((entry) => {
      const kept = this.keptEffects.get(keyOf(entry.position));
      if (kept !== undefined) found.set(entry.position.toString(), kept);
      return kept === undefined;
    });
    const computed = await this.computeEffects(user, schoolId, missing, studentId);
    for (const [position, effects] of computed) {
      found.set(position, effects);
      this.keptEffects.set(keyOf(position), effects);
    }
    for (const key of this.keptEffects.keys()) {
      if (this.keptEffects.size <= EFFECTS_KEPT) break;
      this.keptEffects.delete(key);
    }
    return found;
  }

  private readonly keptEffects = new Map<string, Effect[]>();

  private async computeEffects(
    user: AuthenticatedUser,
    schoolId: string,
    entries: readonly { readonly position: bigint; readonly streamId: string }[],
    studentId?: string,
  ): Promise<Map<string, Effect[]>> {
    const found = new Map<string, Effect[]>();
    if (entries.length === 0) return found;
    const page = new Map((await readEventsAt(this.store, entries)).map((e) => [e.position, e]));
    const positions = entries.map((e) => e.position);
    const about = new Map<
      bigint,
      { students: Set<string>; periods: string[]; assessmentId: string | null }
    >();
    const students = new Set<string>();
    const classIds = new Set<string>();
    // A setting changed (a convention, a threshold, points per level) moves every student's figures:
    // its effects are computed for the school's students (MAX_STUDENTS_PER_EFFECT of them) and periods.
    const isSetting = (e: RecordedEvent) =>
      e.streamId === schoolStreamId(schoolId) && e.type === 'SettingChanged';
    const settingChanged = [...page.values()].some(isSetting);
    const everyone =
      settingChanged && studentId === undefined
        ? await this.reads.run(
            'readStudentIds',
            () => this.runner.tables(enrolmentsProjection.name),
            schoolId,
          )
        : [];
    // A change of enrolment (a move, a departure) moves which grades count where: every period too.
    const isEnrolment = (e: RecordedEvent) => e.streamId.startsWith(`student-${schoolId}-`);
    const everyPeriod =
      settingChanged || [...page.values()].some(isEnrolment)
        ? [
            ...new Set(
              this.inputs.school
                .schoolYears(schoolId)
                .flatMap((y) =>
                  Object.values(y.periods).flatMap((periods) => (periods ?? []).map((p) => p.id)),
                ),
            ),
          ].sort()
        : [];
    for (const [position, event] of page) {
      const data = (event.data ?? {}) as Record<string, unknown>;
      const concerned = new Set(
        studentId !== undefined
          ? [studentId]
          : isSetting(event)
            ? everyone
            : studentsConcerned(event.streamId, schoolId, data),
      );
      const assessment = assessmentOf(event, schoolId);
      const assessmentId = assessment?.assessmentId ?? null;
      if (assessment?.place != null && studentId === undefined) classIds.add(assessment.place);
      for (const id of concerned) students.add(id);
      about.set(position, {
        students: concerned,
        periods:
          isSetting(event) || isEnrolment(event)
            ? everyPeriod
            : typeof data.periodId === 'string'
              ? [data.periodId]
              : [],
        assessmentId,
      });
    }
    const first = positions.reduce((a, b) => (a < b ? a : b));
    const last = positions.reduce((a, b) => (a > b ? a : b));
    const selection = await this.selection(
      schoolId,
      { studentIds: [...students], classIds: [...classIds] },
      { grades: true },
    );
    const events = await readSelected(this.store, selection, last);
    const folded = new Set(events.map((e) => e.position));
    const timeline = [...events, ...[...page.values()].filter((e) => !folded.has(e.position))].sort((a, b) =>
      a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
    );
    const start = timeline.findIndex((e) => e.position >= first);
    const past = new PastViews(
      { at: this.clock.now().toISOString(), position: last.toString() },
      timeline,
      await foldAsOf(timeline.slice(0, start), AS_OF_PROJECTIONS),
      this.store,
      this.config,
    );
    try {
      let pending: RecordedEvent[] = [];
      for (const event of timeline.slice(start)) {
        const subject = about.get(event.position);
        if (subject === undefined) {
          pending.push(event);
          continue;
        }
        past.apply(pending);
        pending = [];
        const concerned = new Set(subject.students);
        if (subject.assessmentId !== null && studentId === undefined)
          for (const id of await past.assessedIn(schoolId, subject.assessmentId)) concerned.add(id);
        const figuresOf = async () =>
          (
            await Promise.all(
              [...concerned]
                .sort()
                .slice(0, MAX_STUDENTS_PER_EFFECT)
                .map((id) => past.figures(user, schoolId, id, subject.periods).catch(notYetKnown)),
            )
          ).flat();
        const before = await figuresOf();
        past.apply([event]);
        if (subject.assessmentId !== null && studentId === undefined)
          for (const id of await past.assessedIn(schoolId, subject.assessmentId)) concerned.add(id);
        const after = await figuresOf();
        found.set(event.position.toString(), effectsOf(before, after));
      }
    } finally {
      past.close();
    }
    return found;
  }

  /**
   * What `events` change, all together, in the figures of the students they are about, when they
   * follow the log as it stands at `head`: each student's figures before and after them, with the
   * views those figures are shown in. A campaign's dry run gives it its would-be events; its commit,
   * the events it appended after `head` — the same computation, so both list the same figures.
   */
  async changesBy(user: AuthenticatedUser, schoolId: string, head: bigint, events: readonly RecordedEvent[]) {
    const students = new Set<string>();
    const classIds = new Set<string>();
    const periods = new Set<string>();
    const assessments = new Set<string>();
    for (const event of events) {
      const data = (event.data ?? {}) as Record<string, unknown>;
      for (const id of studentsConcerned(event.streamId, schoolId, data)) students.add(id);
      if (typeof data.periodId === 'string') periods.add(data.periodId);
      const assessment = assessmentOf(event, schoolId);
      if (assessment !== undefined) {
        assessments.add(assessment.assessmentId);
        if (assessment.place !== null) classIds.add(assessment.place);
      }
    }
    const selection = await this.selection(
      schoolId,
      { studentIds: [...students], classIds: [...classIds] },
      { grades: true },
    );
    const folded = await readSelected(this.store, selection, head);
    const past = new PastViews(
      { at: this.clock.now().toISOString(), position: head.toString() },
      folded,
      await foldAsOf(folded, AS_OF_PROJECTIONS),
      this.store,
      this.config,
    );
    try {
      const concerned = async () => {
        const ids = new Set(students);
        for (const assessmentId of assessments)
          for (const id of await past.assessedIn(schoolId, assessmentId)) ids.add(id);
        return [...ids].sort();
      };
      const figuresOf = async (ids: readonly string[]) =>
        (
          await Promise.all(
            ids.map((id) => past.figures(user, schoolId, id, [...periods].sort()).catch(notYetKnown)),
          )
        ).flat();
      const before = await figuresOf(await concerned());
      past.apply(events);
      const after = await figuresOf(await concerned());
      const effects = effectsOf(before, after);
      const byStudent = new Map<string, Effect[]>();
      for (const effect of effects)
        byStudent.set(effect.studentId, [...(byStudent.get(effect.studentId) ?? []), effect]);
      return [...byStudent].map(([studentId, figures]) => ({
        studentId,
        views: viewsShowing(figures),
        figures,
      }));
    } finally {
      past.close();
    }
  }

  /** A student's ledger as it stood at a moment. */
  async ledger(schoolId: string, studentId: string, query: LedgerQuery & Moment) {
    const { at, position, ...ledger } = query;
    const asOf = await this.resolve(schoolId, { at, position });
    const view = await this.read(
      schoolId,
      { studentIds: [studentId] },
      this.attendanceReach(query),
      asOf,
      (past) => past.attendance.ledger(schoolId, studentId, ledger),
    );
    return { asOf, ...view };
  }

  /** A student's half-day counts and alerts as they stood at a moment. */
  async counts(schoolId: string, studentId: string, query: CountsQuery & Moment) {
    const { at, position, ...counts } = query;
    const asOf = await this.resolve(schoolId, { at, position });
    const view = await this.read(
      schoolId,
      { studentIds: [studentId] },
      this.attendanceReach(query),
      asOf,
      (past) => past.attendance.counts(schoolId, studentId, counts),
    );
    return { asOf, ...view };
  }

  /** A grade book as it stood at a moment. */
  async gradeBook(
    user: AuthenticatedUser,
    schoolId: string,
    classOrGroupId: string,
    subjectId: string,
    periodId: string,
    moment: Moment,
  ) {
    const place = this.inputs.place(schoolId, classOrGroupId);
    const subject = place.kind === 'class' ? { classIds: [classOrGroupId] } : { groupIds: [classOrGroupId] };
    const asOf = await this.resolve(schoolId, moment);
    const view = await this.read(schoolId, subject, { months: [], grades: true }, asOf, (past) =>
      past.assessment.gradeBook(user, schoolId, classOrGroupId, subjectId, periodId),
    );
    return { asOf, ...view };
  }

  /**
   * One page of the school's alerts as they stood at a moment: of one month (every student's roll
   * calls of that month are folded) or of one student.
   */
  async alerts(schoolId: string, query: AlertsQuery & Moment) {
    const { at, position, ...alerts } = query;
    if (alerts.month === undefined && alerts.studentId === undefined)
      throw new ApiError(
        400,
        'VALIDATION.FAILED',
        'the alerts as they stood are asked for one month or one student',
        {
          errors: [
            { field: 'month', rule: 'required', message: 'give month (or studentId) with at or position' },
          ],
        },
      );
    const asOf = await this.resolve(schoolId, { at, position });
    const subject =
      alerts.studentId !== undefined ? { studentIds: [alerts.studentId] } : { wholeSchool: true };
    const reach = { grades: false, ...(alerts.month !== undefined ? { months: [alerts.month] } : {}) };
    const view = await this.read(schoolId, subject, reach, asOf, (past) =>
      past.attendance.alerts(schoolId, alerts),
    );
    return { asOf, ...view };
  }

  private attendanceReach(query: { from?: string; to?: string; month?: string }): AsOfReach {
    if (query.month !== undefined) return { grades: false, months: [query.month] };
    if (query.from !== undefined && query.to !== undefined)
      return { grades: false, months: monthsBetween(query.from, query.to) };
    return { grades: false };
  }

  /** The months of a period (404 for a class or period the school does not have now). */
  private monthsOfPeriod(schoolId: string, classId: string, kind: 'class', periodId: string): string[] {
    const period = this.inputs.period(this.inputs.place(schoolId, classId, kind), periodId);
    return monthsBetween(period.start, period.end);
  }

  /** The position of the school's log at a moment; an instant still to come is refused. */
  async resolve(schoolId: string, moment: Moment, field = 'at'): Promise<ResolvedMoment> {
    if (moment.position !== undefined) {
      const head = await this.store.headPosition();
      const position = BigInt(moment.position);
      return { at: null, position: (position > head ? head : position).toString() };
    }
    if (moment.at === undefined)
      return { at: this.clock.now().toISOString(), position: (await this.store.headPosition()).toString() };
    const at = recordedInstant(moment.at, field);
    // Everything recorded up to `at` is in the log by now: the trail must hold all of it to say where `at` fell.
    await this.caughtUp(auditTrailProjection.name, await this.store.headPosition());
    if (at > this.clock.now().toISOString())
      throw new ApiError(400, 'VALIDATION.FAILED', `${field} ${moment.at} is still to come`, {
        errors: [{ field, rule: 'isPast', message: `${field} must not be after the current instant` }],
      });
    const position = await this.reads.run(
      'positionAt',
      () => this.runner.tables(auditTrailProjection.name),
      schoolId,
      at,
    );
    return { at, position };
  }

  /** Waits for a live read model to include `position`; a 503 when it cannot, rather than a wrong answer. */
  private async caughtUp(name: string, position: bigint): Promise<void> {
    if (await this.runner.waitFor(name, position, this.config.waitMs)) return;
    throw new ApiError(
      503,
      'PROJECTION.NOT_CAUGHT_UP',
      `the ${name} read model is behind the log; retry shortly`,
      { projection: name, position: position.toString() },
      { 'Retry-After': '1' },
    );
  }

  /** The streams a view about `subject` reads, as the live read models name them. */
  async selection(schoolId: string, subject: AsOfSubject, reach: AsOfReach): Promise<StreamSelection> {
    // Who was in which class, and what was assessed where, up to the head: the live scope holds the past one.
    const head = await this.store.headPosition();
    await this.caughtUp(enrolmentsProjection.name, head);
    await this.caughtUp(assessmentsProjection.name, head);
    const scope: AsOfScope = await this.reads.run(
      'readAsOfScope',
      () => ({
        ...this.runner.tables(enrolmentsProjection.name),
        ...this.runner.tables(assessmentsProjection.name),
      }),
      schoolId,
      subject,
    );
    return {
      prefixes: [
        ...scope.classOrGroupIds.flatMap((id) =>
          reach.months === undefined
            ? [`rollcall-${schoolId}-${id}-`]
            : reach.months.map((month) => `rollcall-${schoolId}-${id}-${month}-`),
        ),
        ...(reach.grades
          ? scope.classOrGroupIds.flatMap((id) => [`report-${schoolId}-${id}-`, `council-${schoolId}-${id}-`])
          : []),
      ],
      streams: [
        schoolStreamId(schoolId),
        ...scope.studentIds.map((id) => studentStreamId(schoolId, id)),
        ...scope.studentIds.map((id) => attendanceStreamId(schoolId, id)),
        ...(reach.grades ? scope.assessmentIds.map((id) => assessmentStreamId(schoolId, id)) : []),
      ],
    };
  }

  /** The views about `subject` as they stood at `moment`; close them when done. */
  async at(
    schoolId: string,
    subject: AsOfSubject,
    reach: AsOfReach,
    moment: ResolvedMoment,
  ): Promise<PastViews> {
    const selection = await this.selection(schoolId, subject, reach);
    const upTo = BigInt(moment.position);
    const events = await readSelected(this.store, selection, upTo);
    const key = createHash('sha256').update(JSON.stringify(selection)).digest('base64url');
    const nearest = this.snapshots.nearest(key, upTo);
    if (nearest !== undefined) {
      // The same streams folded up to an earlier position: extended by the events since.
      const since = events.filter((e) => e.position > nearest.position);
      const past = new PastViews(moment, events, new BetterSqlite3(nearest.bytes), this.store, this.config);
      await past.applyInSlices(since);
      this.snapshots.offer(key, upTo, since.length, () => past.serialize());
      return past;
    }
    // The trail of a past view is read for what was recorded after a council was held (its
    // post-council corrections): the events before the first hold need no trail rows.
    const firstHold = events.find((e) => e.type === 'CouncilHeld')?.position;
    const trailAfter = firstHold === undefined ? upTo : firstHold - 1n;
    const past = new PastViews(
      moment,
      events,
      await foldAsOf(events, AS_OF_PROJECTIONS, { [auditTrailProjection.name]: trailAfter }),
      this.store,
      this.config,
    );
    this.snapshots.offer(key, upTo, undefined, () => past.serialize());
    return past;
  }

  /** Runs `read` on the views as they stood, and lets go of them. */
  async read<T>(
    schoolId: string,
    subject: AsOfSubject,
    reach: AsOfReach,
    moment: ResolvedMoment,
    read: (views: PastViews) => Promise<T>,
  ): Promise<T> {
    const views = await this.at(schoolId, subject, reach, moment);
    try {
      return await read(views);
    } finally {
      views.close();
    }
  }
}
