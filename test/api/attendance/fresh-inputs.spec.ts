import { AttendanceInputs } from '../../../src/api/attendance/attendance-inputs';
import { PROJECTION_RUNNER } from '../../../src/api/core/tokens';
import { ProjectionRunner } from '../../../src/projections/projection-runner';
import { SCHOOL_YEAR_2026 } from '../../import/import-harness';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../../support/http';

describe('the inputs of attendance decisions', () => {
  let app: TestApp;
  let runner: ProjectionRunner;
  let inputs: AttendanceInputs;
  beforeAll(async () => {
    app = await startTestApp();
    runner = app.app.get<ProjectionRunner>(PROJECTION_RUNNER);
    inputs = app.app.get(AttendanceInputs);
    await app
      .http()
      .put(`/schools/${SCHOOL}/year`)
      .set('Authorization', await tokenFor('principal'))
      .send(SCHOOL_YEAR_2026)
      .expect(200);
  });
  afterAll(() => app?.close());

  it('are read again once the structure views catch up when a decision refuses what they do not show yet', async () => {
    await runner.stop();
    await app
      .http()
      .post(`/schools/${SCHOOL}/classes`)
      .set('Authorization', await tokenFor('principal'))
      .send({ classId: '4C' })
      .expect(201);
    let attempts = 0;
    const restart = setTimeout(() => runner.start(), 50);
    const kind = await inputs.withFreshInputs(async () => {
      attempts++;
      return inputs.requireClassOrGroup(SCHOOL, '4C');
    });
    clearTimeout(restart);
    expect([kind, attempts]).toEqual(['class', 2]);
  });

  it('refuse at once, without waiting, what the caught-up views do not have', async () => {
    // Caught up by this test itself, not by whichever test ran before it.
    await runner.catchUp();
    let attempts = 0;
    const refusal = inputs.withFreshInputs(async () => {
      attempts++;
      return inputs.requireClassOrGroup(SCHOOL, '4Z');
    });
    await expect(refusal).rejects.toMatchObject({ code: 'STRUCTURE.CLASS_UNKNOWN' });
    expect(attempts).toBe(1);
  });
});
