import BetterSqlite3, { Database } from 'better-sqlite3';
import fc from 'fast-check';
import {
  assessmentStreamId,
  classPeriodStatistics,
  DEFAULT_POSITIONING_SETTINGS,
  GradeValue,
  LevelValue,
  PeriodSettings,
  reportStreamId,
  studentPeriodResult,
} from '../../../src/domain/assessment';
import { AverageConvention } from '../../../src/domain/settings/settings';
import { EventMetadata } from '../../../src/domain/shared/event';
import { RecordedEvent } from '../../../src/event-store/event-store';
import { ProjectionRunner, tableNamesFor } from '../../../src/projections';
import {
  AssessmentRow,
  assessmentsProjection,
  readAssessments,
  readClassReports,
} from '../../../src/projections/assessment';
import { propertyParameters } from '../../support/test-seed';
import { applyAsTheRunnerDoes, openReadModels, openStore, rowsOf, tempFiles } from '../support';

/**
 * Properties of the assessments read model and of the figures computed from it, against an oracle
 * written here from DOMAIN.md ("Grades" 3–4, "Competencies" 2 and 4) over the final facts of each
 * assessment — it does not call averages.ts or positioning.ts.
 */

const SCHOOL = '0670001A';
const T1 = { id: 'T1', start: '2026-09-01', end: '2026-11-30' };
const STUDENTS = ['s01', 's02', 's03', 's04'];
const SUBJECTS = ['MATHS', 'FRANCAIS', 'EPS'];
const SUBJECT_COEFFICIENTS: Record<string, number> = { MATHS: 3, FRANCAIS: 2, EPS: 0 };
const ITEMS = [
  { itemId: 'C-CALC', label: 'Calculer', socleComponent: 'SYS_NAT' as const },
  { itemId: 'C-RAIS', label: 'Raisonner', socleComponent: null },
];
const MARKERS = ['ABS', 'DISP', 'NN'] as const;
const TEACHER = { id: 't-martin', role: 'teacher' as const };
const tables = tableNamesFor(assessmentsProjection);

// ---- what teachers did, as operations on each assessment's stream ---------------------------------

type Op =
  | { readonly kind: 'grades'; readonly entries: readonly (readonly [number, GradeValue])[] }
  | { readonly kind: 'correct'; readonly student: number; readonly value: GradeValue | null }
  | { readonly kind: 'levels'; readonly entries: readonly (readonly [number, number, LevelValue])[] }
  | {
      readonly kind: 'correctLevel';
      readonly student: number;
      readonly item: number;
      readonly value: LevelValue | null;
    }
  | {
      readonly kind: 'change';
      readonly coefficient: number;
      readonly formative: boolean;
      readonly toT2: boolean;
    }
  | { readonly kind: 'cancel' };

type Plan = {
  readonly assessmentId: string;
  readonly subjectId: string;
  readonly date: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
  readonly ops: readonly Op[];
};

const COEFFICIENTS = [0, 0.5, 1, 2, 3];

const gradeArbitrary = (outOf: number): fc.Arbitrary<GradeValue> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: outOf * 100 }).map((h) => h / 100) },
    { weight: 1, arbitrary: fc.constantFrom<GradeValue>(...MARKERS) },
  );
const levelArbitrary: fc.Arbitrary<LevelValue> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<LevelValue>(1, 2, 3, 4) },
  { weight: 1, arbitrary: fc.constantFrom<LevelValue>(...MARKERS) },
);
const student = fc.integer({ min: 0, max: STUDENTS.length - 1 });
const item = fc.integer({ min: 0, max: ITEMS.length - 1 });

