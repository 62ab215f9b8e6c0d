import type { Database } from 'better-sqlite3';
import {
  ASSESSMENT_EVENT_TYPES,
  AssessmentEvent,
  CompetencyItem,
  GradeValue,
  GroupKind,
  Level,
  LevelValue,
  REPORT_EVENT_TYPES,
  ReportEvent,
} from '../../domain/assessment';
import { IsoDate } from '../../domain/shared/calendar';
import { prepared } from '../prepared';
import { defineProjection, Recorded, TableNames } from '../projection';

export type AssessmentsTable = 'assessments' | 'reports';

/** A correction of one cell (a grade, or a level on one item), as the grade book shows it. */
export type CellCorrection = {
  readonly studentId: string;
  /** Set for a level. */
  readonly itemId?: string;
  readonly previous: GradeValue | LevelValue | null;
  readonly value: GradeValue | LevelValue | null;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
  readonly correlationId: string | null;
  readonly position: number;
};

/** A change of the assessment's terms, or its cancellation. */
export type TermsChange = {
  readonly kind: 'changed' | 'cancelled';
  readonly changed: readonly string[];
  readonly reason: string | null;
  readonly by: string;
  readonly at: string;
  readonly position: number;
};

/**
 * One assessment as its events left it: its terms, each student's current grade, each student's level
 * per item, and the history of its corrections. One row per assessment (the grades of a class are
 * one JSON object): a grade book is 40 rows, and a batch writes each assessment it touched once.
 */
