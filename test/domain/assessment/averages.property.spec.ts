import fc from 'fast-check';
import {
  Assessment,
  assessmentDecider,
  AssessmentCommand,
  AssessmentEvent,
  assessmentForAverages,
  classStatistics,
  currentGrades,
  generalAverage,
  GradeValue,
  isMarker,
  subjectAverages,
} from '../../../src/domain/assessment';
import { AverageConvention } from '../../../src/domain/settings/settings';
import { ENROLLED, correctGrade, createAssessment, recordGrades } from './fixtures';

// ---- what a teacher entered, stated as final facts -----------------------------------------------

const STUDENTS = ['s01', 's02', 's03', 's04'];
const SUBJECTS = ['MATHS', 'FRANCAIS'];
const COEFFICIENTS = { MATHS: 3, FRANCAIS: 2 };

type Plan = {
  readonly assessmentId: string;
  readonly subjectId: string;
  readonly date: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
  /** What each student was first given (undefined: not graded). */
  readonly entered: readonly (GradeValue | undefined)[];
  /** At most one correction per student, to its final value (null: grade removed). */
  readonly corrections: readonly { readonly student: number; readonly value: GradeValue | null }[];
};

const gradeOutOf = (outOf: number): fc.Arbitrary<GradeValue> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: outOf * 100 }).map((hundredths) => hundredths / 100) },
    { weight: 1, arbitrary: fc.constantFrom<GradeValue>('ABS', 'DISP', 'NN') },
  );

const plan = (index: number): fc.Arbitrary<Plan> =>
  fc
    .record({
      subjectId: fc.constantFrom(...SUBJECTS),
      date: fc.constantFrom('2026-09-14', '2026-10-05', '2026-12-07'),
      outOf: fc.oneof(fc.constant(20), fc.integer({ min: 1, max: 100 })),
      coefficient: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(0.5)),
      formative: fc.boolean(),
    })
    .chain((terms) =>
      fc.record({
        assessmentId: fc.constant(`a${index}`),
        subjectId: fc.constant(terms.subjectId),
        date: fc.constant(terms.date),
        outOf: fc.constant(terms.outOf),
        coefficient: fc.constant(terms.coefficient),
        formative: fc.constant(terms.formative),
        entered: fc.array(fc.option(gradeOutOf(terms.outOf), { nil: undefined }), {
          minLength: STUDENTS.length,
          maxLength: STUDENTS.length,
        }),
        corrections: fc.uniqueArray(
          fc.record({
            student: fc.integer({ min: 0, max: STUDENTS.length - 1 }),
            value: fc.option(gradeOutOf(terms.outOf), { nil: null }),
          }),
          { selector: (c) => c.student, maxLength: STUDENTS.length },
        ),
      }),
    );

const plans = fc
  .integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => plan(i + 1))));

// ---- the oracle: the formulas of DOMAIN.md on the final facts, nothing of the code under test ------

const finalGrade = (p: Plan, student: number): GradeValue | undefined => {
  const correction = p.corrections.find((c) => c.student === student);
  if (correction === undefined) return p.entered[student];
  return correction.value ?? undefined;
};

const periodOfDate = (date: string) => (date < '2026-12-01' ? 'T1' : 'T2');

const oracleSubjectAverage = (
  all: readonly Plan[],
  student: number,
  subjectId: string,
  periodId: string,
  convention: AverageConvention,
): number | null => {
  const counted = all.flatMap((p) => {
    const grade = finalGrade(p, student);
    return p.subjectId === subjectId &&
      periodOfDate(p.date) === periodId &&
      typeof grade === 'number' &&
      !p.formative &&
      p.coefficient > 0
      ? [{ grade, outOf: p.outOf, coefficient: p.coefficient }]
      : [];
  });
  if (counted.length === 0) return null;
  const total = (f: (c: (typeof counted)[number]) => number) => counted.reduce((sum, c) => sum + f(c), 0);
  return convention === 'brought-to-twenty'
    ? (20 * total((c) => c.coefficient * (c.grade / c.outOf))) / total((c) => c.coefficient)
    : (20 * total((c) => c.coefficient * c.grade)) / total((c) => c.coefficient * c.outOf);
};

