import { schoolStreamId } from '../../../src/domain/structure/school';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import {
  CPE_01,
  LATIN,
  Lesson,
  rollCallAmendedOf,
  rollCallStream,
  rollCallTakenOf,
  rollCallVoidedOf,
  schoolStreams,
  Tokens,
  tokensFor,
} from './attendance-school';

/** Every test starts from its own store: the school of attendance-school.ts plus what it gives. */
describe('the roll-call API', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const rollCalls = `/schools/${SCHOOL}/roll-calls`;
  const take = (token: string, body: object, key?: string) => () => {
    const request = spec.http().post(rollCalls).set('Authorization', token);
    return (key ? request.set('Idempotency-Key', key) : request).send(body);
  };
  const correct = (token: string, lesson: string, correction: 'void' | 'revert', body: object) => () =>
    spec.http().post(`${rollCalls}/${lesson}/${correction}`).set('Authorization', token).send(body);
  const history = (token: string, lesson: string, minPosition = '0') =>
    spec.http().get(`${rollCalls}/${lesson}?minPosition=${minPosition}`).set('Authorization', token);

  const monday16 = { classId: '5B', date: '2026-11-16', slot: 'M1' };
  const b2Late = [{ studentId: 'b2', minutes: 5 }];

  it('lets the teacher take the roll call of their class, and answers a resend without writing again', async () => {
    const body = { ...monday16, absent: ['b1'], late: b2Late };
    const first = await spec
      .given(schoolStreams())
      .when(take(as.teacher, body, 'rc-5B-16-M1'))
      .then({
        status: 200,
        body: {
          events: ['RollCallTaken'],
          deduplicated: false,
          unchanged: false,
          rollCallId: `rollcall-${SCHOOL}-5B-2026-11-16-M1`,
        },
        newEvents: [rollCallStream(monday16, rollCallTakenOf(monday16, { absent: ['b1'], late: b2Late }))],
      });
    const position = first.response.body.position;
    expect(BigInt(position)).toBeGreaterThan(0n);
    await spec.when(take(as.teacher, body, 'rc-5B-16-M1')).then({
      status: 200,
      body: { deduplicated: true, events: [], position },
      newEvents: [],
    });
    await spec
      .when(take(as.teacher, { ...body, late: [{ studentId: 'b2', minutes: 5 }] }, 'other-key'))
      .then({
        status: 200,
        body: { deduplicated: false, unchanged: true, events: [] },
        newEvents: [],
      });
    const seen = await history(as.cpe, '5B/2026-11-16/M1', position).expect(200);
    expect(seen.body.changes).toHaveLength(1);
    expect(seen.body.current).toMatchObject({ version: 1, takenBy: { id: 'teacher-01', role: 'teacher' } });
  });

  it('needs a reason to remove an absence someone else recorded, and keeps who changed what and why', async () => {
    const dentist = 'b1 was at the dentist, came at 8:05';
    const weekBefore = 'the dentist was the week before: b1 was absent';
    const taken = rollCallTakenOf(monday16, { absent: ['b1'], late: b2Late });
    const amended = rollCallAmendedOf(monday16, {
      version: 2,
      absent: [],
      late: [],
      previous: { absent: ['b1'], late: b2Late },
      removed: { absent: ['b1'], late: b2Late },
      amendedBy: CPE_01,
      reason: dentist,
    });
    const reverted = rollCallAmendedOf(monday16, {
      version: 3,
      absent: ['b1'],
      late: b2Late,
      previous: { absent: [], late: [] },
      added: { absent: ['b1'], late: b2Late },
      amendedBy: CPE_01,
      reason: weekBefore,
      revertsTo: 1,
    });
    await spec
      .given(schoolStreams(), rollCallStream(monday16, taken))
      .when(take(as.cpe, { ...monday16, absent: [] }))
      .then({
        status: 409,
        body: { code: 'ROLL_CALL.REASON_REQUIRED', details: { field: 'reason', studentIds: ['b1'] } },
        newEvents: [],
      });
    await spec.when(take(as.cpe, { ...monday16, absent: [], reason: dentist })).then({
      status: 200,
      body: { events: ['RollCallAmended'] },
      newEvents: [rollCallStream(monday16, amended)],
    });
    const revert = await spec
      .when(correct(as.cpe, '5B/2026-11-16/M1', 'revert', { reason: weekBefore }))
      .then({
        status: 200,
        body: { events: ['RollCallAmended'] },
        newEvents: [rollCallStream(monday16, reverted)],
      });
    const seen = await history(as.teacher, '5B/2026-11-16/M1', revert.response.body.position).expect(200);
    expect(seen.body.changes.map((c: { type: string; version: number }) => [c.type, c.version])).toEqual([
      ['RollCallTaken', 1],
      ['RollCallAmended', 2],
      ['RollCallAmended', 3],
    ]);
    expect(seen.body.changes[1]).toMatchObject({
      actor: { id: 'cpe-01', role: 'cpe' },
      reason: dentist,
      removed: { absent: ['b1'] },
    });
    expect(seen.body.changes[2]).toMatchObject({ revertsTo: 1, added: { absent: ['b1'] } });
    expect(seen.body.current.absent.map((s: { studentId: string }) => s.studentId)).toEqual(['b1']);
  });

  it('refuses the teacher of another class, the auditor and the principal', async () => {
    const body = { ...monday16, slot: 'M2', absent: [] };
    await spec
      .given(schoolStreams())
      .when(take(as.latinTeacher, body))
      .then({
        status: 403,
        body: { code: 'ROLL_CALL.NOT_CLASS_TEACHER', details: { field: 'classId', classOrGroupId: '5B' } },
        newEvents: [],
      });
    for (const correction of ['void', 'revert'] as const)
      await spec
        .when(correct(as.latinTeacher, '5B/2026-11-16/M2', correction, { reason: 'not my class' }))
        .then({
          status: 403,
          body: { code: 'ROLL_CALL.NOT_CLASS_TEACHER' },
          newEvents: [],
        });
    await spec.when(take(as.auditor, body)).then({ status: 403, newEvents: [] });
    await spec
      .when(take(as.principal, body))
      .then({ status: 403, body: { code: 'AUTH.ROLE_FORBIDDEN' }, newEvents: [] });
    await history(as.cpe, '5B/2026-11-16/M2').expect(404);
  });

  it('refuses a student not enrolled in the class that day, naming the student, and writes nothing', async () => {
    const lesson = { classId: '5B', date: '2026-11-17', slot: 'M2' };
    const { response } = await spec
      .given(schoolStreams())
      .when(take(as.teacher, { ...lesson, absent: ['b3', 'a1'] }))
      .then({
        status: 409,
        body: {
          code: 'ROLL_CALL.STUDENT_NOT_ENROLLED',
          details: { field: 'absent[1]', studentIds: ['a1'] },
        },
        newEvents: [],
      });
    expect(response.body.message).toContain('a1');
    await history(as.cpe, '5B/2026-11-17/M2').expect(404);
  });

  it('refuses an unknown slot, class or student list shape, naming the field', async () => {
    await spec.given(schoolStreams());
    const refused = async (token: string, body: object, status: number) =>
      (await spec.when(take(token, body)).then({ status, newEvents: [] })).response.body;
    const slot = await refused(
      as.teacher,
      { classId: '5B', date: '2026-11-17', slot: 'M9', absent: [] },
      400,
    );
    expect(slot).toMatchObject({ code: 'ROLL_CALL.SLOT_UNKNOWN', details: { field: 'slot' } });
    expect(slot.message).toContain('M9');
    const unknownClass = await refused(
      as.cpe,
      { classId: '5Z', date: '2026-11-17', slot: 'M1', absent: [] },
      404,
    );
    expect(unknownClass.code).toBe('STRUCTURE.CLASS_UNKNOWN');
    const both = await refused(
      as.cpe,
      { classId: '5B', groupId: LATIN.groupId, date: '2026-11-17', slot: 'M1', absent: [] },
      400,
    );
    expect(both.details[0].field).toBe('groupId');
    const badDate = await refused(
      as.teacher,
      { classId: '5B', date: '17/11/2026', slot: 'M1', absent: [] },
      400,
    );
    expect(badDate.details[0].field).toBe('date');
    const badMinutes = await refused(
      as.teacher,
      { classId: '5B', date: '2026-11-17', slot: 'M1', absent: [], late: [{ studentId: 'b2', minutes: 0 }] },
      400,
    );
    expect(badMinutes.details[0].field).toBe('late.0.minutes');
    const unknownField = await refused(as.teacher, { ...monday16, absent: [], present: ['b1'] }, 400);
    expect(unknownField.details[0]).toMatchObject({ field: 'present', rule: 'unknownField' });
  });

  // The app's clock stands at TEST_NOW, Monday 7 December 2026 in Paris.
  const nextMonday = '2026-12-14';

  it('refuses a lesson later than today', async () => {
    await spec
      .given(schoolStreams())
      .when(take(as.teacher, { classId: '5B', date: nextMonday, slot: 'M1', absent: [] }))
      .then({ status: 409, body: { code: 'ROLL_CALL.DATE_TOO_FAR_AHEAD' }, newEvents: [] });
  });

  it('takes a lesson ahead of today once the school allows it (rollCallDaysAhead setting)', async () => {
    const lesson: Lesson = { classId: '5B', date: nextMonday, slot: 'M2' };
    const daysAhead = {
      type: 'SettingChanged',
      data: { schoolId: SCHOOL, effectiveFrom: '2026-09-01', key: 'rollCallDaysAhead', value: 7 },
    };
    await spec
      .given(schoolStreams(), { stream: schoolStreamId(SCHOOL), events: [daysAhead] })
      .when(take(as.teacher, { ...lesson, absent: [] }))
      .then({ status: 200, newEvents: [rollCallStream(lesson, rollCallTakenOf(lesson))] });
  });

  it('voids a roll call taken for the wrong slot, refuses it afterwards, and takes the right one', async () => {
    const wrong = { classId: '5B', date: '2026-11-17', slot: 'M3', absent: ['b3'] };
    const voidReason = 'wrong slot: it was the M4 lesson';
    const taken = rollCallTakenOf(wrong, { absent: ['b3'], actor: CPE_01 });
    const voided = rollCallVoidedOf(wrong, voidReason);
    const noReason = await spec
      .given(schoolStreams(), rollCallStream(wrong, taken))
      .when(correct(as.cpe, '5B/2026-11-17/M3', 'void', {}))
      .then({ status: 400, newEvents: [] });
    expect(noReason.response.body.details[0].field).toBe('reason');
    await spec.when(correct(as.cpe, '5B/2026-11-17/M3', 'void', { reason: voidReason })).then({
      status: 200,
      body: { events: ['RollCallVoided'] },
      newEvents: [rollCallStream(wrong, voided)],
    });
    await spec
      .when(take(as.cpe, wrong))
      .then({ status: 409, body: { code: 'ROLL_CALL.VOIDED' }, newEvents: [] });
    const right = { ...wrong, slot: 'M4' };
    const rightTaken = await spec.when(take(as.cpe, right)).then({
      status: 200,
      newEvents: [rollCallStream(right, rollCallTakenOf(right, { absent: ['b3'], actor: CPE_01 }))],
    });
    const day = await spec
      .http()
      .get(
        `/schools/${SCHOOL}/classes/5B/attendance?date=2026-11-17&minPosition=${rightTaken.response.body.position}`,
      )
      .set('Authorization', as.teacher)
      .expect(200);
    expect(
      day.body.rollCalls.map((r: { slot: { code: string }; status: string }) => [r.slot.code, r.status]),
    ).toEqual([
      ['M3', 'voided'],
      ['M4', 'taken'],
    ]);
    await spec
      .when(correct(as.cpe, '5B/2026-11-10/M3', 'void', { reason: 'never taken' }))
      .then({ status: 404, body: { code: 'ROLL_CALL.NOT_TAKEN' }, newEvents: [] });
  });

  it("lets a group's teacher call the group, whose register comes from the group", async () => {
    const lesson = { groupId: LATIN.groupId, date: '2026-11-18', slot: 'M2' };
    const latinTeacher = { id: 'teacher-02', role: 'teacher' } as const;
    await spec
      .given(schoolStreams())
      .when(take(as.latinTeacher, { ...lesson, absent: ['a1'] }))
      .then({
        status: 200,
        body: { events: ['RollCallTaken'] },
        newEvents: [rollCallStream(lesson, rollCallTakenOf(lesson, { absent: ['a1'], actor: latinTeacher }))],
      });
    await spec.when(take(as.latinTeacher, { ...lesson, absent: ['b2'] })).then({
      status: 409,
      body: { code: 'ROLL_CALL.STUDENT_NOT_ENROLLED', details: { field: 'absent[0]' } },
      newEvents: [],
    });
    await spec
      .http()
      .get(`/schools/${SCHOOL}/classes/5B/attendance?date=2026-11-18`)
      .set('Authorization', as.latinTeacher)
      .expect(403);
  });
});
