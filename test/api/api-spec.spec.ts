import { schoolStreamId } from '../../src/domain/structure/school';
import { classOpened, schoolYearDefined, trimestersSet } from '../domain/structure/structure-fixtures';
import { apiSpec } from '../support/api-spec';
import { SCHOOL, TEST_NOW, tokenFor } from '../support/http';
import { rollCallStream, rollCallTakenOf, schoolStreams } from './attendance/attendance-school';

describe('the API spec helper (given streams → request → answer and new events)', () => {
  const spec = apiSpec();
  const school = schoolStreamId(SCHOOL);
  const yearWith5A = { stream: school, events: [schoolYearDefined(), trimestersSet(), classOpened('5A')] };
  const openClass = (classId: string) => async (http: ReturnType<typeof spec.http>) =>
    http
      .post(`/schools/${SCHOOL}/classes`)
      .set('Authorization', await tokenFor('principal'))
      .send({ classId });

  it('writes the given streams with their metadata, in views a request reads without ?minPosition', async () => {
    const lesson = { classId: '5B', date: '2026-11-16', slot: 'M1' };
    await spec.given(schoolStreams(), rollCallStream(lesson, rollCallTakenOf(lesson, { absent: ['b1'] })));
    const recorded = await spec.store.readAll();
    expect(recorded.map((event) => event.position)).toEqual(recorded.map((_, index) => BigInt(index + 1)));
    const [first] = recorded;
    const rollCall = recorded[recorded.length - 1];
    expect(first.metadata).toEqual({
      commandId: 'given-1',
      correlationId: 'given-1',
      causationId: 'given-1',
      actor: { id: 'principal-01', role: 'principal' },
      schoolId: SCHOOL,
      recordedAt: new Date(TEST_NOW).toISOString(),
      schemaVersion: 1,
    });
    expect(rollCall.metadata.actor).toEqual({ id: 'teacher-01', role: 'teacher' });

    const { response } = await spec
      .when(async (http) =>
        http
          .get(`/schools/${SCHOOL}/roll-calls/5B/2026-11-16/M1`)
          .set('Authorization', await tokenFor('cpe')),
      )
      .send();
    expect(response.status).toBe(200);
    expect(response.body.current.absent).toEqual([expect.objectContaining({ studentId: 'b1' })]);
  });

  it('starts every test on an empty store', async () => {
    expect(await spec.store.headPosition()).toBe(0n);
  });

  it('passes when the request appends exactly the expected events, and gives them back', async () => {
    const { newEvents } = await spec
      .given(yearWith5A)
      .when(openClass('5B'))
      .then({
        status: 201,
        body: { events: ['ClassOpened'] },
        newEvents: [{ stream: school, events: [classOpened('5B')] }],
      });
    expect(newEvents.map((event) => event.position)).toEqual([4n]);
    expect(newEvents[0].metadata.actor).toEqual({ id: 'principal-01', role: 'principal' });
  });

  it('fails when a new event differs from the expected one', async () => {
    await expect(
      spec
        .given(yearWith5A)
        .when(openClass('5B'))
        .then({ status: 201, newEvents: [{ stream: school, events: [classOpened('5C')] }] }),
    ).rejects.toThrow(/toEqual/);
  });

  it('fails when the request wrote events where none were expected, or answered another status', async () => {
    await spec.given(yearWith5A);
    await expect(spec.when(openClass('5B')).then({ status: 201, newEvents: [] })).rejects.toThrow(
      /ClassOpened/,
    );
    await expect(spec.when(openClass('5A')).then({ status: 200 })).rejects.toThrow(
      /expected 200, but POST \S+\/classes answered 201 \{"position":"4"/,
    );
  });

  it('fails when the answer lacks an expected property', async () => {
    await expect(
      spec
        .given(yearWith5A)
        .when(openClass('5B'))
        .then({ status: 201, body: { events: ['ClassOpened', 'ClassClosed'] } }),
    ).rejects.toThrow(/toMatchObject/);
  });
});
