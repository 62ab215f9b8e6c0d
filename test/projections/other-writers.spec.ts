import { SqliteEventStore } from '../../src/event-store/sqlite';
import { anEvent, uniqueName } from '../event-store/events';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

/** What `registre import …` does from another process: append to the server's events file. */
const appendFromAnotherProcess = async (app: TestApp, streamId: string): Promise<bigint> => {
  const cli = SqliteEventStore.open({ path: app.config.dbPath, synchronous: 'normal' });
  try {
    return (await cli.appendToStream(streamId, [anEvent('StudentRegistered', { studentId: 'e1' })])).position;
  } finally {
    await cli.close();
  }
};

describe.each(['worker', 'main'])('a running server with its projections on the %s thread', (thread) => {
  let app: TestApp;
  let auditor: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { REGISTRE_PROJECTION_THREAD: thread } });
    auditor = await tokenFor('auditor');
  });
  afterAll(() => app.close());

  it('shows in its views what another process appended, without any further command', async () => {
    const streamId = uniqueName(`student-${SCHOOL}`);
    const position = await appendFromAnotherProcess(app, streamId);

    const deadline = Date.now() + 5000;
    let entries: { position: string }[] = [];
    while (entries.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await app
        .http()
        .get(`/schools/${SCHOOL}/audit?stream=${streamId}`)
        .set('Authorization', auditor);
      entries = res.body.entries;
    }

    expect(entries).toEqual([expect.objectContaining({ position: position.toString(), streamId })]);
  });
});
