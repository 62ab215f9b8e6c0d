import { SCHOOL, startTestApp, TestApp } from '../../support/http';
import { LATIN, setUpSchool, Tokens, tokensFor } from './attendance-school';

describe('the roll-call API', () => {
  let app: TestApp;
  let as: Tokens;
  beforeAll(async () => {
    app = await startTestApp();
    as = await tokensFor();
    await setUpSchool(app);
  });
  afterAll(() => app?.close());

  const rollCalls = `/schools/${SCHOOL}/roll-calls`;
  const take = (token: string, body: object, key?: string) => {
    const request = app.http().post(rollCalls).set('Authorization', token);
    return (key ? request.set('Idempotency-Key', key) : request).send(body);
  };
  const history = (token: string, lesson: string, minPosition = '0') =>
    app.http().get(`${rollCalls}/${lesson}?minPosition=${minPosition}`).set('Authorization', token);

  const monday16 = { classId: '5B', date: '2026-11-16', slot: 'M1' };

  it('lets the teacher take the roll call of their class, and answers a resend without writing again', async () => {
    const body = { ...monday16, absent: ['b1'], late: [{ studentId: 'b2', minutes: 5 }] };
    const first = await take(as.teacher, body, 'rc-5B-16-M1').expect(200);
    expect(first.body).toMatchObject({
      events: ['RollCallTaken'],
      deduplicated: false,
      unchanged: false,
      rollCallId: `rollcall-${SCHOOL}-5B-2026-11-16-M1`,
    });
    expect(BigInt(first.body.position)).toBeGreaterThan(0n);
    const resent = await take(as.teacher, body, 'rc-5B-16-M1').expect(200);
    expect(resent.body).toMatchObject({ deduplicated: true, events: [], position: first.body.position });
    const sameList = await take(
      as.teacher,
      { ...body, late: [{ studentId: 'b2', minutes: 5 }] },
      'other-key',
    );
    expect(sameList.status).toBe(200);
    expect(sameList.body).toMatchObject({ deduplicated: false, unchanged: true, events: [] });
    const seen = await history(as.cpe, '5B/2026-11-16/M1', first.body.position).expect(200);
    expect(seen.body.changes).toHaveLength(1);
    expect(seen.body.current).toMatchObject({ version: 1, takenBy: { id: 'teacher-01', role: 'teacher' } });
  });

  it('needs a reason to remove an absence someone else recorded, and keeps who changed what and why', async () => {
    const wiped = await take(as.cpe, { ...monday16, absent: [] }).expect(409);
    expect(wiped.body).toMatchObject({
      code: 'ROLL_CALL.REASON_REQUIRED',
      details: { field: 'reason', studentIds: ['b1'] },
    });
    const amended = await take(as.cpe, {
      ...monday16,
      absent: [],
      reason: 'b1 was at the dentist, came at 8:05',
    });
    expect(amended.status).toBe(200);
    expect(amended.body.events).toEqual(['RollCallAmended']);
    const reverted = await app
      .http()
      .post(`${rollCalls}/5B/2026-11-16/M1/revert`)
      .set('Authorization', as.cpe)
      .send({ reason: 'the dentist was the week before: b1 was absent' })
      .expect(200);
    expect(reverted.body.events).toEqual(['RollCallAmended']);
    const seen = await history(as.teacher, '5B/2026-11-16/M1', reverted.body.position).expect(200);
    expect(seen.body.changes.map((c: { type: string; version: number }) => [c.type, c.version])).toEqual([
      ['RollCallTaken', 1],
      ['RollCallAmended', 2],
      ['RollCallAmended', 3],
    ]);
    expect(seen.body.changes[1]).toMatchObject({
      actor: { id: 'cpe-01', role: 'cpe' },
      reason: 'b1 was at the dentist, came at 8:05',
      removed: { absent: ['b1'] },
    });
    expect(seen.body.changes[2]).toMatchObject({ revertsTo: 1, added: { absent: ['b1'] } });
    expect(seen.body.current.absent.map((s: { studentId: string }) => s.studentId)).toEqual(['b1']);
  });

  it('refuses the teacher of another class, the auditor and the principal', async () => {
    const body = { ...monday16, slot: 'M2', absent: [] };
    const otherTeacher = await take(as.latinTeacher, body).expect(403);
    expect(otherTeacher.body).toMatchObject({
      code: 'ROLL_CALL.NOT_CLASS_TEACHER',
      details: { field: 'classId', classOrGroupId: '5B' },
    });
    for (const correction of ['void', 'revert']) {
      const refused = await app
        .http()
        .post(`${rollCalls}/5B/2026-11-16/M2/${correction}`)
        .set('Authorization', as.latinTeacher)
        .send({ reason: 'not my class' })
        .expect(403);
      expect(refused.body.code).toBe('ROLL_CALL.NOT_CLASS_TEACHER');
    }
    await take(as.auditor, body).expect(403);
    const principal = await take(as.principal, body).expect(403);
    expect(principal.body.code).toBe('AUTH.ROLE_FORBIDDEN');
    await history(as.cpe, '5B/2026-11-16/M2').expect(404);
  });

  it('refuses a student not enrolled in the class that day, naming the student, and writes nothing', async () => {
    const lesson = { classId: '5B', date: '2026-11-17', slot: 'M2' };
    const response = await take(as.teacher, { ...lesson, absent: ['b3', 'a1'] }).expect(409);
    expect(response.body).toMatchObject({
      code: 'ROLL_CALL.STUDENT_NOT_ENROLLED',
      details: { field: 'absent[1]', studentIds: ['a1'] },
    });
    expect(response.body.message).toContain('a1');
    await history(as.cpe, '5B/2026-11-17/M2').expect(404);
  });

  it('refuses an unknown slot, class or student list shape, naming the field', async () => {
    const slot = await take(as.teacher, { classId: '5B', date: '2026-11-17', slot: 'M9', absent: [] }).expect(
      400,
    );
    expect(slot.body).toMatchObject({ code: 'ROLL_CALL.SLOT_UNKNOWN', details: { field: 'slot' } });
    expect(slot.body.message).toContain('M9');
    const unknownClass = await take(as.cpe, { classId: '5Z', date: '2026-11-17', slot: 'M1', absent: [] });
    expect([unknownClass.status, unknownClass.body.code]).toEqual([404, 'STRUCTURE.CLASS_UNKNOWN']);
    const both = await take(as.cpe, {
      classId: '5B',
      groupId: LATIN.groupId,
      date: '2026-11-17',
      slot: 'M1',
      absent: [],
    });
    expect([both.status, both.body.details[0].field]).toEqual([400, 'groupId']);
    const badDate = await take(as.teacher, { classId: '5B', date: '17/11/2026', slot: 'M1', absent: [] });
    expect([badDate.status, badDate.body.details[0].field]).toEqual([400, 'date']);
    const badMinutes = await take(as.teacher, {
      classId: '5B',
      date: '2026-11-17',
      slot: 'M1',
      absent: [],
      late: [{ studentId: 'b2', minutes: 0 }],
    });
    expect([badMinutes.status, badMinutes.body.details[0].field]).toEqual([400, 'late.0.minutes']);
    const unknownField = await take(as.teacher, { ...monday16, absent: [], present: ['b1'] }).expect(400);
    expect(unknownField.body.details[0]).toMatchObject({ field: 'present', rule: 'unknownField' });
  });

  // The app's clock stands at TEST_NOW, Monday 7 December 2026 in Paris.
  const nextMonday = '2026-12-14';

  it('refuses a lesson later than today', async () => {
    const response = await take(as.teacher, {
      classId: '5B',
      date: nextMonday,
      slot: 'M1',
      absent: [],
    }).expect(409);
    expect(response.body.code).toBe('ROLL_CALL.DATE_TOO_FAR_AHEAD');
  });

  it('takes a lesson ahead of today once the school allows it (rollCallDaysAhead setting)', async () => {
    const changed = await app
      .http()
      .post(`/schools/${SCHOOL}/settings`)
      .set('Authorization', as.principal)
      .send({ key: 'rollCallDaysAhead', value: 7, effectiveFrom: '2026-09-01' })
      .expect(201);
    await app
      .http()
      .get(`/schools/${SCHOOL}/settings?date=${nextMonday}&minPosition=${changed.body.position}`)
      .set('Authorization', as.principal)
      .expect(200);
    await take(as.teacher, { classId: '5B', date: nextMonday, slot: 'M2', absent: [] }).expect(200);
    await app
      .http()
      .post(`/schools/${SCHOOL}/settings`)
      .set('Authorization', as.principal)
      .send({ key: 'rollCallDaysAhead', value: 0, effectiveFrom: '2026-09-01' })
      .expect(201);
  });

  it('voids a roll call taken for the wrong slot, refuses it afterwards, and takes the right one', async () => {
    const wrong = { classId: '5B', date: '2026-11-17', slot: 'M3', absent: ['b3'] };
    await take(as.cpe, wrong).expect(200);
    const noReason = await app
      .http()
      .post(`${rollCalls}/5B/2026-11-17/M3/void`)
      .set('Authorization', as.cpe)
      .send({});
    expect([noReason.status, noReason.body.details[0].field]).toEqual([400, 'reason']);
    const voided = await app
      .http()
      .post(`${rollCalls}/5B/2026-11-17/M3/void`)
      .set('Authorization', as.cpe)
      .send({ reason: 'wrong slot: it was the M4 lesson' })
      .expect(200);
    expect(voided.body.events).toEqual(['RollCallVoided']);
    const again = await take(as.cpe, wrong).expect(409);
    expect(again.body.code).toBe('ROLL_CALL.VOIDED');
    const right = await take(as.cpe, { ...wrong, slot: 'M4' }).expect(200);
    const day = await app
      .http()
      .get(`/schools/${SCHOOL}/classes/5B/attendance?date=2026-11-17&minPosition=${right.body.position}`)
      .set('Authorization', as.teacher)
      .expect(200);
    expect(
      day.body.rollCalls.map((r: { slot: { code: string }; status: string }) => [r.slot.code, r.status]),
    ).toEqual([
      ['M3', 'voided'],
      ['M4', 'taken'],
    ]);
    const nothing = await app
      .http()
      .post(`${rollCalls}/5B/2026-11-10/M3/void`)
      .set('Authorization', as.cpe)
      .send({ reason: 'never taken' })
      .expect(404);
    expect(nothing.body.code).toBe('ROLL_CALL.NOT_TAKEN');
  });

  it("lets a group's teacher call the group, whose register comes from the group", async () => {
    const lesson = { groupId: LATIN.groupId, date: '2026-11-18', slot: 'M2' };
    const taken = await take(as.latinTeacher, { ...lesson, absent: ['a1'] }).expect(200);
    expect(taken.body.events).toEqual(['RollCallTaken']);
    const outsider = await take(as.latinTeacher, { ...lesson, absent: ['b2'] }).expect(409);
    expect(outsider.body).toMatchObject({
      code: 'ROLL_CALL.STUDENT_NOT_ENROLLED',
      details: { field: 'absent[0]' },
    });
    await app
      .http()
      .get(`/schools/${SCHOOL}/classes/5B/attendance?date=2026-11-18`)
      .set('Authorization', as.latinTeacher)
      .expect(403);
  });
});
