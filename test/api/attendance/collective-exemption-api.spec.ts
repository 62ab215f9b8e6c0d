import { SCHOOL, startTestApp, TestApp } from '../../support/http';
import { STUDENTS_5B, setUpSchool, Tokens, tokensFor } from './attendance-school';

/** Issue #8: a class outing must not swallow an absence the family reported for the same day. */
describe('a class outing and the absences families reported (HTTP)', () => {
  let app: TestApp;
  let as: Tokens;
  beforeAll(async () => {
    app = await startTestApp();
    as = await tokensFor();
    await setUpSchool(app);
  });
  afterAll(() => app?.close());

  const school = `/schools/${SCHOOL}`;
  const post = (path: string, body: object) =>
    app.http().post(`${school}${path}`).set('Authorization', as.cpe).send(body);
  const get = (path: string) => app.http().get(`${school}${path}`).set('Authorization', as.cpe);
  const wholeDay = (date: string) => ({ from: { date }, to: { date } });
  const outing = (date: string, exemptionId: string, extra: object = {}) =>
    post('/collective-exemptions', {
      classId: '5B',
      exemptionId,
      label: 'Musée de l’Œuvre Notre-Dame',
      ...wholeDay(date),
      ...extra,
    });
  const countsOn = async (studentId: string, date: string, position: string) =>
    (
      await get(
        `/students/${studentId}/attendance/counts?from=${date}&to=${date}&minPosition=${position}`,
      ).expect(200)
    ).body.total;
  /** The M1 teacher marks everybody absent: the class was away. */
  const wholeClassAbsentAtM1 = (date: string) =>
    post('/roll-calls', { classId: '5B', date, slot: 'M1', absent: STUDENTS_5B }).expect(200);
  const idsOf = (students: { studentId: string }[]) => students.map((s) => s.studentId);
  const ABSENT_ALL_DAY = {
    halfDaysAbsent: 2,
    justifiedHalfDays: 0,
    unjustifiedHalfDays: 2,
    latenesses: 0,
    missedMinutes: 440,
  };
  const NOTHING = { ...ABSENT_ALL_DAY, halfDaysAbsent: 0, unjustifiedHalfDays: 0, missedMinutes: 0 };

  it('counts the family’s absence reported before the outing, and leaves that student out of it', async () => {
    const reported = await post('/students/b2/absences', {
      factId: 'abs-b2-2026-11-23',
      ...wholeDay('2026-11-23'),
    }).expect(200);
    expect(reported.body.events).toEqual(['AbsenceReported']);

    const recorded = await outing('2026-11-23', 'musee-2026-11-23').expect(200);
    expect(idsOf(recorded.body.students)).toEqual(['b1', 'b3', 'b4', 'b5', 'b6']);
    expect(recorded.body.leftOut).toEqual([
      { studentId: 'b2', reason: 'absence_reported', absencesReported: ['abs-b2-2026-11-23'] },
    ]);
    expect(await countsOn('b2', '2026-11-23', recorded.body.position)).toEqual(ABSENT_ALL_DAY);
    expect(await countsOn('b1', '2026-11-23', recorded.body.position)).toEqual(NOTHING);
  });

  it('counts the family’s absence reported after the outing was recorded', async () => {
    const recorded = await outing('2026-11-24', 'musee-2026-11-24').expect(200);
    expect(idsOf(recorded.body.students)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    expect(recorded.body.leftOut).toEqual([]);
    const rollCall = await wholeClassAbsentAtM1('2026-11-24');

    const reported = await post('/students/b3/absences', wholeDay('2026-11-24')).expect(200);
    expect(await countsOn('b3', '2026-11-24', reported.body.position)).toEqual(ABSENT_ALL_DAY);
    expect(await countsOn('b4', '2026-11-24', rollCall.body.position)).toEqual(NOTHING);

    const justification = await post('/students/b3/justifications', {
      from: { date: '2026-11-24', halfDay: 'AM' },
      to: { date: '2026-11-24', halfDay: 'PM' },
      reasonCode: 'MALADIE',
      source: 'family',
    }).expect(200);
    const accepted = await post(
      `/students/b3/justifications/${justification.body.justificationId}/accept`,
      {},
    ).expect(200);
    expect(await countsOn('b3', '2026-11-24', accepted.body.position)).toEqual({
      ...ABSENT_ALL_DAY,
      justifiedHalfDays: 2,
      unjustifiedHalfDays: 0,
    });
  });

  it('leaves out the students who did not go, and says which', async () => {
    const recorded = await outing('2026-11-26', 'musee-2026-11-26', { notParticipating: ['b5'] }).expect(200);
    expect(idsOf(recorded.body.students)).toEqual(['b1', 'b2', 'b3', 'b4', 'b6']);
    expect(recorded.body.leftOut).toEqual([
      { studentId: 'b5', reason: 'not_participating', absencesReported: [] },
    ]);
    const rollCall = await wholeClassAbsentAtM1('2026-11-26');
    expect(await countsOn('b5', '2026-11-26', rollCall.body.position)).toEqual({
      ...NOTHING,
      halfDaysAbsent: 1,
      unjustifiedHalfDays: 1,
      missedMinutes: 55,
    });
    expect(await countsOn('b6', '2026-11-26', rollCall.body.position)).toEqual(NOTHING);

    const coveredAlready = await outing('2026-11-26', 'musee-2026-11-26', {
      notParticipating: ['b5', 'b6'],
    }).expect(409);
    expect(coveredAlready.body).toMatchObject({
      code: 'ATTENDANCE.EXEMPTION_ALREADY_RECORDED',
      details: { field: 'notParticipating', studentId: 'b6', factId: 'musee-2026-11-26-b6' },
    });
  });

  it('refuses a list of students who did not go that repeats one or names a stranger, writing nothing', async () => {
    const twice = await outing('2026-11-27', 'musee-2026-11-27', { notParticipating: ['b5', 'b5'] }).expect(
      400,
    );
    expect(twice.body).toMatchObject({ code: 'VALIDATION' });
    expect(twice.body.details[0]).toMatchObject({ field: 'notParticipating', rule: 'arrayUnique' });

    const stranger = await outing('2026-11-27', 'musee-2026-11-27', {
      notParticipating: ['b5', 'a1'],
    }).expect(409);
    expect(stranger.body).toMatchObject({
      code: 'ATTENDANCE.STUDENT_NOT_ENROLLED',
      details: { field: 'notParticipating[1]', studentIds: ['a1'], classOrGroupId: '5B' },
    });
    const ledger = await get('/students/b1/attendance?from=2026-11-27&to=2026-11-27').expect(200);
    expect(ledger.body.facts).toEqual([]);
  });
});