// ---- the code under test: commands through the decider, events in some arrival order -------------

const decideAll = (commands: readonly AssessmentCommand[]): AssessmentEvent[] => {
  let state: Assessment = assessmentDecider.initialState();
  const events: AssessmentEvent[] = [];
  for (const command of commands)
    for (const event of assessmentDecider.decide(command, state)) {
      events.push(event);
      state = assessmentDecider.evolve(state, event);
    }
  return events;
};

/** One assessment's stream: created, its grades recorded in batches, then corrected, in the given orders. */
const streamOf = (p: Plan, batchOrder: readonly number[], correctionOrder: readonly number[]) => {
  const graded = STUDENTS.map((studentId, i) => ({ studentId, value: p.entered[i] })).filter(
    (g): g is { studentId: string; value: GradeValue } => g.value !== undefined,
  );
  const batches = [graded.filter((_, i) => i % 2 === 0), graded.filter((_, i) => i % 2 === 1)];
  return decideAll([
    createAssessment({
      assessmentId: p.assessmentId,
      subjectId: p.subjectId,
      date: p.date,
      outOf: p.outOf,
      coefficient: p.coefficient,
      formative: p.formative,
      actorScope: { classes: ['5B'], subjects: SUBJECTS },
    }),
    ...batchOrder.map((b) =>
      recordGrades(batches[b], {
        assessmentId: p.assessmentId,
        actorScope: { classes: ['5B'], subjects: SUBJECTS },
      }),
    ),
    ...correctionOrder.map((c) =>
      correctGrade(STUDENTS[p.corrections[c].student], p.corrections[c].value, {
        assessmentId: p.assessmentId,
        actorScope: { classes: ['5B'], subjects: SUBJECTS },
      }),
    ),
  ]);
};

/** Every figure a view shows, from the events of every stream as they arrived. */
const figures = (events: readonly AssessmentEvent[], convention: AverageConvention) => {
  const states = new Map<string, Assessment>();
  for (const event of events) {
    const id = event.data.assessmentId;
    states.set(id, assessmentDecider.evolve(states.get(id) ?? assessmentDecider.initialState(), event));
  }
  const created = [...states.values()].flatMap((s) => (s.status === 'none' ? [] : [s]));
  const averages = subjectAverages(
    created.map(assessmentForAverages),
    created.flatMap(currentGrades),
    convention,
  );
  const generals = STUDENTS.flatMap((studentId) =>
    ['T1', 'T2'].map((periodId) =>
      generalAverage(
        { studentId, periodId },
        averages.filter((a) => a.studentId === studentId && a.periodId === periodId),
        COEFFICIENTS,
      ),
    ),
  );
  const statistics = SUBJECTS.flatMap((subjectId) =>
    ['T1', 'T2'].map((periodId) =>
      classStatistics(averages.filter((a) => a.subjectId === subjectId && a.periodId === periodId)),
    ),
  );
  return {
    averages,
    generals,
    statistics,
    overall: ['T1', 'T2'].map((p) => classStatistics(generals.filter((g) => g.periodId === p))),
  };
};

/** Interleaves the streams in the order the ticket list says, each stream keeping its own order. */
const interleave = (streams: readonly AssessmentEvent[][], tickets: readonly number[]): AssessmentEvent[] => {
  const cursors = streams.map(() => 0);
  const merged: AssessmentEvent[] = [];
  for (const ticket of tickets) {
    const stream = ticket % streams.length;
    if (cursors[stream] < streams[stream].length) merged.push(streams[stream][cursors[stream]++]);
  }
  streams.forEach((events, i) => merged.push(...events.slice(cursors[i])));
  return merged;
};

const conventions = fc.constantFrom<AverageConvention>('brought-to-twenty', 'weighted-by-scale');
const permutationOf = (length: number) =>
  fc.shuffledSubarray(
    Array.from({ length }, (_, i) => i),
    { minLength: length, maxLength: length },
  );

