import type { Database } from 'better-sqlite3';
import { COUNCIL_EVENT_TYPES, CouncilEvent, CouncilSnapshot, CouncilStatus } from '../../domain/council';
import { IsoDate } from '../../domain/shared/calendar';
import { prepared } from '../prepared';
import { defineProjection, Recorded, TableNames } from '../projection';

export type CouncilsTable = 'councils';

/** One student's decisions: the council's synthesis and mention. */
export type CouncilStudentDecisions = {
  readonly synthesis: string | null;
  readonly mention: string | null;
};

/**
 * One class council (school, class, period) as its events left it: its status and date, the hold
 * (when, by whom, at which position of the log, the students and the figures the council saw), the
 * reason of the last reopening, and the decisions.
 */
export type CouncilRow = {
  readonly schoolId: string;
  readonly classId: string;
  readonly periodId: string;
  readonly status: CouncilStatus;
  readonly scheduledOn: IsoDate | null;
  readonly heldOn: IsoDate | null;
  readonly heldBy: string | null;
  /** The global position of the last `CouncilHeld`: changes of the period after it are post-council corrections. */
  readonly heldPosition: number | null;
  readonly heldStudents: readonly string[];
  /** While reopened, why; null otherwise. */
  readonly reopenedReason: string | null;
  readonly classAppreciation: string | null;
  /** studentId → synthesis and mention; only students with one of them. */
  readonly students: Readonly<Record<string, CouncilStudentDecisions>>;
  readonly snapshot: CouncilSnapshot | null;
  /** Global position of the last event applied. */
  readonly position: number;
};

type StoredRow = {
  school_id: string;
  class_id: string;
  period_id: string;
  status: string;
  scheduled_on: string | null;
  held_on: string | null;
  held_by: string | null;
  held_position: number | null;
  held_students: string;
  reopened_reason: string | null;
  class_appreciation: string | null;
  students: string;
  snapshot: string | null;
  position: number;
};

const COLUMNS = `school_id, class_id, period_id, status, scheduled_on, held_on, held_by, held_position, held_students,
  reopened_reason, class_appreciation, students, snapshot, position`;

/** Student ids are chosen by clients: kept in an object without a prototype. */
const dictionary = <V>(parsed: Record<string, V> = {}): Record<string, V> =>
  Object.assign(Object.create(null) as Record<string, V>, parsed);

const rowOf = (stored: StoredRow): CouncilRow => ({
  schoolId: stored.school_id,
  classId: stored.class_id,
  periodId: stored.period_id,
  status: stored.status as CouncilStatus,
  scheduledOn: stored.scheduled_on,
  heldOn: stored.held_on,
  heldBy: stored.held_by,
  heldPosition: stored.held_position,
  heldStudents: JSON.parse(stored.held_students) as string[],
  reopenedReason: stored.reopened_reason,
  classAppreciation: stored.class_appreciation,
  students: dictionary<CouncilStudentDecisions>(JSON.parse(stored.students)),
  snapshot: stored.snapshot === null ? null : (JSON.parse(stored.snapshot) as CouncilSnapshot),
  position: stored.position,
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type WorkingRow = Mutable<Omit<CouncilRow, 'students'>> & {
  students: Record<string, CouncilStudentDecisions>;
};

const SCHOOL_OF_STREAM = /^council-(\d{7}[A-Z])-/;

const schoolOfStream = (event: Recorded<CouncilEvent>): string =>
  SCHOOL_OF_STREAM.exec(event.streamId)?.[1] ?? event.metadata.schoolId;

const fresh = (schoolId: string, classId: string, periodId: string): WorkingRow => ({
  schoolId,
  classId,
  periodId,
  status: 'open',
  scheduledOn: null,
  heldOn: null,
  heldBy: null,
  heldPosition: null,
  heldStudents: [],
  reopenedReason: null,
  classAppreciation: null,
  students: dictionary(),
  snapshot: null,
  position: 0,
});

const withDecision = (row: WorkingRow, studentId: string, change: Partial<CouncilStudentDecisions>): void => {
  const next = { ...(row.students[studentId] ?? { synthesis: null, mention: null }), ...change };
  if (next.synthesis === null && next.mention === null) delete row.students[studentId];
  else row.students[studentId] = next;
};

/**
 * The class councils of every school: one row per class and period, the decisions as JSON. The
 * council view reads it in one lookup; the closed periods of a class (held, not reopened) are one
 * indexed query, for the areas that ask a principal's reason once a period is closed.
 */
export const councilsProjection = defineProjection<CouncilEvent>()({
  name: 'councils',
  version: 1,
  tables: ['councils'],
  handles: [...COUNCIL_EVENT_TYPES],
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.councils}" (
        school_id TEXT NOT NULL, class_id TEXT NOT NULL, period_id TEXT NOT NULL, status TEXT NOT NULL,
        scheduled_on TEXT, held_on TEXT, held_by TEXT, held_position INTEGER, held_students TEXT NOT NULL,
        reopened_reason TEXT, class_appreciation TEXT, students TEXT NOT NULL, snapshot TEXT,
        position INTEGER NOT NULL,
        PRIMARY KEY (school_id, class_id, period_id)) STRICT, WITHOUT ROWID;`);
  },
  apply(db, t, events) {
    const rows = new Map<string, WorkingRow>();
    const rowFor = (schoolId: string, classId: string, periodId: string): WorkingRow => {
      const key = `${schoolId}\0${classId}\0${periodId}`;
      const cached = rows.get(key);
      if (cached) return cached;
      const stored = readStored(db, t, schoolId, classId, periodId);
      const row = stored ? (rowOf(stored) as WorkingRow) : fresh(schoolId, classId, periodId);
      if (stored) row.students = dictionary({ ...row.students });
      rows.set(key, row);
      return row;
    };
    for (const event of events) {
      const row = rowFor(schoolOfStream(event), event.data.classId, event.data.periodId);
      row.position = Number(event.position);
      applyOne(row, event);
    }
    const write = prepared(
      db,
      `INSERT OR REPLACE INTO "${t.councils}" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of rows.values())
      write.run(
        row.schoolId,
        row.classId,
        row.periodId,
        row.status,
        row.scheduledOn,
        row.heldOn,
        row.heldBy,
        row.heldPosition,
        JSON.stringify(row.heldStudents),
        row.reopenedReason,
        row.classAppreciation,
        JSON.stringify(row.students),
        row.snapshot === null ? null : JSON.stringify(row.snapshot),
        row.position,
      );
  },
});

