import fc from 'fast-check';
import { fold } from '../../../src/domain/shared/decider';
import { classOn, groupsOn, StudentEvent, studentDecider } from '../../../src/domain/structure/student';
import { deciderSpec } from '../../support/decider-spec';
import {
  departed,
  enrolled,
  joined,
  left,
  moved,
  registered,
  SCHOOL,
  STUDENT,
  structure,
  studentCommand,
} from './structure-fixtures';

const spec = deciderSpec(studentDecider);
const known = structure(['5A', '5B', '5C'], ['5LATIN', 'ANG-G1']);

describe('registration', () => {
  it('registers a student with INE, names and birth date', () =>
    spec
      .given()
      .when(
        studentCommand('RegisterStudent', {
          ine: '070123456ab',
          lastName: ' DUPONT-MOREAU ',
          firstName: 'Léa',
          birthDate: '2013-04-17',
        }),
      )
      .then([registered()]));

  it('records nothing when the same registration arrives again', () =>
    spec
      .given(registered())
      .when(
        studentCommand('RegisterStudent', {
          ine: '070123456AB',
          lastName: 'DUPONT-MOREAU',
          firstName: 'Léa',
          birthDate: '2013-04-17',
        }),
      )
      .then([]));

  it('corrects the details that changed', () =>
    spec
      .given(registered())
      .when(
        studentCommand('RegisterStudent', {
          ine: '070123456AB',
          lastName: 'DUPONT-MOREAU',
          firstName: 'Léa-Marie',
          birthDate: '2013-04-17',
        }),
      )
      .then([
        {
          type: 'StudentDetailsCorrected',
          data: {
            schoolId: SCHOOL,
            studentId: STUDENT,
            ine: '070123456AB',
            lastName: 'DUPONT-MOREAU',
            firstName: 'Léa-Marie',
            birthDate: '2013-04-17',
          },
        },
      ]));

  it('refuses a malformed INE, a missing name and an impossible birth date', () => {
    spec
      .given()
      .when(studentCommand('RegisterStudent', { ine: '12345', lastName: 'A', firstName: 'B' }))
      .thenThrows('STRUCTURE.INE_INVALID');
    spec
      .given()
      .when(studentCommand('RegisterStudent', { lastName: ' ', firstName: 'B' }))
      .thenThrows('STRUCTURE.NAME_REQUIRED');
    spec
      .given()
      .when(studentCommand('RegisterStudent', { lastName: 'A', firstName: 'B', birthDate: '2013-02-29' }))
      .thenThrows('STRUCTURE.DATE_INVALID');
  });
});

describe('enrolment in a class', () => {
  it('enrols a registered student from a date', () =>
    spec
      .given(registered())
      .when(studentCommand('EnrolStudent', { classId: '5B', from: '2026-09-01', structure: known }))
      .then([enrolled('5B', '2026-09-01')]));

  it('refuses an unknown class code', () =>
    spec
      .given(registered())
      .when(studentCommand('EnrolStudent', { classId: '5Z', from: '2026-09-01', structure: known }))
      .thenThrows('STRUCTURE.CLASS_UNKNOWN'));

  it('refuses to enrol a student who is not registered', () =>
    spec
      .given()
      .when(studentCommand('EnrolStudent', { classId: '5B', from: '2026-09-01', structure: known }))
      .thenThrows('STRUCTURE.STUDENT_UNKNOWN'));

  it('records nothing when the student is already in that class', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('EnrolStudent', { classId: '5B', from: '2026-09-03', structure: known }))
      .then([]));

  it('refuses a second class at once: that is a move', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('EnrolStudent', { classId: '5C', from: '2026-09-03', structure: known }))
      .thenThrows('STRUCTURE.ALREADY_ENROLLED'));
});

