import { ageOn, StudentEvent, studentDecider } from '../../../src/domain/structure/student';
import { deciderSpec } from '../../support/decider-spec';
import { registered, studentCommand } from './structure-fixtures';

const spec = deciderSpec(studentDecider);
const register = (birthDate: string, names: { lastName?: string; firstName?: string } = {}) =>
  studentCommand('RegisterStudent', {
    ine: '070123456AB',
    lastName: 'DUPONT-MOREAU',
    firstName: 'Léa',
    ...names,
    birthDate,
    schoolYearStart: '2026-09-01',
  });

/** What `register` sends, as the events carry it (the birth date aside). */
const LEA = {
  schoolId: '0670001A',
  studentId: '4521',
  ine: '070123456AB',
  lastName: 'DUPONT-MOREAU',
  firstName: 'Léa',
};

describe("a student's birth date: between 2 and 30 years old on the school year's first day", () => {
  it('counts completed years', () => {
    expect(ageOn('2013-04-17', '2026-09-01')).toBe(13);
    expect(ageOn('2013-09-01', '2026-09-01')).toBe(13);
    expect(ageOn('2013-09-02', '2026-09-01')).toBe(12);
  });

  it('accepts a student of 2 and one of 30 on 1 September', () => {
    spec
      .given()
      .when(register('2024-09-01'))
      .then([{ type: 'StudentRegistered', data: { ...LEA, birthDate: '2024-09-01' } }]);
    spec
      .given()
      .when(register('1995-09-02'))
      .then([{ type: 'StudentRegistered', data: { ...LEA, birthDate: '1995-09-02' } }]);
  });

  it('refuses a student of 1, or of 31', () => {
    spec.given().when(register('2024-09-02')).thenThrows('STRUCTURE.BIRTH_DATE_IMPLAUSIBLE');
    spec.given().when(register('1995-09-01')).thenThrows('STRUCTURE.BIRTH_DATE_IMPLAUSIBLE');
  });

  it('refuses a year typed wrong', () =>
    spec.given().when(register('1013-04-17')).thenThrows('STRUCTURE.BIRTH_DATE_IMPLAUSIBLE'));

  it('does not re-judge a birth date the student already has', () =>
    spec
      .given({
        type: 'StudentRegistered',
        data: { ...registered().data, birthDate: '1990-01-01' },
      } as StudentEvent)
      .when(register('1990-01-01', { lastName: 'DUPONT' }))
      .then([
        {
          type: 'StudentDetailsCorrected',
          data: { ...LEA, lastName: 'DUPONT', birthDate: '1990-01-01' },
        },
      ]));
});

describe("a student's names", () => {
  it('refuses NUL, control characters and bidirectional overrides', () => {
    spec
      .given()
      .when(register('2013-04-17', { lastName: 'DUPONT\u0000' }))
      .thenThrows('STRUCTURE.TEXT_UNSAFE');
    spec
      .given()
      .when(register('2013-04-17', { firstName: 'L\u0007éa' }))
      .thenThrows('STRUCTURE.TEXT_UNSAFE');
    spec
      .given()
      .when(register('2013-04-17', { firstName: '\u202eaéL' }))
      .thenThrows('STRUCTURE.TEXT_UNSAFE');
  });
});