const opArbitrary = (outOf: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('grades' as const),
        entries: fc.array(fc.tuple(student, gradeArbitrary(outOf)), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('correct' as const),
        student,
        value: fc.option(gradeArbitrary(outOf), { nil: null }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('levels' as const),
        entries: fc.array(fc.tuple(student, item, levelArbitrary), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('correctLevel' as const),
        student,
        item,
        value: fc.option(levelArbitrary, { nil: null }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('change' as const),
        coefficient: fc.constantFrom(...COEFFICIENTS),
        formative: fc.boolean(),
        toT2: fc.boolean(),
      }),
    },
  );

const planArbitrary = (index: number): fc.Arbitrary<Plan> =>
  fc
    .record({
      subjectId: fc.constantFrom(...SUBJECTS),
      date: fc.constantFrom('2026-09-14', '2026-10-05', '2026-11-30'),
      outOf: fc.oneof(fc.constant(20), fc.constantFrom(5, 10, 100), fc.integer({ min: 1, max: 100 })),
      coefficient: fc.constantFrom(...COEFFICIENTS),
      formative: fc.boolean(),
      cancelled: fc.boolean().chain((c) => (c ? fc.boolean() : fc.constant(false))),
    })
    .chain((terms) =>
      fc.array(opArbitrary(terms.outOf), { maxLength: 8 }).map((ops) => ({
        assessmentId: `a${index}`,
        subjectId: terms.subjectId,
        date: terms.date,
        outOf: terms.outOf,
        coefficient: terms.coefficient,
        formative: terms.formative,
        ops: terms.cancelled ? [...ops, { kind: 'cancel' as const }] : ops,
      })),
    );

const plansArbitrary = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...[...Array(n).keys()].map(planArbitrary)));

// ---- the final facts (the oracle's input) and the events, from a plan ----------------------------

/** An assessment as its operations leave it. */
type Facts = {
  assessmentId: string;
  subjectId: string;
  periodId: string;
  date: string;
  outOf: number;
  coefficient: number;
  formative: boolean;
  cancelled: boolean;
  grades: Map<string, GradeValue>;
  /** `${itemId}/${studentId}` → level. */
  levels: Map<string, LevelValue>;
};

type StreamEvent = { readonly streamId: string; readonly type: string; readonly data: object };

const keysOf = (f: Facts) => ({
  assessmentId: f.assessmentId,
  classOrGroupId: '5B',
  groupKind: 'class' as const,
  subjectId: f.subjectId,
  periodId: f.periodId,
  date: f.date,
});

const termsOf = (f: Facts) => ({
  date: f.date,
  periodId: f.periodId,
  title: `Devoir ${f.assessmentId}`,
  outOf: f.outOf,
  coefficient: f.coefficient,
  formative: f.formative,
});

/**
 * The events of one assessment's stream and its final facts. `extra` inserts a grade correction and
 * its reverse before the operation at `extra.at` (property b).
 */
