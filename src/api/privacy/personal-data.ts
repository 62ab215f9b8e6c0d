import { Inject, Injectable } from '@nestjs/common';
import { attendanceStreamId } from '../../domain/attendance/streams';
import type { Clock } from '../../domain/shared/clock';
import { csvRow } from '../../domain/shared/csv';
import { studentStreamId } from '../../domain/structure/student';
import { EventStore, RecordedEvent } from '../../event-store/event-store';
import { auditTrailProjection, studentsConcerned } from '../../projections/audit-trail';
import { LiveProjections } from '../../projections/live-projections';
import { MAX_PAGE } from '../core/page';
import { Reads } from '../core/reads';
import { CLOCK, EVENT_STORE, PROJECTION_RUNNER } from '../core/tokens';
import { ApiError } from '../errors/api-error';

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
  readonly notes: readonly string[];
}

const NOTES = [
  "Other events naming the student are found through the audit trail's index of students (roll calls listing them, council and report decisions about them).",
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
 * in full, and the events of other streams that name them — as one document. The read models are
 * all derived from these events.
 */
@Injectable()
export class PersonalDataReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(Reads) private readonly reads: Reads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async read(schoolId: string, studentId: string): Promise<PersonalData> {
    const generatedAt = this.clock.now().toISOString();
    const ownStreams = [studentStreamId(schoolId, studentId), attendanceStreamId(schoolId, studentId)];
    const own = (await Promise.all(ownStreams.map((stream) => this.store.readStream(stream)))).flat();
    const ownPositions = new Set(own.map((event) => event.position));
    const named = (await this.positionsNaming(schoolId, studentId)).filter(
      (position) => !ownPositions.has(position),
    );
    const others = await this.eventsAt(named);
    if (own.length === 0 && others.length === 0)
      throw new ApiError(404, 'STRUCTURE.STUDENT_UNKNOWN', `no student ${studentId} in school ${schoolId}`, {
        studentId,
      });
    const events = [
      ...own.map((event) => held(event)),
      ...others.map((event) => heldAbout(event, studentId)),
    ];
    events.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
    return { schoolId, studentId, generatedAt, ownStreams, events, notes: NOTES };
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

const heldAbout = (event: RecordedEvent, studentId: string): HeldEvent => {
  const others = new Set(
    studentsConcerned(event.streamId, event.metadata?.schoolId ?? null, event.data).filter(
      (id) => id !== studentId,
    ),
  );
  return held(event, others.size === 0 ? event.data : withoutOthers(event.data, others));
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
