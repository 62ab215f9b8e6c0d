import {
  DEMO_HISTORY_END,
  DEMO_SEED,
  DemoSchool,
  buildDemoSchool,
  demoGuide,
  demoStory,
  makeDemoRoster,
  weeklyLessons,
} from '../../src/demo';
import { loadConfig } from '../../src/config';
import { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { TEST_SECRET, testClock } from '../support/http';
import { TempDir, tempDir } from '../support/temp-db';
import { AFTER_THE_MONTH } from './demo-fixtures';

const SCHOOL = '0670001A';
const assessment = (id: string) => `assessment-${SCHOOL}-${id}`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
const dataOf = (e: RecordedEvent): Data => e.data;

describe('the demo school’s first trimester of grades', () => {
  let dir: TempDir;
  let store: SqliteEventStore;
  let demo: DemoSchool;
  let events: readonly RecordedEvent[];
  const ofStream = (streamId: string) => events.filter((e) => e.streamId === streamId);

  beforeAll(async () => {
    dir = tempDir('registre-demo-grades-');
    store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    demo = await buildDemoSchool(store, { now: AFTER_THE_MONTH });
    events = await store.readAll();
  });

  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('writes 323 assessments over 62 classes, groups and subjects, and 60 class reports', () => {
    const assessments = new Set(
      events.filter((e) => e.streamId.startsWith('assessment-')).map((e) => e.streamId),
    );
    const reports = new Set(events.filter((e) => e.streamId.startsWith('report-')).map((e) => e.streamId));
    expect([assessments.size, reports.size]).toEqual([323, 60]);
    const created = events.filter((e) => e.type === 'AssessmentCreated').map(dataOf);
    const perPair = new Map<string, number>();
    for (const a of created)
      perPair.set(
        `${a.classOrGroupId} ${a.subjectId}`,
        (perPair.get(`${a.classOrGroupId} ${a.subjectId}`) ?? 0) + 1,
      );
    expect(perPair.size).toBe(62);
    // 4 to 6 each; 4A PHYCH has its copy entered twice on top of 6.
    expect([...perPair].filter(([, n]) => n < 4 || n > 6)).toEqual([['4A PHYCH', 7]]);
    expect(
      created.every((a) => a.periodId === 'T1' && a.date >= '2026-09-01' && a.date <= '2026-11-20'),
    ).toBe(true);
  });

  it('grades mostly out of 20, one /10 and one /5 per class and subject, coefficients 1 to 2, one formative', () => {
    const sixA = events
      .filter(
        (e) =>
          e.type === 'AssessmentCreated' &&
          dataOf(e).classOrGroupId === '6A' &&
          dataOf(e).subjectId === 'FRANC',
      )
      .map((e) => [dataOf(e).outOf, dataOf(e).coefficient, dataOf(e).formative]);
    expect(sixA.slice(0, 4)).toEqual([
      [20, 1, true],
      [5, 1, false],
      [20, 2, false],
      [10, 1, false],
    ]);
    const terms = events.filter((e) => e.type === 'AssessmentCreated').map(dataOf);
    expect(new Set(terms.map((a) => a.outOf))).toEqual(new Set([20, 10, 5]));
    // The only coefficient 3 is the mistake of 6A MATHS.
    expect(terms.filter((a) => a.coefficient === 3).map((a) => a.assessmentId)).toEqual(['T1-6A-MATHS-04']);
  });

  it('records the figures it prints: grades with ABS and DISP, levels on items linked to the socle', () => {
    const recorded = events.filter((e) => e.type === 'GradesRecorded').flatMap((e) => dataOf(e).grades);
    const levels = events.filter((e) => e.type === 'LevelsRecorded').flatMap((e) => dataOf(e).levels);
    expect(demo.highlights.grades.figures).toEqual({
      assessments: 323,
      cancelled: 1,
      assessmentsWithLevels: 124,
      grades: recorded.length,
      markers: recorded.filter((g: Data) => g.value === 'ABS' || g.value === 'DISP').length,
      levels: levels.length,
      positionings: 180,
      appreciations: 120,
      corrections: 6,
    });
    expect([recorded.length, levels.length]).toEqual([9043, 7446]);
    expect(recorded.some((g: Data) => g.value === 'DISP')).toBe(true);
    const [created] = ofStream(assessment('T1-6A-FRANC-03')).map(dataOf);
    expect(created.competencyItems).toEqual([
      { itemId: 'FRA-LIRE', label: 'Lire et comprendre un texte', socleComponent: 'CPD_FRA' },
      { itemId: 'FRA-ECRIRE', label: 'Écrire un texte cohérent', socleComponent: 'CPD_FRA' },
      { itemId: 'FRA-LANGUE', label: 'Maîtriser le fonctionnement de la langue', socleComponent: 'CPD_FRA' },
    ]);
    expect(new Set(levels.map((l: Data) => l.value))).toEqual(new Set([1, 2, 3, 4, 'ABS', 'DISP']));
  });

  it('sets a wrong coefficient back by a change with its reason, once the grades were in', () => {
    const stream = ofStream(assessment('T1-6A-MATHS-04'));
    expect(stream.map((e) => e.type)).toEqual(['AssessmentCreated', 'GradesRecorded', 'AssessmentChanged']);
    const changed = stream[2];
    expect(dataOf(changed)).toMatchObject({
      previous: { coefficient: 3, outOf: 10, formative: false },
      terms: { coefficient: 1, outOf: 10, formative: false },
      reason: expect.stringContaining('coefficient 3 saisi au lieu de 1'),
      changedBy: { id: 'prof-lefevre', role: 'teacher' },
    });
    expect(dataOf(changed).studentIds).toHaveLength(28);
    expect(changed.metadata.reason).toBe(dataOf(changed).reason);
    expect(changed.metadata.recordedAt).toBe('2026-10-12T15:40:00.000Z');
  });

  it('makes the diagnostic assessment counted by mistake formative', () => {
    const stream = ofStream(assessment('T1-4A-FRANC-01'));
    expect(stream.map((e) => e.type)).toEqual(['AssessmentCreated', 'GradesRecorded', 'AssessmentChanged']);
    expect(dataOf(stream[2])).toMatchObject({
      previous: { formative: false },
      terms: { formative: true, coefficient: 1 },
      reason: expect.stringContaining('« formative »'),
      changedBy: { id: 'prof-ndiaye', role: 'teacher' },
    });
  });

  it('swaps back two grades typed on each other’s line by two corrections under one correlation id', () => {
    const corrections = ofStream(assessment('T1-6B-MATHS-03')).filter((e) => e.type === 'GradeCorrected');
    expect(corrections.map((e) => [dataOf(e).studentId, dataOf(e).previous, dataOf(e).value])).toEqual([
      ['120029', 7, 11.5],
      ['120030', 11.5, 7],
    ]);
    expect(corrections.map((e) => e.metadata.correlationId)).toEqual([
      `${DEMO_SEED}:assessment:T1-6B-MATHS-03:swap-corrected`,
      `${DEMO_SEED}:assessment:T1-6B-MATHS-03:swap-corrected`,
    ]);
    expect(new Set(corrections.map((e) => e.metadata.commandId)).size).toBe(2);
    expect(dataOf(corrections[0]).reason).toContain('Léa MARTIN et de Lucas MARTIN inversées');
    expect(demo.highlights.grades.swappedGrades.studentIds).toEqual(['120029', '120030']);
  });

  it('corrects a 15 typed for a 5, and cancels the assessment entered twice with its reason', () => {
    const typo = ofStream(assessment('T1-5A-AGL1-03')).filter((e) => e.type === 'GradeCorrected');
    expect(typo.map((e) => [dataOf(e).studentId, dataOf(e).previous, dataOf(e).value])).toEqual([
      ['120063', 15, 5],
    ]);
    expect(ofStream(assessment('T1-4A-PHYCH-02-bis')).map((e) => e.type)).toEqual([
      'AssessmentCreated',
      'GradesRecorded',
      'AssessmentCancelled',
    ]);
    const cancelled = ofStream(assessment('T1-4A-PHYCH-02-bis'))[2];
    expect(dataOf(cancelled).reason).toContain('doublon de « Interrogation flash : mélanges »');
    expect(dataOf(cancelled).studentIds).toHaveLength(28);
    expect(ofStream(assessment('T1-4A-PHYCH-02')).map((e) => e.type)).toEqual([
      'AssessmentCreated',
      'GradesRecorded',
    ]);
  });

  it('grades the student who changed class with 5A before his move and with 5B after it', () => {
    const yanis = demo.roster.story.changesClass.studentId;
    const created = new Map(
      events.filter((e) => e.type === 'AssessmentCreated').map((e) => [dataOf(e).assessmentId, dataOf(e)]),
    );
    const gradedIn = events
      .filter((e) => e.type === 'GradesRecorded' && dataOf(e).grades.some((g: Data) => g.studentId === yanis))
      .map((e) => created.get(dataOf(e).assessmentId));
    expect(gradedIn.filter((a) => a.classOrGroupId === '5A').every((a) => a.date < '2026-11-16')).toBe(true);
    expect(gradedIn.filter((a) => a.classOrGroupId === '5B').every((a) => a.date >= '2026-11-16')).toBe(true);
    expect(demo.highlights.grades.classChange.gradedIn).toEqual({ '5A': 47, '5B': 4 });
    const fiveBAfter = [...created.values()].filter(
      (a) => a.classOrGroupId === '5B' && a.date >= '2026-11-16',
    );
    expect(fiveBAfter).toHaveLength(4);
  });

  it('has the teachers write as teachers, the reports before the council, appreciations within the LSU’s 600 characters', () => {
    const graded = events.filter(
      (e) => e.streamId.startsWith('assessment-') || e.streamId.startsWith('report-'),
    );
    // The one exception: the principal's correction after 5A's council (demo-council.spec.ts).
    expect(
      graded.filter((e) => e.metadata.actor.role !== 'teacher').map((e) => [e.streamId, e.metadata.actor.id]),
    ).toEqual([[assessment('T1-5A-MATHS-02'), 'principal-01']]);
    const positionings = events.filter((e) => e.type === 'PositioningSet').map(dataOf);
    expect(
      positionings.every((p) => [1, 2, 3, 4].includes(p.positioning) && [1, 2, 3, 4].includes(p.suggested)),
    ).toBe(true);
    expect(positionings.some((p) => p.positioning !== p.suggested)).toBe(true);
    const appreciations = events.filter((e) => e.type === 'AppreciationWritten').map(dataOf);
    expect(appreciations.every((a) => a.text.length > 0 && a.text.length <= 600)).toBe(true);
    expect(ofStream(`report-${SCHOOL}-6A-MATHS-T1`).map((e) => [e.type, e.metadata.actor.id])).toEqual([
      ['PositioningSet', 'prof-lefevre'],
      ['PositioningSet', 'prof-lefevre'],
      ['PositioningSet', 'prof-lefevre'],
      ['AppreciationWritten', 'prof-lefevre'],
      ['AppreciationWritten', 'prof-lefevre'],
    ]);
  });

  it('writes nothing when it is built a second time', async () => {
    const head = await store.headPosition();
    const again = await buildDemoSchool(store, { now: AFTER_THE_MONTH });
    expect(again).toMatchObject({ outcome: 'already-there', eventsWritten: 0 });
    expect(await store.headPosition()).toBe(head);
  });

  it('prints each grade-side mistake with the story', async () => {
    const config = loadConfig({ REGISTRE_DB_PATH: dir.file('cli.db'), REGISTRE_JWT_SECRET: TEST_SECRET });
    const guide = (await demoGuide(config, demo, 'http://localhost:3000', testClock)).join('\n');
    expect(guide).toContain(
      'Grades of T1 (2026-09-01 to 2026-11-30): 323 assessments (1 cancelled), 9043 grades',
    );
    expect(guide).toContain(
      '6A MATHS « Interrogation écrite : angles » (2026-10-05, prof-lefevre): created with coefficient 3 instead of 1',
    );
    expect(guide).toContain(
      '4A FRANC « Évaluation diagnostique : conjugaison » (2026-09-02, prof-ndiaye): a formative assessment counted',
    );
    expect(guide).toContain(
      "the grades of Léa MARTIN and Lucas MARTIN typed on each other's line, swapped back by two corrections under one correlation id",
    );
    expect(guide).toContain("15 typed for Ambre BAUMANN's 5, corrected");
    expect(guide).toContain('entered twice, the copy T1-4A-PHYCH-02-bis cancelled');
    expect(guide).toContain(
      'Yanis EL AMRANI changed class on 2026-11-16: graded on 47 5A and 4 5B assessments',
    );
  });
});

describe('the demo story’s grade steps', () => {
  it('come after the date they are about, and before the end of the demo’s month', () => {
    const { steps } = demoStory(makeDemoRoster(), weeklyLessons());
    const graded = steps.filter((s) => s.stream === 'assessment' || s.stream === 'report');
    expect(graded.length).toBeGreaterThan(900);
    expect(graded.filter((s) => s.at >= DEMO_HISTORY_END)).toEqual([]);
    const created = graded.flatMap((s) =>
      s.stream === 'assessment' && s.command.type === 'CreateAssessment' ? [s] : [],
    );
    expect(
      created.filter((s) => s.command.type === 'CreateAssessment' && s.at < `${s.command.date}T`),
    ).toEqual([]);
    expect(graded.filter((s) => !s.commandId.startsWith(`${DEMO_SEED}:`))).toEqual([]);
    expect(new Set(graded.map((s) => s.commandId)).size).toBe(graded.length);
  });
});
