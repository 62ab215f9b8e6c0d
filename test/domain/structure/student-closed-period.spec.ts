import { ClosedSpan } from '../../../src/domain/shared/closed-periods';
import { Actor } from '../../../src/domain/shared/event';
import { studentDecider } from '../../../src/domain/structure/student';
import { deciderSpec } from '../../support/decider-spec';
import {
  departed,
  enrolled,
  joined,
  left,
  moved,
  registered,
  structure,
  studentCommand,
} from './structure-fixtures';

/**
 * DOMAIN.md, "Class council": a change of class dated in (or before) a period whose council was held
 * changes who that council saw; it is the principal's, with a reason. 5B's T1 is closed here.
 */
const spec = deciderSpec(studentDecider);
const known = structure(['5A', '5B', '5C'], ['5LATIN']);
const PRINCIPAL: Actor = { id: 'principal-01', role: 'principal' };
const ADMIN: Actor = { id: 'admin-01', role: 'admin' };
const T1_5B: readonly ClosedSpan[] = [{ periodId: 'T1', from: '2026-09-01', to: '2026-11-30' }];
const closed = new Map([['5B', T1_5B]]);

describe('a change of class touching a period whose council was held', () => {
  it('moves the student out of 5B within T1 only from the principal, with a reason', () => {
    const move = (actor: Actor, reason?: string) =>
      studentCommand('MoveStudent', {
        toClassId: '5C',
        on: '2026-11-16',
        structure: known,
        closedPeriods: closed,
        actor,
        ...(reason !== undefined ? { reason } : {}),
      });
    const given = [registered(), enrolled('5B', '2026-09-01')];
    spec.given(given).when(move(ADMIN)).thenThrows('STRUCTURE.PERIOD_CLOSED', 'forbidden');
    spec.given(given).when(move(PRINCIPAL)).thenThrows('STRUCTURE.REASON_REQUIRED', 'conflict');
    spec
      .given(given)
      .when(move(PRINCIPAL, 'the move was recorded late'))
      .then([moved('5B', '5C', '2026-11-16')]);
  });

  it('moves a student into 5B within T1 only from the principal: the council of the class moved to counts too', () =>
    spec
      .given(registered(), enrolled('5A', '2026-09-01'))
      .when(
        studentCommand('MoveStudent', {
          toClassId: '5B',
          on: '2026-11-16',
          structure: known,
          closedPeriods: closed,
          actor: ADMIN,
        }),
      )
      .thenThrows('STRUCTURE.PERIOD_CLOSED', 'forbidden'));

  it('enrols in 5B from a T1 day, or records a departure from 5B on one, only from the principal', () => {
    spec
      .given(registered())
      .when(
        studentCommand('EnrolStudent', {
          classId: '5B',
          from: '2026-10-05',
          structure: known,
          closedPeriods: closed,
          actor: ADMIN,
        }),
      )
      .thenThrows('STRUCTURE.PERIOD_CLOSED', 'forbidden');
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(
        studentCommand('RecordSchoolDeparture', { on: '2026-11-20', closedPeriods: closed, actor: ADMIN }),
      )
      .thenThrows('STRUCTURE.PERIOD_CLOSED', 'forbidden');
  });

  it('changes class as usual after the closed period, or in a class whose periods are open', () => {
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(
        studentCommand('MoveStudent', {
          toClassId: '5C',
          on: '2026-12-01',
          structure: known,
          closedPeriods: closed,
          actor: ADMIN,
        }),
      )
      .then([moved('5B', '5C', '2026-12-01')]);
    spec
      .given(registered(), enrolled('5A', '2026-09-01'))
      .when(
        studentCommand('RecordSchoolDeparture', { on: '2026-11-20', closedPeriods: closed, actor: ADMIN }),
      )
      .then([departed('2026-11-20', '5A')]);
  });

  it("joins or leaves a group from a day of 5B's T1 only from the principal, with a reason: its roll calls and grades count for the student there", () => {
    const join = (actor: Actor, reason?: string) =>
      studentCommand('JoinGroup', {
        groupId: '5LATIN',
        from: '2026-11-02',
        structure: known,
        closedPeriods: closed,
        actor,
        ...(reason !== undefined ? { reason } : {}),
      });
    const inB = [registered(), enrolled('5B', '2026-09-01')];
    spec.given(inB).when(join(ADMIN)).thenThrows('STRUCTURE.PERIOD_CLOSED', 'forbidden');
    spec.given(inB).when(join(PRINCIPAL)).thenThrows('STRUCTURE.REASON_REQUIRED', 'conflict');
    spec
      .given(inB)
      .when(join(PRINCIPAL, 'the Latin option was recorded late'))
      .then([joined('5LATIN', '2026-11-02')]);
    const leave = (on: string) =>
      studentCommand('LeaveGroup', { groupId: '5LATIN', on, closedPeriods: closed, actor: ADMIN });
    const inLatin = [...inB, joined('5LATIN', '2026-09-01')];
    spec.given(inLatin).when(leave('2026-11-20')).thenThrows('STRUCTURE.PERIOD_CLOSED', 'forbidden');
    spec
      .given(inLatin)
      .when(leave('2026-12-01'))
      .then([left('5LATIN', '2026-12-01')]);
  });

  it('joins a group from a T1 day as usual for a student of a class whose T1 is open', () =>
    spec
      .given(registered(), enrolled('5A', '2026-09-01'))
      .when(
        studentCommand('JoinGroup', {
          groupId: '5LATIN',
          from: '2026-11-02',
          structure: known,
          closedPeriods: closed,
          actor: ADMIN,
        }),
      )
      .then([joined('5LATIN', '2026-11-02')]));

  it('checks nothing when the sender adds no closed periods (an import)', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('MoveStudent', { toClassId: '5C', on: '2026-11-16', structure: known }))
      .then([moved('5B', '5C', '2026-11-16')]));
});
