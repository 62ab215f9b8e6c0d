import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { assessmentStreamId } from '../../domain/assessment/streams';
import { attendanceStreamId } from '../../domain/attendance/streams';
import type { Clock } from '../../domain/shared/clock';
import { csvRow } from '../../domain/shared/csv';
import { studentStreamId } from '../../domain/structure/student';
import { EventStore, RecordedEvent } from '../../event-store/event-store';
import { assessmentsProjection } from '../../projections/assessment';
import { attendanceProjection } from '../../projections/attendance';
import { auditTrailProjection, studentsConcerned } from '../../projections/audit-trail';
import { enrolmentsProjection, schoolStructureProjection } from '../../projections/structure';
import { GetAttendanceCounts } from '../attendance/attendance.queries';
import { LiveProjections } from '../../projections/live-projections';
import { MAX_PAGE } from '../core/page';
import { Reads } from '../core/reads';
import { CLOCK, EVENT_STORE, PROJECTION_RUNNER } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { errorResponse } from '../errors/error-response';

/** One event held about the student, as the right of access hands it over. */
export interface HeldEvent {
  readonly position: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

export interface PersonalData {
  readonly schoolId: string;
  readonly studentId: string;
  /** Server UTC instant the document was made at. */
  readonly generatedAt: string;
  /** The student's own streams, read in full. */
  readonly ownStreams: readonly string[];
  /** Every event of their own streams and every other event that names them, in log order. */
  readonly events: readonly HeldEvent[];
  /** What the views derive from them: the attendance counts of the current school year (null when it has none). */
  readonly figures: { readonly attendanceThisYear: unknown };
  readonly notes: readonly string[];
}

/** The views the document is read through: `?minPosition=` waits for all of them. */
export const PERSONAL_DATA_VIEWS = [
  auditTrailProjection.name,
  assessmentsProjection.name,
  schoolStructureProjection.name,
  attendanceProjection.name,
  enrolmentsProjection.name,
];

const NOTES = [
  "Other events naming the student are found through the audit trail's index of students (roll calls listing them, council and report decisions about them) and in the assessments of the classes and groups they belonged to (their grades and competency levels).",
  'Other students named in the same event (a roll call listing several absentees) are left out of it.',
];

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The event's data without the other students it names: their ids and their entries in lists. */
const withoutOthers = (value: Json, others: ReadonlySet<string>): Json => {
  if (Array.isArray(value))
    return value
      .filter(
        (item) =>
          !(typeof item === 'string' && others.has(item)) &&
          !(isRecord(item) && typeof item.studentId === 'string' && others.has(item.studentId)),
      )
      .map((item) => withoutOthers(item, others));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutOthers(item, others)]));
  return value;
};

const CLASS_KEYS = ['classId', 'fromClassId', 'toClassId', 'groupId'];

/** The classes and groups an event of the student's own stream names (enrolled, moved, joined, departed). */
const classesAndGroupsIn = (data: Json): string[] => {
  if (!isRecord(data)) return [];
  const ids = CLASS_KEYS.map((key) => data[key]).filter((id): id is string => typeof id === 'string');
  const groups = Array.isArray(data.groupIds) ? data.groupIds.filter((id) => typeof id === 'string') : [];
  return [...ids, ...(groups as string[])];
};

const isTheirs = (item: Json, studentId: string): boolean =>
  item === studentId || (isRecord(item) && item.studentId === studentId);

/** An assessment event about the student: their grade or level, its correction, a change that moved it. */
const names = (data: Json, studentId: string): boolean =>
  isRecord(data) &&
  (data.studentId === studentId ||
    ['grades', 'levels', 'studentIds'].some((key) => {
      const list = data[key];
      return Array.isArray(list) && list.some((item) => isTheirs(item, studentId));
    }));

/** Positions in runs of consecutive ones, so that a roll-call week reads in a few calls, not one per event. */
const runsOf = (positions: readonly bigint[]): { first: bigint; count: number }[] => {
  const runs: { first: bigint; count: number }[] = [];
  for (const position of positions) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.first + BigInt(last.count) === position && last.count < MAX_PAGE)
      last.count++;
    else runs.push({ first: position, count: 1 });
  }
  return runs;
};

/**
 * The right of access (RGPD art. 15): everything the log holds about one student — their own streams
 * in full, and the events of other streams that name them — as one document. Of the read models,
 * all derived from these events, only the attendance counts of the year are added.
 */
