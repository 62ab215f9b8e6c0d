import { DEMO_HISTORY_END, DEMO_SEED, DemoSchool, buildDemoSchool, demoGuide } from '../../src/demo';
import { loadConfig } from '../../src/config';
import { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { TEST_SECRET, testClock } from '../support/http';
import { TempDir, tempDir } from '../support/temp-db';
import { AFTER_THE_MONTH } from './demo-fixtures';

const SCHOOL = '0670001A';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
const dataOf = (e: RecordedEvent): Data => e.data;

describe('the demo school’s class councils of the first trimester', () => {
  let dir: TempDir;
  let store: SqliteEventStore;
  let demo: DemoSchool;
  let events: readonly RecordedEvent[];
  const ofStream = (streamId: string) => events.filter((e) => e.streamId === streamId);

  beforeAll(async () => {
    dir = tempDir('registre-demo-council-');
    store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    demo = await buildDemoSchool(store, { now: AFTER_THE_MONTH });
    events = await store.readAll();
  });

  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('holds 5A’s council on 27 November: scheduled, a synthesis per student, mentions, the class appreciation, then the hold', () => {
    // Given the demo built, when 5A's council stream is read
    const council = ofStream(`council-${SCHOOL}-5A-T1`);
    // Then it was scheduled on 9 November for the 27th and held that evening by the principal
    const counts = new Map<string, number>();
    for (const e of council) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    expect([...counts]).toEqual([
      ['CouncilScheduled', 1],
      ['StudentSynthesisWritten', 27],
      ['MentionAwarded', 6],
      ['ClassAppreciationWritten', 1],
      ['CouncilHeld', 1],
    ]);
    expect(dataOf(council[0])).toMatchObject({ classId: '5A', periodId: 'T1', date: '2026-11-27' });
    expect(council[0].metadata.recordedAt).toBe('2026-11-09T09:00:00.000Z');
    const held = council[council.length - 1];
    expect([held.type, held.metadata.recordedAt, held.metadata.actor]).toEqual([
      'CouncilHeld',
      '2026-11-27T18:00:00.000Z',
      { id: 'principal-01', role: 'principal' },
    ]);
    expect(dataOf(held)).toMatchObject({
      heldOn: '2026-11-27',
      snapshot: { period: { id: 'T1', start: '2026-09-01', end: '2026-11-30' } },
    });
    // The student who moved to 5B on 16 November is not 5A's on the period's last day.
    expect(dataOf(held).students).toHaveLength(27);
    expect(dataOf(held).students).not.toContain('120060');
    const mentions = council.filter((e) => e.type === 'MentionAwarded').map((e) => dataOf(e).mention);
    expect([...new Set(mentions)].sort()).toEqual(['Encouragements', 'Félicitations']);
  });

  it('corrects one of 5A’s grades after the hold: the principal, with a reason', () => {
    // Given 5A's hold, when the events of 5A's assessments after it are read
    const held = ofStream(`council-${SCHOOL}-5A-T1`).find((e) => e.type === 'CouncilHeld')!;
    const after = events.filter(
      (e) => e.streamId.startsWith(`assessment-${SCHOOL}-T1-5A-`) && e.position > held.position,
    );
    // Then there is exactly one, a grade correction by the principal with its reason, that evening
    expect(after.map((e) => [e.streamId, e.type, e.metadata.actor, e.metadata.recordedAt])).toEqual([
      [
        `assessment-${SCHOOL}-T1-5A-MATHS-02`,
        'GradeCorrected',
        { id: 'principal-01', role: 'principal' },
        '2026-11-27T20:10:00.000Z',
      ],
    ]);
    expect(after[0].metadata.reason).toBe(
      'copie recomptée après le conseil de classe : 1 au lieu de 3, un exercice oublié dans le total',
    );
    expect(dataOf(after[0])).toMatchObject({ studentId: '120057', value: 3, previous: 1 });
    expect(after[0].metadata.commandId.startsWith(`${DEMO_SEED}:`)).toBe(true);
    expect(after[0].metadata.recordedAt < DEMO_HISTORY_END).toBe(true);
  });

  it('schedules 5B’s council for 3 December, still to come', () => {
    // Given the demo built, when 5B's council stream is read
    const council = ofStream(`council-${SCHOOL}-5B-T1`);
    // Then it holds the scheduling alone
    expect(council.map((e) => [e.type, dataOf(e).date, e.metadata.recordedAt])).toEqual([
      ['CouncilScheduled', '2026-12-03', '2026-11-23T09:00:00.000Z'],
    ]);
  });

  it('prints the councils and a curl line for the council view and its readiness', async () => {
    const config = loadConfig({ REGISTRE_DB_PATH: dir.file('cli.db'), REGISTRE_JWT_SECRET: TEST_SECRET });
    const guide = (await demoGuide(config, demo, 'http://localhost:3000', testClock)).join('\n');
    expect(guide).toContain('Class councils of T1:');
    expect(guide).toContain(
      '5A: held on 2026-11-27 by the principal — 27 syntheses for its 27 students, 6 mentions',
    );
    expect(guide).toContain(
      'grade on T1-5A-MATHS-02 from 1 to 3 (« copie recomptée après le conseil de classe',
    );
    expect(guide).toContain('5B: council scheduled on 2026-12-03, still to come');
    expect(guide).toContain('"http://localhost:3000/schools/0670001A/councils/5A/T1"');
    expect(guide).toContain('"http://localhost:3000/schools/0670001A/councils/5B/T1/readiness"');
  });
});
