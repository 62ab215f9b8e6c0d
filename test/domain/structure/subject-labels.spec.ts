import { schoolDecider, SchoolEvent } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import { SCHOOL, schoolCommand, schoolYearDefined, subjectDefined } from './structure-fixtures';

const spec = deciderSpec(schoolDecider);

const defined = (label: string, labelSource: 'school' | 'nomenclature' | 'sts'): SchoolEvent => ({
  type: 'SubjectDefined',
  data: { schoolId: SCHOOL, subjectId: '001300', code: '001300', label, shortLabel: label, labelSource },
});
const define = (label: string, source?: 'nomenclature' | 'sts') =>
  schoolCommand('DefineSubject', { subjectId: '001300', label, ...(source ? { source } : {}) });

describe("a subject's label: one source wins (school > SIECLE Nomenclature > STS-web)", () => {
  it('lets the Nomenclature relabel a subject STS-web named', () =>
    spec
      .given(defined('PRATIQUES PROFESSIONNELLES', 'sts'))
      .when(define('Pratiques professionnelles', 'nomenclature'))
      .then([defined('Pratiques professionnelles', 'nomenclature')]));

  it('never lets STS-web relabel a subject the Nomenclature named', () =>
    spec
      .given(defined('Pratiques professionnelles', 'nomenclature'))
      .when(define('PRATIQUES PROFESSIONNELLES', 'sts'))
      .then([]));

  it('lets a newer file of the same source relabel', () =>
    spec
      .given(defined('Pratiques professionnelles', 'nomenclature'))
      .when(define('Pratiques professionnelles (bac pro)', 'nomenclature'))
      .then([defined('Pratiques professionnelles (bac pro)', 'nomenclature')]));

  it('lets any source relabel a subject defined before sources were recorded', () =>
    spec
      .given(subjectDefined('001300', 'Pratiques professionnelles'))
      .when(define('PRATIQUES PROFESSIONNELLES', 'sts'))
      .then([defined('PRATIQUES PROFESSIONNELLES', 'sts')]));

  it("keeps the school's rename through every import", () =>
    spec
      .given(
        defined('Pratiques professionnelles', 'nomenclature'),
        schoolEvent('SubjectRenamed', { subjectId: '001300', label: 'Pratiques pro.', shortLabel: 'PP' }),
      )
      .when(define('Autre libellé', 'nomenclature'))
      .then([]));

  it('renames a known subject, and records nothing when renamed the same again', () => {
    spec
      .given(defined('Pratiques professionnelles', 'nomenclature'))
      .when(schoolCommand('RenameSubject', { subjectId: '001300', label: ' Pratiques pro. ' }))
      .then([
        schoolEvent('SubjectRenamed', {
          subjectId: '001300',
          label: 'Pratiques pro.',
          shortLabel: 'Pratiques pro.',
        }),
      ]);
    spec
      .given(
        defined('Pratiques professionnelles', 'nomenclature'),
        schoolEvent('SubjectRenamed', {
          subjectId: '001300',
          label: 'Pratiques pro.',
          shortLabel: 'Pratiques pro.',
        }),
      )
      .when(schoolCommand('RenameSubject', { subjectId: '001300', label: 'Pratiques pro.' }))
      .then([]);
  });

  it('refuses to rename a subject the school does not have', () =>
    spec
      .given(schoolYearDefined())
      .when(schoolCommand('RenameSubject', { subjectId: '999999', label: 'X' }))
      .thenThrows('STRUCTURE.SUBJECT_UNKNOWN'));

  it('refuses a label with a bidirectional override', () =>
    spec.given().when(define('Maths\u202e')).thenThrows('STRUCTURE.TEXT_UNSAFE'));
});

describe('staff who are not teachers', () => {
  it('records a CPE, and nothing when recorded the same again', () => {
    const cpe = { staffId: '8001', lastName: 'MARTIN', firstName: 'Anne', function: 'EDU' as const };
    spec
      .given()
      .when(schoolCommand('RecordStaffMember', cpe))
      .then([{ type: 'StaffMemberRecorded', data: { schoolId: SCHOOL, ...cpe } }]);
    spec
      .given({ type: 'StaffMemberRecorded', data: { schoolId: SCHOOL, ...cpe } })
      .when(schoolCommand('RecordStaffMember', cpe))
      .then([]);
  });

  it('refuses a name with a control character', () =>
    spec
      .given()
      .when(
        schoolCommand('RecordStaffMember', {
          staffId: '8001',
          lastName: 'MAR\u0000TIN',
          firstName: 'Anne',
          function: 'DIR',
        }),
      )
      .thenThrows('STRUCTURE.TEXT_UNSAFE'));
});

function schoolEvent(type: 'SubjectRenamed', data: Record<string, string>): SchoolEvent {
  return { type, data: { schoolId: SCHOOL, ...data } } as SchoolEvent;
}