const build = (
  plan: Plan,
  extra?: {
    readonly at: number;
    readonly student: number;
    readonly value: GradeValue | null;
    readonly item: number;
    readonly level: LevelValue | null;
  },
): { events: StreamEvent[]; facts: Facts } => {
  const streamId = assessmentStreamId(SCHOOL, plan.assessmentId);
  const f: Facts = {
    assessmentId: plan.assessmentId,
    subjectId: plan.subjectId,
    periodId: 'T1',
    date: plan.date,
    outOf: plan.outOf,
    coefficient: plan.coefficient,
    formative: plan.formative,
    cancelled: false,
    grades: new Map(),
    levels: new Map(),
  };
  const events: StreamEvent[] = [];
  const emit = (type: string, data: object) =>
    events.push({ streamId, type, data: { ...keysOf(f), ...data } });
  emit('AssessmentCreated', {
    title: `Devoir ${plan.assessmentId}`,
    outOf: f.outOf,
    coefficient: f.coefficient,
    formative: f.formative,
    teacherId: TEACHER.id,
    competencyItems: ITEMS,
    createdBy: TEACHER,
  });
  const correctGrade = (studentId: string, value: GradeValue | null, reason: string) => {
    const previous = f.grades.get(studentId) ?? null;
    if (value === null) f.grades.delete(studentId);
    else f.grades.set(studentId, value);
    emit('GradeCorrected', { studentId, previous, value, reason, correctedBy: TEACHER });
  };
  const correctLevel = (studentId: string, itemId: string, value: LevelValue | null, reason: string) => {
    const key = `${itemId}/${studentId}`;
    const previous = f.levels.get(key) ?? null;
    if (value === null) f.levels.delete(key);
    else f.levels.set(key, value);
    emit('LevelCorrected', { studentId, itemId, previous, value, reason, correctedBy: TEACHER });
  };
  for (let index = 0; index <= plan.ops.length; index++) {
    if (extra !== undefined && extra.at === index && !f.cancelled) {
      const studentId = STUDENTS[extra.student];
      const itemId = ITEMS[extra.item].itemId;
      const grade = f.grades.get(studentId) ?? null;
      const level = f.levels.get(`${itemId}/${studentId}`) ?? null;
      correctGrade(studentId, extra.value, 'round trip');
      correctGrade(studentId, grade, 'round trip, reverted');
      correctLevel(studentId, itemId, extra.level, 'round trip');
      correctLevel(studentId, itemId, level, 'round trip, reverted');
    }
    const op = plan.ops[index];
    if (op === undefined || f.cancelled) continue;
    apply(op);
  }
  return { events, facts: f };

  function apply(op: Op): void {
    switch (op.kind) {
      case 'grades': {
        // One grade per student in a command, the last one typed, sorted as the decider writes them.
        const byStudent = new Map(op.entries.map(([s, value]) => [STUDENTS[s], value]));
        const grades = [...byStudent]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([studentId, value]) => ({ studentId, value }));
        for (const { studentId, value } of grades) f.grades.set(studentId, value);
        emit('GradesRecorded', { grades, recordedBy: TEACHER });
        return;
      }
      case 'correct':
        return correctGrade(STUDENTS[op.student], op.value, 'typing mistake');
      case 'levels': {
        const byCell = new Map(
          op.entries.map(([s, i, value]) => [`${STUDENTS[s]}\0${ITEMS[i].itemId}`, value]),
        );
        const levels = [...byCell]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([cell, value]) => {
            const [studentId, itemId] = cell.split('\0');
            return { studentId, itemId, value };
          });
        for (const { studentId, itemId, value } of levels) f.levels.set(`${itemId}/${studentId}`, value);
        emit('LevelsRecorded', { levels, recordedBy: TEACHER });
        return;
      }
      case 'correctLevel':
        return correctLevel(STUDENTS[op.student], ITEMS[op.item].itemId, op.value, 'wrong line');
      case 'change': {
        const previous = termsOf(f);
        f.coefficient = op.coefficient;
        f.formative = op.formative;
        if (op.toT2) {
          f.date = '2026-12-07';
          f.periodId = 'T2';
        }
        emit('AssessmentChanged', {
          previous,
          terms: termsOf(f),
          studentIds: [...f.grades.keys()].sort(),
          reason: 'wrong terms',
          changedBy: TEACHER,
        });
        return;
      }
      case 'cancel':
        f.cancelled = true;
        emit('AssessmentCancelled', {
          studentIds: [...f.grades.keys()].sort(),
          reason: 'entered twice',
          cancelledBy: TEACHER,
        });
        return;
    }
  }
};

/** The teacher's final positionings and appreciations, one report stream. */
const reportEvents = (finals: readonly (readonly [number, 1 | 2 | 3 | 4 | null])[]): StreamEvent[] => {
  const streamId = reportStreamId(SCHOOL, '5B', 'MATHS', 'T1');
  const current = new Map<string, number | null>();
  return finals.flatMap(([s, positioning], index) => {
    const studentId = STUDENTS[s];
    const keys = { classId: '5B', subjectId: 'MATHS', periodId: 'T1', studentId };
    const previous = current.get(studentId) ?? null;
    current.set(studentId, positioning);
    return [
      {
        streamId,
        type: 'PositioningSet',
        data: { ...keys, positioning, previous, suggested: 2, reason: null, setBy: TEACHER },
      },
      {
        streamId,
        type: 'AppreciationWritten',
        data: {
          ...keys,
          text: index % 2 === 0 ? `Trimestre ${index}` : '',
          previous: null,
          reason: null,
          writtenBy: TEACHER,
        },
      },
    ];
  });
};
const finalsArbitrary = fc.array(fc.tuple(student, fc.constantFrom<1 | 2 | 3 | 4 | null>(1, 2, 3, 4, null)), {
  maxLength: 4,
});