describe('moving between classes', () => {
  it('moves a student on a date', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('MoveStudent', { toClassId: '5C', on: '2026-11-16', structure: known }))
      .then([moved('5B', '5C', '2026-11-16')]));

  it('records nothing for a move to the class the student is already in', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('MoveStudent', { toClassId: '5B', on: '2026-11-16', structure: known }))
      .then([]));

  it('refuses a move dated before the current enrolment', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'), moved('5B', '5C', '2026-11-16'))
      .when(studentCommand('MoveStudent', { toClassId: '5A', on: '2026-10-01', structure: known }))
      .thenThrows('STRUCTURE.MOVE_BEFORE_ENROLMENT'));

  it('refuses a move to an unknown class, of a student in no class, or who left', () => {
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('MoveStudent', { toClassId: '4A', on: '2026-11-16', structure: known }))
      .thenThrows('STRUCTURE.CLASS_UNKNOWN');
    spec
      .given(registered())
      .when(studentCommand('MoveStudent', { toClassId: '5C', on: '2026-11-16', structure: known }))
      .thenThrows('STRUCTURE.NOT_ENROLLED');
    spec
      .given(registered(), enrolled('5B', '2026-09-01'), departed('2026-10-01', '5B'))
      .when(studentCommand('MoveStudent', { toClassId: '5C', on: '2026-11-16', structure: known }))
      .thenThrows('STRUCTURE.STUDENT_DEPARTED');
  });

  it('keeps the history: 5B until the day before the move, 5C from the move on', () => {
    const state = fold(studentDecider, [
      registered(),
      enrolled('5B', '2026-09-01'),
      moved('5B', '5C', '2026-11-15'),
    ]);
    expect(classOn(state, '2026-08-31')).toBeUndefined();
    expect(classOn(state, '2026-09-01')).toBe('5B');
    expect(classOn(state, '2026-11-14')).toBe('5B');
    expect(classOn(state, '2026-11-15')).toBe('5C');
    expect(classOn(state, '2027-06-30')).toBe('5C');
  });

  it('answers one class at most for any date, the one of the last move on or before it (property)', () => {
    const day = fc
      .integer({ min: 1, max: 300 })
      .map((n) => new Date(Date.UTC(2026, 8, n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.uniqueArray(day, { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('5A', '5B', '5C'), { minLength: 8, maxLength: 8 }),
        day,
        (days, classes, probe) => {
          const dates = [...days].sort();
          const events: StudentEvent[] = [registered()];
          let state = fold(studentDecider, events);
          dates.forEach((date, i) => {
            const command =
              i === 0
                ? studentCommand('EnrolStudent', { classId: classes[i], from: date, structure: known })
                : studentCommand('MoveStudent', { toClassId: classes[i], on: date, structure: known });
            const decided = studentDecider.decide(command, state);
            events.push(...decided);
            state = decided.reduce(studentDecider.evolve, state);
          });
          const expected = dates.reduce<string | undefined>(
            (found, date, i) => (date <= probe ? classes[i] : found),
            undefined,
          );
          expect(classOn(state, probe)).toBe(expected);
          expect(
            state.classes.filter((m) => m.from <= probe && (m.until === undefined || probe < m.until)).length,
          ).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('groups', () => {
  it('joins a group, and records nothing when joining it again', () => {
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('JoinGroup', { groupId: '5LATIN', from: '2026-09-01', structure: known }))
      .then([joined('5LATIN', '2026-09-01')]);
    spec
      .given(registered(), enrolled('5B', '2026-09-01'), joined('5LATIN', '2026-09-01'))
      .when(studentCommand('JoinGroup', { groupId: '5LATIN', from: '2026-10-01', structure: known }))
      .then([]);
  });

  it('refuses an unknown group', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('JoinGroup', { groupId: 'CHINOIS', from: '2026-09-01', structure: known }))
      .thenThrows('STRUCTURE.GROUP_UNKNOWN'));

  it('leaves a group on a date, and records nothing when leaving a group the student is not in', () => {
    spec
      .given(registered(), joined('5LATIN', '2026-09-01'))
      .when(studentCommand('LeaveGroup', { groupId: '5LATIN', on: '2027-01-04' }))
      .then([left('5LATIN', '2027-01-04')]);
    spec
      .given(registered())
      .when(studentCommand('LeaveGroup', { groupId: '5LATIN', on: '2027-01-04' }))
      .then([]);
  });

  it('refuses to leave a group before joining it', () =>
    spec
      .given(registered(), joined('5LATIN', '2026-10-01'))
      .when(studentCommand('LeaveGroup', { groupId: '5LATIN', on: '2026-09-15' }))
      .thenThrows('STRUCTURE.LEAVE_BEFORE_JOIN'));

  it('tells the groups of a date', () => {
    const state = fold(studentDecider, [
      registered(),
      joined('5LATIN', '2026-09-01'),
      joined('ANG-G1', '2026-09-01'),
      left('5LATIN', '2027-01-04'),
    ]);
    expect(groupsOn(state, '2027-01-03')).toEqual(['5LATIN', 'ANG-G1']);
    expect(groupsOn(state, '2027-01-04')).toEqual(['ANG-G1']);
  });
});

describe('departure', () => {
  it('records the departure, closing the class and the open groups', () => {
    spec
      .given(registered(), enrolled('5B', '2026-09-01'), joined('5LATIN', '2026-09-01'))
      .when(studentCommand('RecordSchoolDeparture', { on: '2027-02-01' }))
      .then([departed('2027-02-01', '5B', ['5LATIN'])]);
    const state = fold(studentDecider, [
      registered(),
      enrolled('5B', '2026-09-01'),
      joined('5LATIN', '2026-09-01'),
      departed('2027-02-01', '5B', ['5LATIN']),
    ]);
    expect(classOn(state, '2027-01-31')).toBe('5B');
    expect(classOn(state, '2027-02-01')).toBeUndefined();
    expect(groupsOn(state, '2027-02-01')).toEqual([]);
  });

  it('records nothing for the same departure again, and refuses another date', () => {
    const history = [registered(), enrolled('5B', '2026-09-01'), departed('2027-02-01', '5B')];
    spec
      .given(history)
      .when(studentCommand('RecordSchoolDeparture', { on: '2027-02-01' }))
      .then([]);
    spec
      .given(history)
      .when(studentCommand('RecordSchoolDeparture', { on: '2027-03-01' }))
      .thenThrows('STRUCTURE.ALREADY_DEPARTED');
  });

  it('refuses a departure before the enrolment', () =>
    spec
      .given(registered(), enrolled('5B', '2026-09-01'))
      .when(studentCommand('RecordSchoolDeparture', { on: '2026-08-15' }))
      .thenThrows('STRUCTURE.DEPARTURE_BEFORE_ENROLMENT'));

  it('enrols again a student who comes back, not before the departure', () => {
    const history = [registered(), enrolled('5B', '2026-09-01'), departed('2027-02-01', '5B')];
    spec
      .given(history)
      .when(studentCommand('EnrolStudent', { classId: '5A', from: '2027-03-01', structure: known }))
      .then([enrolled('5A', '2027-03-01')]);
    spec
      .given(history)
      .when(studentCommand('EnrolStudent', { classId: '5A', from: '2027-01-15', structure: known }))
      .thenThrows('STRUCTURE.ENROLMENT_BEFORE_DEPARTURE');
  });
});

describe('several changes in one command', () => {
  it('registers, enrols and adds groups in one append', () =>
    spec
      .given()
      .when(
        studentCommand('ApplyStudentChanges', {
          changes: [
            studentCommand('RegisterStudent', {
              ine: '070123456AB',
              lastName: 'DUPONT-MOREAU',
              firstName: 'Léa',
              birthDate: '2013-04-17',
            }),
            studentCommand('EnrolStudent', { classId: '5B', from: '2026-09-01', structure: known }),
            studentCommand('JoinGroup', { groupId: '5LATIN', from: '2026-09-01', structure: known }),
          ],
        }),
      )
      .then([registered(), enrolled('5B', '2026-09-01'), joined('5LATIN', '2026-09-01')]));
});