@Injectable()
export class PersonalDataReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(Reads) private readonly reads: Reads,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queries: QueryBus,
  ) {}

  async read(schoolId: string, studentId: string): Promise<PersonalData> {
    const generatedAt = this.clock.now().toISOString();
    const ownStreams = [studentStreamId(schoolId, studentId), attendanceStreamId(schoolId, studentId)];
    const own = (await Promise.all(ownStreams.map((stream) => this.store.readStream(stream)))).flat();
    const ownPositions = new Set(own.map((event) => event.position));
    const named = (await this.positionsNaming(schoolId, studentId)).filter(
      (position) => !ownPositions.has(position),
    );
    const indexed = await this.eventsAt(named);
    const found = new Set([...ownPositions, ...named]);
    const graded = (await this.assessmentEventsNaming(schoolId, studentId, own)).filter(
      (event) => !found.has(event.position),
    );
    const others = [...indexed, ...graded];
    if (own.length === 0 && others.length === 0)
      throw new ApiError(404, 'STRUCTURE.STUDENT_UNKNOWN', `no student ${studentId} in school ${schoolId}`, {
        studentId,
      });
    const events = [
      ...own.map((event) => held(event)),
      ...others.map((event) => heldAbout(event, studentId)),
    ];
    events.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
    const figures = { attendanceThisYear: await this.attendanceCounts(schoolId, studentId) };
    return { schoolId, studentId, generatedAt, ownStreams, events, figures, notes: NOTES };
  }

  /** The counts view as the student's ledger shows them; a student without a current year has none. */
  private async attendanceCounts(schoolId: string, studentId: string): Promise<unknown> {
    try {
      return await this.queries.execute(new GetAttendanceCounts(schoolId, studentId, {}));
    } catch (error) {
      const { statusCode } = errorResponse(error, 'personal-data').body;
      if (statusCode === 404 || statusCode === 409 || statusCode === 400) return null;
      throw error;
    }
  }

  private async positionsNaming(schoolId: string, studentId: string): Promise<bigint[]> {
    const positions: bigint[] = [];
    let after = 0n;
    for (;;) {
      const page = await this.reads.run(
        'readAuditTrail',
        () => this.runner.tables(auditTrailProjection.name),
        { schoolId, studentId, after, limit: MAX_PAGE },
      );
      positions.push(...page.map((entry) => entry.position));
      if (page.length < MAX_PAGE) return positions;
      after = page[page.length - 1].position;
    }
  }

  /**
   * Grades and levels are recorded as lists of students, which the audit trail's index does not
   * open: they are read from the assessments of every class and group the student's own stream
   * names, in every period of the school.
   */
  private async assessmentEventsNaming(
    schoolId: string,
    studentId: string,
    own: readonly RecordedEvent[],
  ): Promise<RecordedEvent[]> {
    const classOrGroupIds = [...new Set(own.flatMap((event) => classesAndGroupsIn(event.data)))];
    if (classOrGroupIds.length === 0) return [];
    const years = await this.reads.run(
      'readSchoolYears',
      () => this.runner.tables(schoolStructureProjection.name),
      schoolId,
    );
    const periodIds = new Set(
      years.flatMap((year) => Object.values(year.periods).flatMap((periods) => periods.map((p) => p.id))),
    );
    const assessmentIds = new Set<string>();
    for (const periodId of periodIds) {
      const rows = await this.reads.run(
        'readAssessments',
        () => this.runner.tables(assessmentsProjection.name),
        schoolId,
        { classOrGroupIds, periodId },
      );
      for (const row of rows) assessmentIds.add(row.assessmentId);
    }
    const events: RecordedEvent[] = [];
    for (const assessmentId of assessmentIds) {
      const stream = await this.store.readStream(assessmentStreamId(schoolId, assessmentId));
      events.push(...stream.filter((event) => names(event.data, studentId)));
    }
    return events;
  }

  private async eventsAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    const wanted = new Set(positions);
    const events: RecordedEvent[] = [];
    for (const { first, count } of runsOf(positions)) {
      const read = await this.store.readAll({ after: first - 1n, limit: count });
      events.push(...read.filter((event) => wanted.has(event.position)));
    }
    return events;
  }
}

const held = (event: RecordedEvent, data: unknown = event.data): HeldEvent => ({
  position: event.position.toString(),
  streamId: event.streamId,
  revision: event.revision,
  type: event.type,
  data,
  metadata: event.metadata,
});

/** Lists of students an event may carry besides those the audit trail indexes: a roll call's register, a council's class, an assessment's grades. */
const STUDENT_LISTS = ['register', 'students', 'studentIds', 'grades', 'levels'];

const heldAbout = (event: RecordedEvent, studentId: string): HeldEvent => {
  const data: Json = event.data;
  const listedIds = STUDENT_LISTS.flatMap((key) => {
    const list = isRecord(data) ? data[key] : undefined;
    return Array.isArray(list)
      ? list.flatMap((item: Json) =>
          typeof item === 'string'
            ? [item]
            : isRecord(item) && typeof item.studentId === 'string'
              ? [item.studentId]
              : [],
        )
      : [];
  });
  const others = new Set(
    [...studentsConcerned(event.streamId, event.metadata?.schoolId ?? null, data), ...listedIds].filter(
      (id) => id !== studentId,
    ),
  );
  return held(event, others.size === 0 ? data : withoutOthers(data, others));
};

const CSV_HEADER = [
  'position',
  'streamId',
  'revision',
  'type',
  'recordedAt',
  'actorId',
  'actorRole',
  'reason',
  'data',
];

/** One row per event, its data as JSON in the last column: a spreadsheet opens it. */
export const personalDataCsv = (document: PersonalData): string => {
  const metadataOf = (event: HeldEvent): Record<string, unknown> =>
    isRecord(event.metadata) ? event.metadata : {};
  const rows = document.events.map((event) => {
    const metadata = metadataOf(event);
    const actor = isRecord(metadata.actor) ? metadata.actor : {};
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return csvRow([
      event.position,
      event.streamId,
      event.revision,
      event.type,
      text(metadata.recordedAt),
      text(actor.id),
      text(actor.role),
      text(metadata.reason),
      JSON.stringify(event.data),
    ]);
  });
  return `${[csvRow(CSV_HEADER), ...rows].join('\r\n')}\r\n`;
};