/** Streams merged in the order `picks` chooses, each stream's own order kept. */
const interleave = (
  streams: readonly (readonly StreamEvent[])[],
  picks: readonly number[],
): StreamEvent[] => {
  const queues = streams.map((s) => [...s]);
  const merged: StreamEvent[] = [];
  let i = 0;
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) return merged;
    merged.push(open[(picks[i++] ?? 0) % open.length].shift()!);
  }
};
const picksArbitrary = fc.array(fc.nat({ max: 7 }), { maxLength: 60 });

/**
 * As the store records them: global positions in the order given, revisions per stream. Metadata is
 * a function of the event's place in its own stream, so that two interleavings differ only in positions.
 */
const recorded = (events: readonly StreamEvent[]): RecordedEvent[] => {
  const revisions = new Map<string, number>();
  return events.map(({ streamId, type, data }, i) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const commandId = `${streamId}-${revision}`;
    const metadata: EventMetadata = {
      commandId,
      correlationId: commandId,
      causationId: commandId,
      actor: TEACHER,
      schoolId: SCHOOL,
      recordedAt: new Date(Date.UTC(2026, 10, 16, 7) + revision * 60_000).toISOString(),
      schemaVersion: 1,
    };
    return {
      id: commandId,
      streamId,
      revision,
      position: BigInt(i + 1),
      type,
      data: data as Record<string, unknown>,
      metadata,
    };
  });
};

/** A fresh read model with the events applied in batches of the given sizes (the rest in one last batch). */
const project = (events: readonly RecordedEvent[], cuts: readonly number[] = [events.length]): Database => {
  const db = new BetterSqlite3(':memory:');
  assessmentsProjection.setup(db, tables);
  let at = 0;
  for (const size of cuts) {
    if (at >= events.length) break;
    const batch = events.slice(at, at + size);
    db.transaction(() => applyAsTheRunnerDoes(assessmentsProjection, db, tables, batch))();
    at += size;
  }
  if (at < events.length)
    db.transaction(() => applyAsTheRunnerDoes(assessmentsProjection, db, tables, events.slice(at)))();
  return db;
};

// ---- figures from the read model, as the views compute them --------------------------------------

const settingsFor = (convention: AverageConvention): PeriodSettings => ({
  convention,
  rounding: { mode: 'nearest', step: 0.01 },
  subjectCoefficients: SUBJECT_COEFFICIENTS,
  positioning: DEFAULT_POSITIONING_SETTINGS,
});

const STAYED = { classes: [{ classId: '5B', from: '2026-09-01' }], groups: [] };

const figuresOf = (db: Database, convention: AverageConvention) => {
  const rows = readAssessments(db, tables, SCHOOL, { classOrGroupIds: ['5B'], periodId: 'T1' });
  const reports = readClassReports(db, tables, SCHOOL, '5B', 'T1');
  const results = STUDENTS.map((studentId) =>
    studentPeriodResult(
      { studentId, memberships: STAYED },
      T1,
      rows,
      settingsFor(convention),
      Object.fromEntries(
        reports
          .filter((r) => r.studentId === studentId && r.positioning !== null)
          .map((r) => [r.subjectId, r.positioning]),
      ),
    ),
  );
  return { results, statistics: classPeriodStatistics(results, settingsFor(convention).rounding) };
};