export type AssessmentRow = {
  readonly schoolId: string;
  readonly assessmentId: string;
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly subjectId: string;
  readonly periodId: string;
  readonly date: IsoDate;
  readonly title: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
  readonly cancelled: boolean;
  readonly teacherId: string;
  readonly competencyItems: readonly CompetencyItem[];
  /** studentId → grade. */
  readonly grades: Readonly<Record<string, GradeValue>>;
  /** itemId → studentId → level. */
  readonly levels: Readonly<Record<string, Readonly<Record<string, LevelValue>>>>;
  readonly corrections: readonly CellCorrection[];
  readonly changes: readonly TermsChange[];
  /** Global position of the last event applied to it. */
  readonly position: number;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type WorkingRow = Mutable<Omit<AssessmentRow, 'grades' | 'levels' | 'corrections' | 'changes'>> & {
  grades: Record<string, GradeValue>;
  levels: Record<string, Record<string, LevelValue>>;
  corrections: CellCorrection[];
  changes: TermsChange[];
};

type StoredRow = {
  school_id: string;
  assessment_id: string;
  class_or_group_id: string;
  group_kind: string;
  subject_id: string;
  period_id: string;
  date: string;
  title: string;
  out_of: number;
  coefficient: number;
  formative: number;
  cancelled: number;
  teacher_id: string;
  items: string;
  grades: string;
  levels: string;
  corrections: string;
  changes: string;
  position: number;
};

export const ASSESSMENT_COLUMNS = `school_id, assessment_id, class_or_group_id, group_kind, subject_id, period_id, date,
  title, out_of, coefficient, formative, cancelled, teacher_id, items, grades, levels, corrections, changes, position`;

export const rowOf = (stored: StoredRow): AssessmentRow => ({
  schoolId: stored.school_id,
  assessmentId: stored.assessment_id,
  classOrGroupId: stored.class_or_group_id,
  groupKind: stored.group_kind as GroupKind,
  subjectId: stored.subject_id,
  periodId: stored.period_id,
  date: stored.date,
  title: stored.title,
  outOf: stored.out_of,
  coefficient: stored.coefficient,
  formative: stored.formative === 1,
  cancelled: stored.cancelled === 1,
  teacherId: stored.teacher_id,
  competencyItems: JSON.parse(stored.items) as CompetencyItem[],
  grades: parsedDictionary<GradeValue>(stored.grades),
  levels: levelsOf(stored.levels),
  corrections: JSON.parse(stored.corrections) as CellCorrection[],
  changes: JSON.parse(stored.changes) as TermsChange[],
  position: stored.position,
});

export type StoredAssessmentRow = StoredRow;

/**
 * Keys are student and item ids, which a client chooses: kept in objects without a prototype, so
 * that an id such as `__proto__` is one more key and never reaches Object.prototype.
 */
const dictionary = <V>(parsed: Record<string, V> = {}): Record<string, V> =>
  Object.assign(Object.create(null) as Record<string, V>, parsed);

/**
 * A dictionary read from its JSON text: JSON.parse makes every key an own property (`__proto__`
 * included), so the parsed object only loses its prototype, rather than being copied key by key.
 */
const parsedDictionary = <V>(text: string): Record<string, V> =>
  Object.setPrototypeOf(JSON.parse(text), null) as Record<string, V>;

const levelsOf = (text: string) => {
  const levels = parsedDictionary<Record<string, LevelValue>>(text);
  for (const itemId in levels) Object.setPrototypeOf(levels[itemId], null);
  return levels;
};

type Event = AssessmentEvent | ReportEvent;

/**
 * A student's line of a report (a class, period and subject) as `reports.students` holds it, by
 * student id; the views read it as a ReportRow: positioning, suggested,
 * positioningBy, appreciation, appreciationBy. An array rather than an object: the keys, written 30
 * times a report, made a class's report two fifths longer, past a 4 kB page.
 */
export type StoredReportEntry = [
  positioning: Level | null,
  suggested: Level | null,
  positioningBy: string | null,
  appreciation: string | null,
  appreciationBy: string | null,
];

type WorkingReport = {
  readonly keys: readonly [string, string, string, string];
  readonly students: Record<string, StoredReportEntry>;
  position: number;
};

/**
 * The assessments of every school with their grades, levels and corrections, and the report of each
 * class, subject and period (positionings, appreciations). Averages are not stored: they depend on
 * settings that may change with an effective date, so the views compute them from these rows with
 * the rules of `domain/assessment`, under the settings in force.
 */
export const assessmentsProjection = defineProjection<Event>()({
  name: 'assessments',
  // v2: the coefficient column is REAL — the decider accepts 0.5, which a STRICT INTEGER column refused.
  // 2: decimal coefficients. 3: one report row per class, period and subject (its students in JSON).
  // 4: rowid tables (see setup). 5: a report's students as arrays (StoredReportEntry).
  version: 5,
  tables: ['assessments', 'reports'],
  handles: [...ASSESSMENT_EVENT_TYPES, ...REPORT_EVENT_TYPES],
  // Rebuilt alone, a year of grades took about a sixth less CPU in batches of 1,000 events than of
  // 5,000 (a fifth less than of 20,000): a batch's events, kept until its end, no longer outlive the
  // young generation, and garbage collection stops copying them. Read with other projections, the
  // runner's batch stands (the attendance projection prefers it larger).
  batchSize: 1_000,
  // The metadata (who and when) is read for corrections, changes and cancellations only: a few
  // events in a hundred of a year's grades and reports.
  readsMetadataOf: 'few events',
  // Rowid tables, not WITHOUT ROWID: a row here is a class's grades, levels or report in JSON (1 to
  // 5 kB, more than a page's twentieth), and SQLite keeps rows that large in a rowid table's own
  // B-tree with less work on every write; a rebuild spent about a tenth less CPU.
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.assessments}" (
        school_id TEXT NOT NULL, assessment_id TEXT NOT NULL, class_or_group_id TEXT NOT NULL, group_kind TEXT NOT NULL,
        subject_id TEXT NOT NULL, period_id TEXT NOT NULL, date TEXT NOT NULL, title TEXT NOT NULL,
        out_of REAL NOT NULL, coefficient REAL NOT NULL, formative INTEGER NOT NULL, cancelled INTEGER NOT NULL,
        teacher_id TEXT NOT NULL, items TEXT NOT NULL, grades TEXT NOT NULL, levels TEXT NOT NULL,
        corrections TEXT NOT NULL, changes TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (school_id, assessment_id)) STRICT;
      CREATE INDEX "${t.assessments}_by_class" ON "${t.assessments}" (school_id, class_or_group_id, period_id, subject_id, date);
      CREATE TABLE "${t.reports}" (
        school_id TEXT NOT NULL, class_id TEXT NOT NULL, period_id TEXT NOT NULL, subject_id TEXT NOT NULL,
        students TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (school_id, class_id, period_id, subject_id)) STRICT;`);
  },
  apply(db, t, events) {
    const batch = new AssessmentBatch(db, t);
    for (const event of events) batch.apply(event);
    batch.flush();
  },
});

const correctionOf = (
  event: Recorded<Event>,
  cell: { studentId: string; itemId?: string },
  data: { previous: GradeValue | LevelValue | null; value: GradeValue | LevelValue | null; reason: string },
  by: string,
): CellCorrection => ({
  ...cell,
  previous: data.previous,
  value: data.value,
  reason: data.reason,
  by,
  at: event.metadata.recordedAt,
  correlationId: event.metadata.correlationId ?? null,
  position: Number(event.position),
});

const SCHOOL_OF_STREAM = /^[a-z]+-(\d{7}[A-Z])-/;

/**
 * The school of an assessment or report event, from its stream id (`assessment-{uai}-…`,
 * `report-{uai}-…`): its metadata, another JSON text, is parsed only for a correction's who and when.
 */
const schoolOfStream = (event: Recorded<Event>): string =>
  SCHOOL_OF_STREAM.exec(event.streamId)?.[1] ?? event.metadata.schoolId;

/**
 * The rows the last batch wrote, by database and table, kept for the next batch of the same tables:
 * an assessment created near the end of a batch gets its grades in the next one (a rebuild read about
 * one row in three back that way). A kept row is used only while the table holds it at the position
 * it was written at, every event moving a row's position: after a batch rolled back, or rows written
 * by another connection, it is read again.
 */
const lastWritten = new WeakMap<Database, Map<string, ReadonlyMap<string, WorkingRow>>>();

/**
 * The assessments a batch touches, read once, changed in memory and written once at its end. An
 * assessment is found by its stream's id (`assessment-{uai}-{assessmentId}`, one per assessment): the
 * key is already there, and the school is read from it only when a row is first read. A report's
 * events come one student after another: the last report is kept at hand.
 */
class AssessmentBatch {
  private readonly rows = new Map<string, WorkingRow>();
  /**
   * Rows read from the table whose indexed terms (period, date) did not change: written back with an
   * UPDATE of the columns that change, which leaves the table's indexes alone (an INSERT OR REPLACE
   * deletes the row and its index entries and inserts them again).
   */
  private readonly updatable = new Set<WorkingRow>();
  private readonly reports = new Map<string, WorkingReport>();
  private lastReport?: { readonly streamId: string; readonly report: WorkingReport };
  /** What the previous batch wrote: taken, so that nothing is kept if this batch fails. */
  private readonly kept: ReadonlyMap<string, WorkingRow> | undefined;

  constructor(
    private readonly db: Database,
    private readonly t: TableNames<AssessmentsTable>,
  ) {
    const byTable = lastWritten.get(db);
    this.kept = byTable?.get(t.assessments);
    byTable?.delete(t.assessments);
  }

  apply(event: Recorded<Event>): void {
    switch (event.type) {
      case 'PositioningSet':
      case 'AppreciationWritten':
        return this.applyReport(event);
      default:
        return this.applyAssessment(event);
    }
  }

  private row(event: Recorded<AssessmentEvent>): WorkingRow | undefined {
    const cached = this.rows.get(event.streamId);
    if (cached) return cached;
    const schoolId = schoolOfStream(event);
    const { assessmentId } = event.data;
    const kept = this.kept?.get(event.streamId);
    const row =
      kept !== undefined &&
      kept.assessmentId === assessmentId &&
      prepared<[string, string], number>(
        this.db,
        `SELECT position FROM "${this.t.assessments}" WHERE school_id = ? AND assessment_id = ?`,
      )
        .pluck()
        .get(schoolId, assessmentId) === kept.position
        ? kept
        : this.stored(schoolId, assessmentId);
    if (row === undefined) return undefined;
    this.rows.set(event.streamId, row);
    this.updatable.add(row);
    return row;
  }

  private stored(schoolId: string, assessmentId: string): WorkingRow | undefined {
    const stored = prepared<[string, string], StoredRow>(
      this.db,
      `SELECT ${ASSESSMENT_COLUMNS} FROM "${this.t.assessments}" WHERE school_id = ? AND assessment_id = ?`,
    ).get(schoolId, assessmentId);
    return stored === undefined ? undefined : (rowOf(stored) as WorkingRow);
  }

  private applyAssessment(event: Recorded<AssessmentEvent>): void {
    const position = Number(event.position);
    if (event.type === 'AssessmentCreated') {
      const { data } = event;
      this.rows.set(event.streamId, {
        schoolId: schoolOfStream(event),
        assessmentId: data.assessmentId,
        classOrGroupId: data.classOrGroupId,
        groupKind: data.groupKind,
        subjectId: data.subjectId,
        periodId: data.periodId,
        date: data.date,
        title: data.title,
        outOf: data.outOf,
        coefficient: data.coefficient,
        formative: data.formative,
        cancelled: false,
        teacherId: data.teacherId,
        competencyItems: data.competencyItems,
        grades: dictionary(),
        levels: dictionary(),
        corrections: [],
        changes: [],
        position,
      });
      return;
    }
    const row = this.row(event);
    if (row === undefined) return;
    row.position = position;
    switch (event.type) {
      case 'GradesRecorded':
        for (const { studentId, value } of event.data.grades) row.grades[studentId] = value;
        return;
      case 'GradeCorrected': {
        const { studentId, value } = event.data;
        if (value === null) delete row.grades[studentId];
        else row.grades[studentId] = value;
        row.corrections.push(correctionOf(event, { studentId }, event.data, event.data.correctedBy.id));
        return;
      }
      case 'LevelsRecorded':
        for (const { studentId, itemId, value } of event.data.levels)
          (row.levels[itemId] ??= dictionary())[studentId] = value;
        return;
      case 'LevelCorrected': {
        const { studentId, itemId, value } = event.data;
        const item = (row.levels[itemId] ??= dictionary());
        if (value === null) delete item[studentId];
        else item[studentId] = value;
        if (Object.keys(item).length === 0) delete row.levels[itemId];
        row.corrections.push(
          correctionOf(event, { studentId, itemId }, event.data, event.data.correctedBy.id),
        );
        return;
      }
      case 'AssessmentChanged': {
        const { previous, terms } = event.data;
        this.updatable.delete(row);
        Object.assign(row, {
          periodId: terms.periodId,
          date: terms.date,
          title: terms.title,
          outOf: terms.outOf,
          coefficient: terms.coefficient,
          formative: terms.formative,
        });
        row.changes.push({
          kind: 'changed',
          changed: (['date', 'title', 'outOf', 'coefficient', 'formative'] as const).filter(
            (term) => previous[term] !== terms[term],
          ),
          reason: event.data.reason,
          by: event.data.changedBy.id,
          at: event.metadata.recordedAt,
          position,
        });
        return;
      }
      case 'AssessmentCancelled':
        row.cancelled = true;
        row.changes.push({
          kind: 'cancelled',
          changed: [],
          reason: event.data.reason,
          by: event.data.cancelledBy.id,
          at: event.metadata.recordedAt,
          position,
        });
        return;
      default: {
        const unexpected: never = event;
        return unexpected;
      }
    }
  }

  private report(event: Recorded<ReportEvent>): WorkingReport {
    const { classId, periodId, subjectId } = event.data;
    const last = this.lastReport;
    if (
      last !== undefined &&
      last.streamId === event.streamId &&
      last.report.keys[1] === classId &&
      last.report.keys[2] === periodId &&
      last.report.keys[3] === subjectId
    )
      return last.report;
    const report = this.reportOf(schoolOfStream(event), classId, periodId, subjectId);
    this.lastReport = { streamId: event.streamId, report };
    return report;
  }

  private reportOf(schoolId: string, classId: string, periodId: string, subjectId: string): WorkingReport {
    const key = `${schoolId}\0${classId}\0${periodId}\0${subjectId}`;
    const cached = this.reports.get(key);
    if (cached) return cached;
    const stored = prepared<[string, string, string, string], { students: string; position: number }>(
      this.db,
      `SELECT students, position FROM "${this.t.reports}"
       WHERE school_id = ? AND class_id = ? AND period_id = ? AND subject_id = ?`,
    ).get(schoolId, classId, periodId, subjectId);
    const report: WorkingReport = {
      keys: [schoolId, classId, periodId, subjectId],
      students: stored ? parsedDictionary<StoredReportEntry>(stored.students) : dictionary(),
      position: stored?.position ?? 0,
    };
    this.reports.set(key, report);
    return report;
  }

  private applyReport(event: Recorded<ReportEvent>): void {
    const { studentId } = event.data;
    const report = this.report(event);
    report.position = Number(event.position);
    const entry = (report.students[studentId] ??= [null, null, null, null, null]);
    if (event.type === 'PositioningSet') {
      entry[0] = event.data.positioning;
      entry[1] = event.data.suggested;
      entry[2] = event.data.positioning === null ? null : event.data.setBy.id;
    } else {
      const text = event.data.text === '' ? null : event.data.text;
      entry[3] = text;
      entry[4] = text === null ? null : event.data.writtenBy.id;
    }
  }

  flush(): void {
    const write = prepared(
      this.db,
      `INSERT OR REPLACE INTO "${this.t.assessments}" (${ASSESSMENT_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = prepared(
      this.db,
      `UPDATE "${this.t.assessments}" SET cancelled = ?, grades = ?, levels = ?, corrections = ?, changes = ?, position = ?
       WHERE school_id = ? AND assessment_id = ?`,
    );
    for (const row of this.rows.values()) {
      if (this.updatable.has(row)) {
        update.run(
          row.cancelled ? 1 : 0,
          JSON.stringify(row.grades),
          JSON.stringify(row.levels),
          JSON.stringify(row.corrections),
          JSON.stringify(row.changes),
          row.position,
          row.schoolId,
          row.assessmentId,
        );
        continue;
      }
      write.run(
        row.schoolId,
        row.assessmentId,
        row.classOrGroupId,
        row.groupKind,
        row.subjectId,
        row.periodId,
        row.date,
        row.title,
        row.outOf,
        row.coefficient,
        row.formative ? 1 : 0,
        row.cancelled ? 1 : 0,
        row.teacherId,
        JSON.stringify(row.competencyItems),
        JSON.stringify(row.grades),
        JSON.stringify(row.levels),
        JSON.stringify(row.corrections),
        JSON.stringify(row.changes),
        row.position,
      );
    }
    const byTable = lastWritten.get(this.db) ?? new Map<string, ReadonlyMap<string, WorkingRow>>();
    byTable.set(this.t.assessments, new Map(this.rows));
    lastWritten.set(this.db, byTable);
    this.rows.clear();
    this.updatable.clear();
    const writeReport = prepared(
      this.db,
      `INSERT OR REPLACE INTO "${this.t.reports}" VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const report of this.reports.values())
      writeReport.run(...report.keys, JSON.stringify(report.students), report.position);
    this.reports.clear();
    this.lastReport = undefined;
  }
}
