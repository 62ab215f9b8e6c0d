import { attendanceStreamId } from '../../../src/domain/attendance';
import { apiSpec, GivenStream } from '../../support/api-spec';
import { absenceReported, collectiveExemptionRecorded, slotsOn } from '../../support/attendance/builders';
import { SCHOOL } from '../../support/http';
import { STUDENTS_5B, schoolStreams, TODAY, Tokens, tokensFor } from './attendance-school';

/** Issue #8: a class outing must not swallow an absence the family reported for the same day. */
describe('a class outing and the absences families reported (HTTP)', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });
  beforeEach(() => spec.given(schoolStreams()));

  const school = `/schools/${SCHOOL}`;
  const post = (path: string, body: object) =>
    spec.http().post(`${school}${path}`).set('Authorization', as.cpe).send(body);
  const get = (path: string) => spec.http().get(`${school}${path}`).set('Authorization', as.cpe);
  const museum = 'Musée de l’Œuvre Notre-Dame';
  const wholeDay = (date: string) => ({ from: { date }, to: { date } });
  const outing = (date: string, exemptionId: string, extra: object = {}) =>
    post('/collective-exemptions', {
      classId: '5B',
      exemptionId,
      label: museum,
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
  /** The outing's event in each student's attendance stream, as the service writes it. */
  const outingRecorded = (date: string, exemptionId: string, studentIds: string[]): GivenStream[] =>
    studentIds.map((studentId) => ({
      stream: attendanceStreamId(SCHOOL, studentId),
      events: [
        collectiveExemptionRecorded({
          studentId,
          exemptionId,
          factId: `${exemptionId}-${studentId}`,
          label: museum,
          ...wholeDay(date),
          slots: slotsOn(date),
          recordedOn: TODAY,
        }),
      ],
    }));
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
    const reported = absenceReported({
      studentId: 'b2',
      factId: 'abs-b2-2026-11-23',
      ...wholeDay('2026-11-23'),
      classId: '5B',
      slots: slotsOn('2026-11-23'),
      recordedOn: TODAY,
    });
    const { response: recorded } = await spec
      .given({ stream: attendanceStreamId(SCHOOL, 'b2'), events: [reported] })
      .when(() => outing('2026-11-23', 'musee-2026-11-23'))
      .then({
        status: 200,
        newEvents: outingRecorded('2026-11-23', 'musee-2026-11-23', ['b1', 'b3', 'b4', 'b5', 'b6']),
      });
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
    const { response: recorded } = await spec
      .when(() => outing('2026-11-26', 'musee-2026-11-26', { notParticipating: ['b5'] }))
      .then({
        status: 200,
        newEvents: outingRecorded('2026-11-26', 'musee-2026-11-26', ['b1', 'b2', 'b3', 'b4', 'b6']),
      });
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
    const { response: twice } = await spec
      .when(() => outing('2026-11-27', 'musee-2026-11-27', { notParticipating: ['b5', 'b5'] }))
      .then({ status: 400, body: { code: 'VALIDATION' }, newEvents: [] });
    expect(twice.body.details[0]).toMatchObject({ field: 'notParticipating', rule: 'arrayUnique' });

    await spec
      .when(() => outing('2026-11-27', 'musee-2026-11-27', { notParticipating: ['b5', 'a1'] }))
      .then({
        status: 409,
        body: {
          code: 'ATTENDANCE.STUDENT_NOT_ENROLLED',
          details: { field: 'notParticipating[1]', studentIds: ['a1'], classOrGroupId: '5B' },
        },
        newEvents: [],
      });
    const ledger = await get('/students/b1/attendance?from=2026-11-27&to=2026-11-27').expect(200);
    expect(ledger.body.facts).toEqual([]);
  });
});