/** A row without what depends on the global order of streams: positions. */
const withoutPositions = (row: AssessmentRow) => ({
  ...row,
  position: undefined,
  corrections: row.corrections.map((c) => ({ ...c, position: undefined })),
  changes: row.changes.map((c) => ({ ...c, position: undefined })),
});

const allRows = (db: Database) =>
  ['T1', 'T2'].flatMap((periodId) =>
    readAssessments(db, tables, SCHOOL, { classOrGroupIds: ['5B'], periodId }).map(withoutPositions),
  );

// ---- the oracle -----------------------------------------------------------------------------------

const isNumber = (v: unknown): v is number => typeof v === 'number';
const POINTS = [10, 25, 40, 50];

/** The last positioning the teacher set for each student in MATHS (null: withdrawn or never set). */
const finalOf = (finals: readonly (readonly [number, 1 | 2 | 3 | 4 | null])[], studentId: string) =>
  finals.filter(([s]) => STUDENTS[s] === studentId).reduce<number | null>((_, [, p]) => p, null);

type OracleSubject = {
  readonly average: number | null;
  readonly gradeIds: readonly string[];
  readonly suggested: number | null;
  readonly shown: number | null;
};

/**
 * One student's T1 results from the final facts: a subject is listed when the student has a grade or
 * a level in one of its assessments (cancelled ones too), or a final positioning; its average is
 * over the counted grades (not cancelled, not formative, coefficient above 0, not a marker).
 */
const oracle = (
  facts: readonly Facts[],
  studentId: string,
  convention: AverageConvention,
  final: number | null,
) => {
  const inT1 = facts.filter((f) => f.periodId === 'T1');
  const subjects = new Map<string, OracleSubject>();
  for (const subjectId of SUBJECTS) {
    const ofSubject = inT1.filter((f) => f.subjectId === subjectId);
    const levels = ofSubject
      .filter((f) => !f.cancelled)
      .flatMap((f) =>
        [...f.levels]
          .filter(([key, v]) => key.endsWith(`/${studentId}`) && isNumber(v))
          .map(([, v]) => v as number),
      );
    const hasLevel = ofSubject.some((f) => [...f.levels.keys()].some((key) => key.endsWith(`/${studentId}`)));
    const subjectFinal = subjectId === 'MATHS' ? final : null;
    if (!ofSubject.some((f) => f.grades.has(studentId)) && !hasLevel && subjectFinal === null) continue;
    const counted = ofSubject
      .filter((f) => !f.cancelled && !f.formative && f.coefficient > 0 && isNumber(f.grades.get(studentId)))
      .sort((a, b) => (a.assessmentId < b.assessmentId ? -1 : 1));
    const grade = (f: Facts) => f.grades.get(studentId) as number;
    const average =
      counted.length === 0
        ? null
        : convention === 'brought-to-twenty'
          ? counted.reduce((sum, f) => sum + (f.coefficient * grade(f) * 20) / f.outOf, 0) /
            counted.reduce((sum, f) => sum + f.coefficient, 0)
          : (counted.reduce((sum, f) => sum + f.coefficient * grade(f), 0) /
              counted.reduce((sum, f) => sum + f.coefficient * f.outOf, 0)) *
            20;
    // "All" mode: mean of points per numeric level, strictly above a threshold to reach it.
    const sum = levels.reduce((total, l) => total + POINTS[l - 1], 0);
    const n = levels.length;
    const suggested = n === 0 ? null : sum > 45 * n ? 4 : sum > 33 * n ? 3 : sum > 18 * n ? 2 : 1;
    subjects.set(subjectId, {
      average,
      gradeIds: counted.map((f) => `${f.assessmentId}/${studentId}`),
      suggested,
      shown: subjectFinal ?? suggested,
    });
  }
  let weighted = 0;
  let weights = 0;
  for (const [subjectId, { average }] of subjects)
    if (average !== null) {
      weighted += SUBJECT_COEFFICIENTS[subjectId] * average;
      weights += SUBJECT_COEFFICIENTS[subjectId];
    }
  return { subjects, general: weights > 0 ? weighted / weights : null };
};

