import { attendanceStreamId } from '../../../src/domain/attendance';
import { apiSpec, GivenStream } from '../../support/api-spec';
import {
  absenceReported,
  attendanceFactVoided,
  collectiveExemptionRecorded,
  departureRecorded,
  infirmaryVisitRecorded,
  justificationAccepted,
  justificationReceived,
  slotsOn,
} from '../../support/attendance/builders';
import { SCHOOL } from '../../support/http';
import {
  rollCallStream,
  rollCallTakenOf,
  schoolStreams,
  SILENT_TEACHER,
  STUDENTS_5B,
  TODAY,
  Tokens,
  tokensFor,
} from './attendance-school';

type Slot = {
  slot: { code: string };
  presence: string;
  absence: unknown;
  rollCallIds: string[];
  factIds: unknown[];
};
type Ledger = { days: { date: string; halfDays: { halfDay: string; slots: Slot[] }[] }[] };

const slotOf = (ledger: Ledger, date: string, code: string): Slot | undefined =>
  ledger.days
    .find((day) => day.date === date)
    ?.halfDays.flatMap((halfDay) => halfDay.slots)
    .find((slot) => slot.slot.code === code);

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Every test starts from its own store: the school of attendance-school.ts plus what it gives. */
describe('the attendance API outside roll calls, and its views', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const school = `/schools/${SCHOOL}`;
  const post = (token: string, path: string, body: object = {}) =>
    spec.http().post(`${school}${path}`).set('Authorization', token).send(body);
  const get = (token: string, path: string) =>
    spec.http().get(`${school}${path}`).set('Authorization', token);
  /** 5B's roll call of a lesson as teacher-01 took it, for `given`. */
  const rollCall = (date: string, slot: string, absent: string[] = []): GivenStream => {
    const lesson = { classId: '5B', date, slot };
    return rollCallStream(lesson, rollCallTakenOf(lesson, { absent }));
  };
  const rollCallIdOf = (date: string, slot: string) => `rollcall-${SCHOOL}-5B-${date}-${slot}`;
  const attendanceOf = (studentId: string, ...events: GivenStream['events']): GivenStream => ({
    stream: attendanceStreamId(SCHOOL, studentId),
    events,
  });
  /** b4 absent at the four lessons of Thursday 19 and Friday 20 November: a monthly alert. */
  const b4AbsentTwoDays = () =>
    [
      ['2026-11-19', 'M1'],
      ['2026-11-19', 'S1'],
      ['2026-11-20', 'M1'],
      ['2026-11-20', 'S1'],
    ].map(([date, slot]) => rollCall(date, slot, ['b4']));
  const b4Sick = {
    studentId: 'b4',
    from: { date: '2026-11-19', halfDay: 'AM' as const },
    to: { date: '2026-11-20', halfDay: 'PM' as const },
    reasonCode: 'MALADIE',
    receivedOn: TODAY,
  };

  it('withdraws the absenteeism alert when a late justification is accepted, and recounts', async () => {
    await spec.given(schoolStreams(), b4AbsentTwoDays());
    const before = await get(as.cpe, '/students/b4/attendance/counts?month=2026-11').expect(200);
    expect(before.body.total).toMatchObject({
      halfDaysAbsent: 4,
      unjustifiedHalfDays: 4,
      justifiedHalfDays: 0,
    });
    const open = await get(as.principal, '/attendance/alerts').expect(200);
    expect(open.body).toEqual({
      alerts: [
        expect.objectContaining({
          studentId: 'b4',
          month: '2026-11',
          tier: 'monthly',
          status: 'open',
          currentCount: 4,
        }),
      ],
      next: null,
    });

    const received = await spec
      .when(() =>
        post(as.cpe, '/students/b4/justifications', {
          from: { date: '2026-11-19', halfDay: 'AM' },
          to: { date: '2026-11-20', halfDay: 'PM' },
          reasonCode: 'MALADIE',
          source: 'family',
        }),
      )
      .then({
        status: 200,
        body: { events: ['JustificationReceived'] },
        newEvents: ({ justificationId }) => [
          attendanceOf('b4', justificationReceived({ ...b4Sick, justificationId })),
        ],
      });
    const { justificationId } = received.response.body;
    const accepted = (
      await spec
        .when(() => post(as.cpe, `/students/b4/justifications/${justificationId}/accept`))
        .then({
          status: 200,
          body: { justificationId, events: ['JustificationAccepted'] },
          newEvents: [attendanceOf('b4', justificationAccepted({ ...b4Sick, justificationId }))],
        })
    ).response;

    const after = await get(
      as.auditor,
      `/students/b4/attendance/counts?month=2026-11&minPosition=${accepted.body.position}`,
    );
    expect(after.body.total).toMatchObject({
      halfDaysAbsent: 4,
      justifiedHalfDays: 4,
      unjustifiedHalfDays: 0,
    });
    expect(after.body.alerts).toEqual([
      expect.objectContaining({ status: 'withdrawn', countAtRaise: 4, currentCount: 0 }),
    ]);
    const stillOpen = await get(as.cpe, `/attendance/alerts?minPosition=${accepted.body.position}`).expect(
      200,
    );
    expect(stillOpen.body).toEqual({ alerts: [], next: null });
    const all = await get(as.auditor, '/attendance/alerts?status=all').expect(200);
    expect(all.body).toEqual({
      alerts: [expect.objectContaining({ studentId: 'b4', status: 'withdrawn' })],
      next: null,
    });
    const regularised = await post(
      as.cpe,
      `/students/b4/justifications/${justificationId}/regularise`,
    ).expect(200);
    expect(regularised.body.events).toEqual(['JustificationRegularised']);
    const byPeriod = await get(
      as.cpe,
      `/students/b4/attendance/counts?period=T1&minPosition=${regularised.body.position}`,
    );
    expect(byPeriod.body).toMatchObject({ from: '2026-09-01', to: '2026-11-30', period: 'T1' });
    expect(byPeriod.body.total.justifiedHalfDays).toBe(4);
  });

  it('shows both facts in the ledger when a student absent in class was at the infirmary, and does not count it', async () => {
    const visited = await spec
      .given(schoolStreams(), rollCall('2026-11-23', 'M3', ['b5']))
      .when(() =>
        post(as.cpe, '/students/b5/infirmary-visits', {
          date: '2026-11-23',
          from: '10:05',
          to: '11:00',
          note: 'headache',
        }),
      )
      .then({
        status: 200,
        body: { factId: expect.any(String) },
        newEvents: ({ factId }) => {
          const event = infirmaryVisitRecorded({
            studentId: 'b5',
            factId,
            date: '2026-11-23',
            from: '10:05',
            to: '11:00',
            slots: slotsOn('2026-11-23', 'M3'),
            recordedOn: TODAY,
          });
          return [attendanceOf('b5', { ...event, data: { ...event.data, classId: '5B', note: 'headache' } })];
        },
      });
    const visit = visited.response;
    const ledger = await get(
      as.cpe,
      `/students/b5/attendance?from=2026-11-23&to=2026-11-23&minPosition=${visit.body.position}`,
    ).expect(200);
    expect(slotOf(ledger.body, '2026-11-23', 'M3')).toMatchObject({
      presence: 'school_responsibility',
      absence: null,
      rollCallIds: [rollCallIdOf('2026-11-23', 'M3')],
      factIds: [{ id: visit.body.factId, kind: 'infirmary' }],
    });
    expect(ledger.body.totals.halfDaysAbsent).toBe(0);
  });

  it('records an absence the family announced, and voids a fact recorded for the wrong student', async () => {
    const reportedOf = (factId: string) => {
      const event = absenceReported({
        studentId: 'b6',
        factId,
        from: { date: '2026-11-24' },
        to: { date: '2026-11-24', slotCode: 'M4' },
        classId: '5B',
        reasonCode: 'MALADIE',
        slots: slotsOn('2026-11-24', 'M1', 'M2', 'M3', 'M4'),
        recordedOn: TODAY,
      });
      return { ...event, data: { ...event.data, note: 'mother called at 7:50' } };
    };
    const reported = (
      await spec
        .given(schoolStreams())
        .when(() =>
          post(as.cpe, '/students/b6/absences', {
            from: { date: '2026-11-24' },
            to: { date: '2026-11-24', slot: 'M4' },
            reasonCode: 'MALADIE',
            note: 'mother called at 7:50',
          }),
        )
        .then({ status: 200, newEvents: ({ factId }) => [attendanceOf('b6', reportedOf(factId))] })
    ).response;
    const ledger = await get(
      as.cpe,
      `/students/b6/attendance?from=2026-11-24&to=2026-11-24&minPosition=${reported.body.position}`,
    );
    expect(slotOf(ledger.body, '2026-11-24', 'M2')).toMatchObject({
      presence: 'absent',
      absence: { source: 'absence_report', status: 'unjustified' },
    });
    expect(ledger.body.totals.halfDaysAbsent).toBe(1);
    const voided = (
      await spec
        .when(() =>
          post(as.cpe, `/students/b6/attendance-facts/${reported.body.factId}/void`, {
            reason: 'the call was about b5',
          }),
        )
        .then({
          status: 200,
          body: { events: ['AttendanceFactVoided'] },
          newEvents: [
            attendanceOf(
              'b6',
              attendanceFactVoided({
                factId: reported.body.factId,
                kind: 'absence_report',
                studentId: 'b6',
                reason: 'the call was about b5',
                dates: { from: '2026-11-24', to: '2026-11-24' },
              }),
            ),
          ],
        })
    ).response;
    const corrected = await get(
      as.cpe,
      `/students/b6/attendance?from=2026-11-24&to=2026-11-24&minPosition=${voided.body.position}`,
    );
    expect(corrected.body.totals.halfDaysAbsent).toBe(0);
    expect(corrected.body.facts).toEqual([
      expect.objectContaining({ voided: { reason: 'the call was about b5' } }),
    ]);
    await spec
      .when(() =>
        post(as.cpe, '/students/b6/absences', {
          from: { date: '2026-11-24' },
          to: { date: '2026-11-24' },
          reasonCode: 'GREVE',
        }),
      )
      .then({
        status: 400,
        body: { code: 'ATTENDANCE.REASON_UNKNOWN', details: { field: 'reasonCode' } },
        newEvents: [],
      });
  });

  it('records an outing for every student of the class under one correlation id, keeping their individual facts', async () => {
    await spec.given(schoolStreams(), rollCall('2026-11-25', 'M1', ['b1']));
    const outing = {
      classId: '5B',
      label: 'Musée de l’Œuvre Notre-Dame',
      from: { date: '2026-11-25' },
      to: { date: '2026-11-25' },
    };
    const send = () =>
      post(as.cpe, '/collective-exemptions', outing)
        .set('Idempotency-Key', 'outing-1')
        .set('X-Correlation-Id', 'musee');
    const recordedFor = (exemptionId: string, studentId: string): GivenStream =>
      attendanceOf(
        studentId,
        collectiveExemptionRecorded({
          studentId,
          exemptionId,
          factId: `${exemptionId}-${studentId}`,
          label: outing.label,
          from: outing.from,
          to: outing.to,
          slots: slotsOn('2026-11-25'),
          recordedOn: TODAY,
        }),
      );
    const { response: recorded, newEvents } = await spec.when(send).then({
      status: 200,
      body: { correlationId: 'musee' },
      newEvents: ({ exemptionId }) => STUDENTS_5B.map((studentId) => recordedFor(exemptionId, studentId)),
    });
    expect(newEvents.every((event) => event.metadata.correlationId === 'musee')).toBe(true);
    expect(recorded.body.students.map((s: { studentId: string }) => s.studentId)).toEqual(STUDENTS_5B);
    expect(
      recorded.body.students.every(
        (s: { events: string[] }) => s.events[0] === 'CollectiveExemptionRecorded',
      ),
    ).toBe(true);
    const { response: resent } = await spec.when(send).then({ status: 200, newEvents: [] });
    expect(resent.body.students.every((s: { deduplicated: boolean }) => s.deduplicated)).toBe(true);
    const ledger = await get(
      as.cpe,
      `/students/b1/attendance?from=2026-11-25&to=2026-11-25&minPosition=${recorded.body.position}`,
    );
    expect(slotOf(ledger.body, '2026-11-25', 'M1')).toMatchObject({
      presence: 'school_responsibility',
      rollCallIds: [rollCallIdOf('2026-11-25', 'M1')],
    });
    expect(ledger.body.totals.halfDaysAbsent).toBe(0);
  });

  it('lists the lesson that had no roll call, and the classes with teachers but no roll call at all', async () => {
    await spec.given(
      schoolStreams(),
      ['2026-11-02', '2026-11-09', '2026-11-10'].map((date) => rollCall(date, 'S2')),
    );
    const report = await get(as.cpe, '/attendance/completeness?from=2026-11-09&to=2026-11-20').expect(200);
    expect(report.body.missing).toContainEqual({
      classOrGroupId: '5B',
      teacherId: 'teacher-01',
      date: '2026-11-16',
      slotCode: 'S2',
      voided: false,
    });
    expect(report.body.byTeacher['teacher-01']).toEqual({ expected: 2, taken: 1, missing: 1 });
    expect(report.body.withoutAnyRollCall).toEqual([
      { classOrGroupId: '5A', kind: 'class', teacherIds: [SILENT_TEACHER] },
    ]);
  });

  it('pages the ledger by day, the completeness lists by lesson and the alerts, with limit and next', async () => {
    await spec.given(
      schoolStreams(),
      ['2026-11-02', '2026-11-09', '2026-11-10'].map((date) => rollCall(date, 'S2')),
      [
        ['2026-11-19', 'M1'],
        ['2026-11-19', 'S1'],
        ['2026-11-20', 'M1'],
        ['2026-11-20', 'S1'],
      ].map(([date, slot]) => rollCall(date, slot, ['b4', 'b5'])),
    );

    const firstDay = await get(
      as.cpe,
      '/students/b4/attendance?from=2026-11-19&to=2026-11-20&limit=1',
    ).expect(200);
    expect(firstDay.body.days.map((day: { date: string }) => day.date)).toEqual(['2026-11-19']);
    expect(firstDay.body.next).toBe(cursorOf(['2026-11-19']));
    expect(firstDay.body.totals).toMatchObject({ halfDaysAbsent: 4 });
    const lastDay = await get(
      as.cpe,
      `/students/b4/attendance?from=2026-11-19&to=2026-11-20&limit=1&after=${firstDay.body.next}`,
    ).expect(200);
    expect(lastDay.body.days.map((day: { date: string }) => day.date)).toEqual(['2026-11-20']);
    expect(lastDay.body.next).toBeNull();

    const range = '/attendance/completeness?from=2026-11-09&to=2026-11-20&limit=1';
    const first = await get(as.cpe, range).expect(200);
    expect([first.body.missing, first.body.unexpected, first.body.next]).toEqual([
      [],
      [{ classOrGroupId: '5B', date: '2026-11-10', slotCode: 'S2', takenBy: 'teacher-01' }],
      cursorOf(['2026-11-10', 'S2', '5B', 'teacher-01']),
    ]);
    expect(first.body.byTeacher['teacher-01']).toEqual({ expected: 2, taken: 1, missing: 1 });
    const second = await get(as.cpe, `${range}&after=${first.body.next}`).expect(200);
    expect([second.body.missing, second.body.unexpected, second.body.next]).toEqual([
      [{ classOrGroupId: '5B', teacherId: 'teacher-01', date: '2026-11-16', slotCode: 'S2', voided: false }],
      [],
      cursorOf(['2026-11-16', 'S2', '5B', 'teacher-01']),
    ]);
    const last = await get(as.cpe, `${range.replace('limit=1', 'limit=4')}&after=${second.body.next}`).expect(
      200,
    );
    expect([last.body.missing, last.body.unexpected, last.body.next]).toEqual([
      [],
      [
        ['2026-11-19', 'M1'],
        ['2026-11-19', 'S1'],
        ['2026-11-20', 'M1'],
        ['2026-11-20', 'S1'],
      ].map(([date, slotCode]) => ({ classOrGroupId: '5B', date, slotCode, takenBy: 'teacher-01' })),
      null,
    ]);

    const alerts = await get(as.cpe, '/attendance/alerts?limit=1').expect(200);
    expect(alerts.body.alerts.map((alert: { studentId: string }) => alert.studentId)).toEqual(['b4']);
    expect(alerts.body.next).toBe(
      cursorOf(['2026-11', 'b4', 'monthly', alerts.body.alerts[0].raisedPosition]),
    );
    const rest = await get(as.cpe, `/attendance/alerts?limit=1&after=${alerts.body.next}`).expect(200);
    expect(rest.body.alerts.map((alert: { studentId: string }) => alert.studentId)).toEqual(['b5']);
    expect(rest.body.next).toBeNull();
  });

  it('refuses a page size out of bounds and a cursor that is not one, naming limit and after', async () => {
    await spec.given(schoolStreams());
    for (const path of ['/attendance/alerts', '/attendance/completeness', '/students/b4/attendance']) {
      const tooMany = await get(as.cpe, `${path}?limit=501`).expect(400);
      expect(tooMany.body.details).toEqual([
        { field: 'limit', rule: 'max', message: 'limit must not be greater than 500' },
      ]);
      const notACursor = await get(as.cpe, `${path}?after=${cursorOf({ page: 2 })}`).expect(400);
      expect(notACursor.body.details).toEqual([
        {
          field: 'after',
          rule: 'cursor',
          message: 'after must be the `next` of a previous page of the same list',
        },
      ]);
    }
  });

  it('reads a class’s totals over a period and refuses two ways of naming a range', async () => {
    const justificationId = 'just-b4';
    await spec.given(
      schoolStreams(),
      b4AbsentTwoDays(),
      attendanceOf(
        'b4',
        justificationReceived({ ...b4Sick, justificationId }),
        justificationAccepted({ ...b4Sick, justificationId }),
      ),
    );
    const totals = await get(as.principal, '/classes/5B/attendance?period=T1').expect(200);
    expect(totals.body).toMatchObject({
      classOrGroupId: '5B',
      kind: 'class',
      from: '2026-09-01',
      to: '2026-11-30',
    });
    expect(totals.body.students.b4).toMatchObject({ halfDaysAbsent: 4, justifiedHalfDays: 4 });
    const twoWays = await get(as.cpe, '/students/b4/attendance/counts?period=T1&month=2026-11').expect(400);
    expect(twoWays.body.details[0]).toMatchObject({ field: 'month', rule: 'exactlyOne' });
    const inverted = await get(as.cpe, '/students/b4/attendance?from=2026-11-20&to=2026-11-01').expect(400);
    expect(inverted.body.details[0].field).toBe('to');
    const period = await get(as.cpe, '/classes/5B/attendance?period=T9').expect(400);
    expect(period.body).toMatchObject({
      code: 'ATTENDANCE.PERIOD_UNKNOWN',
      details: { knownPeriods: ['T1', 'T2', 'T3'] },
    });
  });

  it('records a departure during the day, and refuses what breaks a rule with its code and field', async () => {
    const departed = await spec
      .given(schoolStreams())
      .when(() =>
        post(as.cpe, '/students/b3/departures', { date: '2026-11-26', at: '14:30', authorisedBy: 'father' }),
      )
      .then({
        status: 200,
        newEvents: ({ factId }) => {
          const event = departureRecorded({
            studentId: 'b3',
            factId,
            date: '2026-11-26',
            at: '14:30',
            slots: slotsOn('2026-11-26', 'S2', 'S3', 'S4'),
            recordedOn: TODAY,
          });
          return [
            attendanceOf('b3', { ...event, data: { ...event.data, classId: '5B', authorisedBy: 'father' } }),
          ];
        },
      });
    const departure = departed.response;
    const ledger = await get(
      as.cpe,
      `/students/b3/attendance?from=2026-11-26&to=2026-11-26&minPosition=${departure.body.position}`,
    );
    expect(['S1', 'S2', 'S3', 'S4'].map((code) => slotOf(ledger.body, '2026-11-26', code)?.presence)).toEqual(
      [undefined, 'absent', 'absent', 'absent'],
    );
    const badTime = await post(as.cpe, '/students/b3/departures', { date: '2026-11-26', at: '25:00' }).expect(
      400,
    );
    expect(badTime.body.details[0].field).toBe('at');
    const impossibleDate = await post(as.teacher, '/roll-calls', {
      classId: '5B',
      date: '2026-02-30',
      slot: 'M1',
      absent: [],
    });
    expect([impossibleDate.status, impossibleDate.body.code]).toEqual([400, 'VALIDATION']);
    expect(impossibleDate.body.details[0]).toMatchObject({ field: 'date', rule: 'isCalendarDate' });
    const justification = await post(as.cpe, '/students/b3/justifications', {
      from: { date: '2026-11-26', halfDay: 'PM' },
      to: { date: '2026-11-26', halfDay: 'PM' },
      reasonCode: 'NON_RECEVABLE',
      source: 'student',
    }).expect(200);
    const notLegitimate = await post(
      as.cpe,
      `/students/b3/justifications/${justification.body.justificationId}/accept`,
    ).expect(409);
    expect(notLegitimate.body).toMatchObject({
      code: 'JUSTIFICATION.REASON_NOT_LEGITIMATE',
      details: { field: 'reasonCode' },
    });
    await post(as.cpe, `/students/b3/justifications/${justification.body.justificationId}/reject`).expect(
      200,
    );
    const unknown = await post(as.cpe, '/students/b3/justifications/nope/reject').expect(404);
    expect(unknown.body.code).toBe('JUSTIFICATION.NOT_FOUND');
  });

  it('answers 404 for an unknown student and keeps the views from teachers and writes from others', async () => {
    await spec.given(schoolStreams());
    const unknown = await get(as.cpe, '/students/zz/attendance?from=2026-11-01&to=2026-11-30').expect(404);
    expect(unknown.body.code).toBe('STRUCTURE.STUDENT_UNKNOWN');
    const absence = { from: { date: '2026-11-24' }, to: { date: '2026-11-24' } };
    await post(as.cpe, '/students/zz/absences', absence).expect(404);
    await get(as.teacher, '/attendance/alerts').expect(403);
    await get(as.teacher, '/students/b4/attendance/counts').expect(403);
    for (const token of [as.teacher, as.principal, as.auditor, as.admin])
      await post(token, '/students/b1/absences', absence).expect(403);
  });
});
