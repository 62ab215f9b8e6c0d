import { enrolmentsProjection } from '../../src/projections/structure';
import { inStream, projectionSpec } from '../support/projection-spec';

const SCHOOL = '0670001A';

describe('the enrolments view on StudentErased', () => {
  it("shows the erased student's pseudonym at once, and keeps their status and memberships", () =>
    projectionSpec(enrolmentsProjection)
      .given(
        inStream(
          `student-${SCHOOL}-z1`,
          {
            type: 'StudentRegistered',
            data: {
              schoolId: SCHOOL,
              studentId: 'z1',
              ine: '070999888ZX',
              lastName: 'Lefèvre',
              firstName: 'Zoé',
              birthDate: '2013-04-17',
            },
          },
          {
            type: 'StudentEnrolled',
            data: { schoolId: SCHOOL, studentId: 'z1', classId: '5B', from: '2026-09-01' },
          },
        ),
        inStream(`erasure-${SCHOOL}-z1`, {
          type: 'StudentErased',
          data: {
            schoolId: SCHOOL,
            studentId: 'z1',
            reason: 'fin de conservation',
            erasedBy: { id: 'a', role: 'admin' },
          },
        }),
      )
      .thenRows('students', [
        {
          school_id: SCHOOL,
          student_id: 'z1',
          ine: null,
          last_name: 'Élève effacé',
          first_name: '#ed6a88',
          birth_date: null,
          status: 'enrolled',
          departed_on: null,
        },
      ]));
});