const closeOrNull = (actual: number | null, expected: number | null) => {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 9);
};

const expectAgreesWithOracle = (
  db: Database,
  facts: readonly Facts[],
  finals: readonly (readonly [number, 1 | 2 | 3 | 4 | null])[],
) => {
  for (const convention of ['brought-to-twenty', 'weighted-by-scale'] as const) {
    const { results } = figuresOf(db, convention);
    for (const result of results) {
      const expected = oracle(facts, result.studentId, convention, finalOf(finals, result.studentId));
      expect(result.subjects.map((s) => s.subjectId)).toEqual([...expected.subjects.keys()].sort());
      for (const s of result.subjects) {
        const oracleSubject = expected.subjects.get(s.subjectId)!;
        closeOrNull(s.average.value, oracleSubject.average);
        expect(s.average.gradeIds).toEqual(oracleSubject.gradeIds);
        expect([s.positioning.suggested.level, s.positioning.shown]).toEqual([
          oracleSubject.suggested,
          oracleSubject.shown,
        ]);
      }
      closeOrNull(result.general.value, expected.general);
    }
  }
};

const everyAverage = (figures: ReturnType<typeof figuresOf>): number[] =>
  [
    ...figures.results.flatMap((r) => [...r.subjects.map((s) => s.average.value), r.general.value]),
    ...figures.statistics.subjects.flatMap((s) => [s.average, s.min, s.max]),
    figures.statistics.general.average,
    figures.statistics.general.min,
    figures.statistics.general.max,
  ].filter(isNumber);

const parameters = { numRuns: 80 };