describe('averages, for any grades, corrections and settings', () => {
  it('match the oracle and do not depend on the order in which grades and corrections arrive', () =>
    fc.assert(
      fc.property(
        plans.chain((ps) =>
          fc.tuple(
            fc.constant(ps),
            fc.tuple(...ps.map((p) => fc.tuple(permutationOf(2), permutationOf(p.corrections.length)))),
            fc.array(fc.nat(), { maxLength: 60 }),
          ),
        ),
        conventions,
        ([ps, orders, tickets], convention) => {
          const inOrder = ps.flatMap((p) =>
            streamOf(
              p,
              [0, 1],
              p.corrections.map((_, i) => i),
            ),
          );
          const shuffled = interleave(
            ps.map((p, i) => streamOf(p, orders[i][0], orders[i][1])),
            tickets,
          );
          const expected = figures(inOrder, convention);
          expect(figures(shuffled, convention)).toEqual(expected);
          for (const average of expected.averages) {
            const oracle = oracleSubjectAverage(
              ps,
              STUDENTS.indexOf(average.studentId),
              average.subjectId,
              average.periodId,
              convention,
            );
            if (oracle === null) expect(average.value).toBeNull();
            else expect(average.value).toBeCloseTo(oracle, 9);
          }
        },
      ),
      { numRuns: 200 },
    ));

  it('are all as they were after a correction followed by its reverse', () =>
    fc.assert(
      fc.property(
        plans,
        fc.nat(),
        fc.nat(),
        fc.option(gradeOutOf(1), { nil: null }),
        conventions,
        (ps, which, student, value, convention) => {
          const p = ps[which % ps.length];
          const studentId = STUDENTS[student % STUDENTS.length];
          const history = ps.flatMap((q) =>
            streamOf(
              q,
              [0, 1],
              q.corrections.map((_, i) => i),
            ),
          );
          const stream = history.filter((e) => e.data.assessmentId === p.assessmentId);
          const state = stream.reduce(assessmentDecider.evolve, assessmentDecider.initialState());
          if (state.status === 'none') throw new Error('no assessment');
          const before = state.grades.get(studentId) ?? null;
          const scope = { assessmentId: p.assessmentId, actorScope: { classes: ['5B'], subjects: SUBJECTS } };
          const there = assessmentDecider.decide(correctGrade(studentId, value, scope), state);
          const after = there.reduce(assessmentDecider.evolve, state);
          const back = assessmentDecider.decide(correctGrade(studentId, before, scope), after);
          expect(figures([...history, ...there, ...back], convention)).toEqual(figures(history, convention));
        },
      ),
      { numRuns: 200 },
    ));

  it('are always within [0, 20]', () =>
    fc.assert(
      fc.property(plans, conventions, (ps, convention) => {
        const { averages, generals, statistics, overall } = figures(
          ps.flatMap((p) =>
            streamOf(
              p,
              [0, 1],
              p.corrections.map((_, i) => i),
            ),
          ),
          convention,
        );
        const values = [
          ...averages.map((a) => a.value),
          ...generals.map((g) => g.value),
          ...[...statistics, ...overall].flatMap((s) => [s.average, s.min, s.max]),
        ].filter((v): v is number => v !== null);
        for (const value of values) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(20);
        }
      }),
      { numRuns: 200 },
    ));

  it('count every grade entered once, markers excepted: the sources name exactly the counted grades', () =>
    fc.assert(
      fc.property(plans, conventions, (ps, convention) => {
        const { averages } = figures(
          ps.flatMap((p) =>
            streamOf(
              p,
              [0, 1],
              p.corrections.map((_, i) => i),
            ),
          ),
          convention,
        );
        const expected = ps
          .flatMap((p) =>
            STUDENTS.map((studentId, i) => ({ p, studentId, grade: finalGrade(p, i) })).filter(
              ({ p: q, grade }) =>
                grade !== undefined && !isMarker(grade) && !q.formative && q.coefficient > 0,
            ),
          )
          .map(({ p, studentId }) => `${p.assessmentId}/${studentId}`)
          .sort();
        expect(averages.flatMap((a) => a.gradeIds).sort()).toEqual(expected);
      }),
      { numRuns: 100 },
    ));
});

it('draws its students from those the fixtures enrol', () =>
  expect([...ENROLLED].slice(0, 4)).toEqual(STUDENTS));
