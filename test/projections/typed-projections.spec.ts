import { Database } from 'better-sqlite3';
import { RollCallEvent } from '../../src/domain/attendance';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { buildAsOf, defineProjection, ProjectionRunner, Recorded } from '../../src/projections';
import { appendEach, checkpointsOf, openReadModels, openStore, TempFiles, tempFiles } from './support';

/** A projection over the roll call's events that keeps, outside its tables, every event it was handed. */
const rollCallWatcher = (handed: Recorded<RollCallEvent>[]) =>
  defineProjection<RollCallEvent>()({
    name: 'roll-call-watcher',
    version: 1,
    tables: ['seen'],
    handles: ['RollCallTaken', 'RollCallAmended', 'RollCallVoided'],
    setup(db, t) {
      db.exec(`CREATE TABLE "${t.seen}" (position INTEGER PRIMARY KEY) STRICT`);
    },
    apply(_db, _t, events) {
      handed.push(...events);
    },
  });

describe('a typed projection', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;

  beforeEach(() => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
  });

  afterEach(async () => {
    await store.close();
    db.close();
    files.remove();
  });

  const appendMixedLog = async (): Promise<bigint> => {
    await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallTaken', 1);
    await appendEach(store, 'student-0670001A-s1', 'StudentRegistered', 2);
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 1);
    await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallVoided', 1);
    return appendEach(store, 'school-0670001A', 'SettingChanged', 1);
  };

  it('is never handed an event outside `handles`, and its checkpoint still moves past them', async () => {
    const head = await appendMixedLog();
    const handed: Recorded<RollCallEvent>[] = [];
    const runner = new ProjectionRunner({ store, db, projections: [rollCallWatcher(handed)], batchSize: 2 });

    await runner.catchUp();

    expect(handed.map((event) => [event.position, event.type])).toEqual([
      [1n, 'RollCallTaken'],
      [5n, 'RollCallVoided'],
    ]);
    expect(checkpointsOf(db, 'roll-call-watcher')[0].checkpoint).toBe(Number(head));
  });

  it('is handed the same events when built as of a position', async () => {
    const head = await appendMixedLog();
    const handed: Recorded<RollCallEvent>[] = [];

    (await buildAsOf(rollCallWatcher(handed), store, head, { batchSize: 2 })).db.close();

    expect(handed.map((event) => event.type)).toEqual(['RollCallTaken', 'RollCallVoided']);
  });

  it('does not compile when `handles` and its event union disagree', () => {
    // Checked by tsc (npm run lint, before npm test): jest's transform strips the types.
    const over = defineProjection<RollCallEvent>();
    const definition = {
      name: 'mistyped',
      version: 1,
      tables: [],
      setup: () => undefined,
      apply: () => undefined,
    };

    over({
      ...definition,
      // @ts-expect-error StudentRegistered is not a roll call event
      handles: ['RollCallTaken', 'RollCallAmended', 'RollCallVoided', 'StudentRegistered'],
    });
    // @ts-expect-error RollCallVoided is missing from `handles`
    over({ ...definition, handles: ['RollCallTaken', 'RollCallAmended'] });

    expect(
      over({ ...definition, handles: ['RollCallVoided', 'RollCallTaken', 'RollCallAmended'] }).handles,
    ).toEqual(['RollCallVoided', 'RollCallTaken', 'RollCallAmended']);
  });
});