const applyOne = (row: WorkingRow, event: Recorded<CouncilEvent>): void => {
  switch (event.type) {
    case 'CouncilScheduled':
      row.scheduledOn = event.data.date;
      if (row.status === 'open') row.status = 'scheduled';
      return;
    case 'StudentSynthesisWritten':
      withDecision(row, event.data.studentId, { synthesis: event.data.text === '' ? null : event.data.text });
      return;
    case 'MentionAwarded':
      withDecision(row, event.data.studentId, { mention: event.data.mention });
      return;
    case 'ClassAppreciationWritten':
      row.classAppreciation = event.data.text === '' ? null : event.data.text;
      return;
    case 'CouncilHeld':
      row.status = 'held';
      row.heldOn = event.data.heldOn;
      row.heldBy = event.data.heldBy.id;
      row.heldPosition = Number(event.position);
      row.heldStudents = [...event.data.students];
      row.snapshot = event.data.snapshot;
      row.reopenedReason = null;
      return;
    case 'CouncilReopened':
      row.status = 'reopened';
      row.reopenedReason = event.data.reason;
      return;
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

const readStored = (
  db: Database,
  t: TableNames<CouncilsTable>,
  schoolId: string,
  classId: string,
  periodId: string,
): StoredRow | undefined =>
  prepared<[string, string, string], StoredRow>(
    db,
    `SELECT ${COLUMNS} FROM "${t.councils}" WHERE school_id = ? AND class_id = ? AND period_id = ?`,
  ).get(schoolId, classId, periodId);

/** One class council; undefined when nothing was ever recorded for it. */
export const readCouncil = (
  db: Database,
  t: TableNames<CouncilsTable>,
  schoolId: string,
  classId: string,
  periodId: string,
): CouncilRow | undefined => {
  const stored = readStored(db, t, schoolId, classId, periodId);
  return stored === undefined ? undefined : rowOf(stored);
};

/** A period whose council is held (and not reopened since): closed. */
export type ClosedPeriod = {
  readonly periodId: string;
  readonly heldOn: IsoDate;
  readonly heldBy: string;
  readonly heldPosition: number;
};

/** The periods of a class whose council is currently held, by period id. */
export const readClosedPeriods = (
  db: Database,
  t: TableNames<CouncilsTable>,
  schoolId: string,
  classId: string,
): ClosedPeriod[] =>
  prepared<[string, string], ClosedPeriod>(
    db,
    `SELECT period_id AS periodId, held_on AS heldOn, held_by AS heldBy, held_position AS heldPosition
     FROM "${t.councils}" WHERE school_id = ? AND class_id = ? AND status = 'held' ORDER BY period_id`,
  ).all(schoolId, classId);