describe('the assessments read model and its figures, for any history', () => {
  it('(a) do not depend on how the streams of different assessments interleave', () =>
    fc.assert(
      fc.property(
        plansArbitrary,
        finalsArbitrary,
        picksArbitrary,
        picksArbitrary,
        (plans, finals, left, right) => {
          const built = plans.map((p) => build(p));
          const streams = [...built.map((b) => b.events), reportEvents(finals)];
          const facts = built.map((b) => b.facts);
          const one = project(recorded(interleave(streams, left)));
          const other = project(recorded(interleave(streams, right)));
          try {
            expect(allRows(one)).toEqual(allRows(other));
            expect(readClassReports(one, tables, SCHOOL, '5B', 'T1')).toEqual(
              readClassReports(other, tables, SCHOOL, '5B', 'T1'),
            );
            for (const convention of ['brought-to-twenty', 'weighted-by-scale'] as const)
              expect(figuresOf(one, convention)).toEqual(figuresOf(other, convention));
            expectAgreesWithOracle(one, facts, finals);
          } finally {
            one.close();
            other.close();
          }
        },
      ),
      propertyParameters(parameters),
    ));

  it('(b) a correction followed by its reverse leaves every figure as it was', () =>
    fc.assert(
      fc.property(
        plansArbitrary,
        fc.nat(),
        fc.nat(),
        student,
        item,
        fc.option(gradeArbitrary(1), { nil: null }),
        fc.option(levelArbitrary, { nil: null }),
        (plans, which, at, s, i, value, level) => {
          const target = which % plans.length;
          const ops = plans[target].ops.length;
          // Before an operation, or after the last one.
          const extra = { at: at % (ops + 1), student: s, item: i, value, level };
          const plain = project(recorded(plans.map((p) => build(p)).flatMap((b) => b.events)));
          const corrected = project(
            recorded(
              plans
                .map((p, index) => build(p, index === target ? extra : undefined))
                .flatMap((b) => b.events),
            ),
          );
          try {
            const cells = (db: Database) =>
              allRows(db).map((r) => ({
                assessmentId: r.assessmentId,
                grades: r.grades,
                levels: Object.fromEntries(
                  Object.entries(r.levels).filter(([, byStudent]) => Object.keys(byStudent).length > 0),
                ),
              }));
            expect(cells(corrected)).toEqual(cells(plain));
            for (const convention of ['brought-to-twenty', 'weighted-by-scale'] as const)
              expect(figuresOf(corrected, convention)).toEqual(figuresOf(plain, convention));
          } finally {
            plain.close();
            corrected.close();
          }
        },
      ),
      propertyParameters(parameters),
    ));

  it('(c) every average, of a student or of the class, is within [0, 20]', () =>
    fc.assert(
      fc.property(plansArbitrary, (plans) => {
        const db = project(recorded(plans.flatMap((p) => build(p).events)));
        try {
          for (const convention of ['brought-to-twenty', 'weighted-by-scale'] as const)
            for (const value of everyAverage(figuresOf(db, convention))) {
              expect(value).toBeGreaterThanOrEqual(0);
              expect(value).toBeLessThanOrEqual(20);
            }
        } finally {
          db.close();
        }
      }),
      propertyParameters(parameters),
    ));

  it('(d) rebuilt in one batch, in random batches or event by event, holds the same tables', () =>
    fc.assert(
      fc.property(
        plansArbitrary,
        finalsArbitrary,
        picksArbitrary,
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 20 }),
        (plans, finals, picks, cuts) => {
          const events = recorded(
            interleave([...plans.map((p) => build(p).events), reportEvents(finals)], picks),
          );
          const whole = project(events);
          const split = project(
            events,
            cuts.flatMap((c) => Array<number>(8).fill(c)),
          );
          const oneByOne = project(
            events,
            events.map(() => 1),
          );
          try {
            const expected = rowsOf(whole, tables);
            expect(rowsOf(split, tables)).toEqual(expected);
            expect(rowsOf(oneByOne, tables)).toEqual(expected);
          } finally {
            whole.close();
            split.close();
            oneByOne.close();
          }
        },
      ),
      propertyParameters(parameters),
    ));

  it('(d) through the store and the runner: the live read model, caught up between appends, equals a rebuild from zero', () =>
    fc.assert(
      fc.asyncProperty(
        plansArbitrary,
        finalsArbitrary,
        picksArbitrary,
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 50 }),
        async (plans, finals, picks, appends, liveBatch, rebuildBatch) => {
          const events = recorded(
            interleave([...plans.map((p) => build(p).events), reportEvents(finals)], picks),
          );
          const files = tempFiles();
          const store = openStore(files.eventsPath);
          const live = openReadModels(files.readModelsPath);
          const fresh = new BetterSqlite3(':memory:');
          try {
            const runnerOn = (db: Database, batchSize: number) =>
              new ProjectionRunner({ store, db, projections: [assessmentsProjection], batchSize });
            for (let at = 0, i = 0; at < events.length; i++) {
              const chunk = events.slice(at, at + appends[i % appends.length]);
              at += chunk.length;
              // One append per event: each is its own command, as in the application.
              for (const e of chunk)
                await store.appendToStream(e.streamId, [
                  { type: e.type, data: e.data, metadata: e.metadata },
                ]);
              await runnerOn(live, liveBatch).catchUp();
            }
            const caughtUp = runnerOn(live, liveBatch);
            await caughtUp.catchUp();
            const rebuilt = runnerOn(fresh, rebuildBatch);
            await rebuilt.catchUp();
            expect(rowsOf(fresh, rebuilt.tables(assessmentsProjection.name))).toEqual(
              rowsOf(live, caughtUp.tables(assessmentsProjection.name)),
            );
            // And the same as the events applied directly in one batch (positions as the store gave them).
            const direct = project(events);
            try {
              expect(rowsOf(fresh, rebuilt.tables(assessmentsProjection.name))).toEqual(
                rowsOf(direct, tables),
              );
            } finally {
              direct.close();
            }
          } finally {
            await store.close();
            live.close();
            fresh.close();
            files.remove();
          }
        },
      ),
      propertyParameters({ numRuns: 25 }),
    ));
});
