import { attendanceStreamId } from '../../../src/domain/attendance';
import { councilStreamId } from '../../../src/domain/council';
import { apiSpec, GivenStream, SpecEvent } from '../../support/api-spec';
import { justificationAccepted, justificationReceived } from '../../support/attendance-fixtures';
import { SCHOOL } from '../../support/http';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  keysOf,
  PRINCIPAL_01,
  schoolStreams,
  TEACHER_01,
  Tokens,
  tokensFor,
} from '../assessment/assessment-school';
import { rollCallStream, rollCallTakenOf } from '../attendance/attendance-school';

/**
 * Issue 12, DOMAIN.md "Class council": once 5B's T1 council is held, T1's grades and absences still
 * change, but only by the principal with a reason; reopening the council opens T1 again.
 */
describe('a period closed by its class council', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const school = `/schools/${SCHOOL}`;
  const COUNCIL_5B_T1 = `council-${SCHOOL}-5B-T1`;
  const PRINCIPAL = { id: 'principal-01', role: 'principal' } as const;

  /** 5B's T1 council, held on 2026-12-03 by the principal, written as the council stream holds it. */
  const councilHeld: SpecEvent = {
    type: 'CouncilHeld',
    data: {
      classId: '5B',
      periodId: 'T1',
      heldOn: '2026-12-03',
      heldBy: PRINCIPAL,
      students: ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'],
      snapshot: {},
    },
  };
  const councilReopened: SpecEvent = {
    type: 'CouncilReopened',
    data: { classId: '5B', periodId: 'T1', reason: 'une note manquait', reopenedBy: PRINCIPAL },
  };
  const council = (...events: SpecEvent[]): GivenStream => ({ stream: COUNCIL_5B_T1, events });

  it('names the council stream as the council slice does', () =>
    expect(councilStreamId(SCHOOL, '5B', 'T1')).toBe(COUNCIL_5B_T1));

  describe('grades', () => {
    /** Assessment a of 5B in T1 (2026-10-02): b1 has 12. */
    const graded = () => assessmentStream('a', assessmentCreated('a'), gradesRecorded('a', { b1: 12 }));
    const correct = (token: string, body: object) => () =>
      spec.http().post(`${school}/assessments/a/grades/b1/correction`).set('Authorization', token).send(body);

    it('refuses the teacher’s correction (403), asks the principal for a reason (409), takes the principal’s with one in metadata.reason', async () => {
      await spec.given(schoolStreams(), graded(), council(councilHeld));
      await spec.when(correct(as.teacher, { value: 14, reason: 'erreur de report' })).then({
        status: 403,
        body: { code: 'ASSESSMENT.PERIOD_CLOSED', details: { periodId: 'T1' } },
        newEvents: [],
      });
      // A correction's body needs a reason in any period (400); a change of title does not, but it
      // touches the closed period: the principal is asked for one (409).
      await spec.when(correct(as.principal, { value: 14 })).then({ status: 400, newEvents: [] });
      await spec
        .when(() =>
          spec
            .http()
            .patch(`${school}/assessments/a`)
            .set('Authorization', as.principal)
            .send({ title: 'Contrôle de fractions' }),
        )
        .then({
          status: 409,
          body: { code: 'ASSESSMENT.REASON_REQUIRED', details: { field: 'reason', periodId: 'T1' } },
          newEvents: [],
        });
      const reason = 'copie recorrigée après le conseil';
      const accepted = await spec.when(correct(as.principal, { value: 14, reason })).then({
        status: 200,
        body: { events: ['GradeCorrected'] },
        newEvents: [
          assessmentStream('a', {
            type: 'GradeCorrected',
            data: {
              ...keysOf('a'),
              studentId: 'b1',
              previous: 12,
              value: 14,
              reason,
              correctedBy: PRINCIPAL_01,
            },
          }),
        ],
      });
      expect(accepted.newEvents.map((e) => e.metadata.reason)).toEqual([reason]);
    });

    it('refuses new grades in the closed period, to the principal too: a missing grade is a correction', async () => {
      await spec.given(schoolStreams(), graded(), council(councilHeld));
      for (const token of [as.teacher, as.principal])
        await spec
          .when(() =>
            spec
              .http()
              .post(`${school}/assessments/a/grades`)
              .set('Authorization', token)
              .send({ grades: [{ studentId: 'b2', value: 9 }] }),
          )
          .then({ status: 409, body: { code: 'ASSESSMENT.PERIOD_CLOSED_TO_ENTRY' }, newEvents: [] });
    });

    it('lets the teacher correct again once the council is reopened', async () => {
      await spec.given(schoolStreams(), graded(), council(councilHeld, councilReopened));
      await spec.when(correct(as.teacher, { value: 14, reason: 'erreur de report' })).then({
        status: 200,
        newEvents: [
          assessmentStream('a', {
            type: 'GradeCorrected',
            data: {
              ...keysOf('a'),
              studentId: 'b1',
              previous: 12,
              value: 14,
              reason: 'erreur de report',
              correctedBy: TEACHER_01,
            },
          }),
        ],
      });
    });

    it('leaves the next period open: T2 is graded as usual', async () => {
      await spec.given(
        schoolStreams(),
        assessmentStream('t2', assessmentCreated('t2', { date: '2026-12-04', periodId: 'T2' })),
        council(councilHeld),
      );
      await spec
        .when(() =>
          spec
            .http()
            .post(`${school}/assessments/t2/grades`)
            .set('Authorization', as.teacher)
            .send({ grades: [{ studentId: 'b2', value: 9 }] }),
        )
        .then({ status: 200, body: { events: ['GradesRecorded'] } });
    });
  });

  describe('absences', () => {
    const lesson = { classId: '5B', date: '2026-11-16', slot: 'M1' };

    it('refuses the teacher’s amendment of a T1 roll call (403)', async () => {
      await spec.given(
        schoolStreams(),
        rollCallStream(lesson, rollCallTakenOf(lesson, { absent: ['b1'] })),
        council(councilHeld),
      );
      await spec
        .when(() =>
          spec
            .http()
            .post(`${school}/roll-calls`)
            .set('Authorization', as.teacher)
            .send({ classId: '5B', date: '2026-11-16', slot: 'M1', absent: ['b1', 'b2'] }),
        )
        .then({
          status: 403,
          body: { code: 'ATTENDANCE.PERIOD_CLOSED', details: { periodId: 'T1' } },
          newEvents: [],
        });
    });

    it('takes the principal’s amendment of a T1 roll call with a reason, not the CPE’s', async () => {
      const taken = rollCallStream(lesson, rollCallTakenOf(lesson, { absent: ['b1'] }));
      const amend = (token: string, body: object) => () =>
        spec
          .http()
          .post(`${school}/roll-calls`)
          .set('Authorization', token)
          .send({ classId: '5B', date: '2026-11-16', slot: 'M1', absent: ['b1', 'b2'], ...body });
      await spec.given(schoolStreams(), taken, council(councilHeld));
      await spec.when(amend(as.principal, {})).then({
        status: 409,
        body: { code: 'ATTENDANCE.REASON_REQUIRED', details: { field: 'reason', periodId: 'T1' } },
        newEvents: [],
      });
      await spec.when(amend(as.cpe, { reason: 'b2 absent, noted on paper' })).then({
        status: 403,
        body: { code: 'ATTENDANCE.PERIOD_CLOSED' },
        newEvents: [],
      });
      const reason = 'b2 absent, noted on paper, seen after the council';
      const amended = await spec
        .when(amend(as.principal, { reason }))
        .then({ status: 200, body: { events: ['RollCallAmended'] } });
      expect(amended.newEvents.map((e) => [e.metadata.reason, e.metadata.actor])).toEqual([
        [reason, PRINCIPAL],
      ]);
    });

    it('lets the CPE amend a T1 roll call again once the council is reopened', async () => {
      await spec.given(
        schoolStreams(),
        rollCallStream(lesson, rollCallTakenOf(lesson, { absent: ['b1'] })),
        council(councilHeld, councilReopened),
      );
      await spec
        .when(() =>
          spec
            .http()
            .post(`${school}/roll-calls`)
            .set('Authorization', as.cpe)
            .send({ classId: '5B', date: '2026-11-16', slot: 'M1', absent: ['b1', 'b2'] }),
        )
        .then({ status: 200, body: { events: ['RollCallAmended'] } });
    });

    it('refuses the CPE’s acceptance of a justification of a T1 absence (403), takes the principal’s with a reason', async () => {
      const justified = {
        studentId: 'b3',
        justificationId: 'just-1',
        from: { date: '2026-11-16', halfDay: 'AM' as const },
        to: { date: '2026-11-16', halfDay: 'PM' as const },
      };
      const stream = attendanceStreamId(SCHOOL, 'b3');
      await spec.given(
        schoolStreams(),
        { stream, events: [justificationReceived({ ...justified, receivedOn: '2026-12-04' })] },
        council(councilHeld),
      );
      const accept = (token: string, body: object) => () =>
        spec
          .http()
          .post(`${school}/students/b3/justifications/just-1/accept`)
          .set('Authorization', token)
          .send(body);
      await spec.when(accept(as.cpe, {})).then({
        status: 403,
        body: { code: 'ATTENDANCE.PERIOD_CLOSED', details: { periodId: 'T1' } },
        newEvents: [],
      });
      await spec.when(accept(as.principal, {})).then({
        status: 409,
        body: { code: 'ATTENDANCE.REASON_REQUIRED', details: { field: 'reason' } },
        newEvents: [],
      });
      const reason = 'certificat médical reçu après le conseil';
      const accepted = await spec.when(accept(as.principal, { reason })).then({
        status: 200,
        body: { justificationId: 'just-1', events: ['JustificationAccepted'] },
        newEvents: [{ stream, events: [justificationAccepted(justified)] }],
      });
      expect(accepted.newEvents.map((e) => e.metadata.reason)).toEqual([reason]);
    });
  });
  describe('enrolments', () => {
    const move = (token: string, body: object) => () =>
      spec
        .http()
        .post(`${school}/students/b1/moves`)
        .set('Authorization', token)
        .send({ toClassId: '5A', on: '2026-11-16', ...body });

    it('refuses a move out of 5B dated in T1 to the admin (403), asks the principal for a reason (409)', async () => {
      await spec.given(schoolStreams(), council(councilHeld));
      await spec.when(move(as.admin, {})).then({
        status: 403,
        body: { code: 'STRUCTURE.PERIOD_CLOSED', details: { classId: '5B', periodId: 'T1' } },
        newEvents: [],
      });
      await spec.when(move(as.principal, {})).then({
        status: 409,
        body: { code: 'STRUCTURE.REASON_REQUIRED', details: { field: 'reason' } },
        newEvents: [],
      });
      const reason = 'changement de classe saisi en retard';
      const moved = await spec.when(move(as.principal, { reason })).then({
        status: 201,
        newEvents: [
          {
            stream: `student-${SCHOOL}-b1`,
            events: [
              {
                type: 'StudentMovedClass',
                data: {
                  schoolId: SCHOOL,
                  studentId: 'b1',
                  fromClassId: '5B',
                  toClassId: '5A',
                  on: '2026-11-16',
                },
              },
            ],
          },
        ],
      });
      expect(moved.newEvents.map((e) => e.metadata.reason)).toEqual([reason]);
    });

    it('moves as usual on a day after the closed period', async () => {
      await spec.given(schoolStreams(), council(councilHeld));
      await spec.when(move(as.admin, { on: '2026-12-07' })).then({ status: 201 });
    });
  });
});
