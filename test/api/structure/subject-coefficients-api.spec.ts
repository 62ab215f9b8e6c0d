import { schoolStreamId } from '../../../src/domain/structure/school';
import { schoolYearDefined } from '../../domain/structure/structure-fixtures';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL, tokenFor } from '../../support/http';

describe('the subjectCoefficients setting over HTTP', () => {
  const spec = apiSpec();
  const change = (value: unknown) => async (http: ReturnType<typeof spec.http>) =>
    http
      .post(`/schools/${SCHOOL}/settings`)
      .set('Authorization', await tokenFor('principal'))
      .send({ key: 'subjectCoefficients', value, effectiveFrom: '2027-01-04' });

  it('stores the coefficients sorted, and gives them in the settings in force', async () => {
    const { response } = await spec
      .given({ stream: schoolStreamId(SCHOOL), events: [schoolYearDefined()] })
      .when(change({ '3e': { MATHS: 4, FRANC: 5 }, '3A': { MATHS: 3 } }))
      .then({
        status: 201,
        body: { events: ['SettingChanged'] },
        newEvents: [
          {
            stream: schoolStreamId(SCHOOL),
            events: [
              {
                type: 'SettingChanged',
                data: {
                  schoolId: SCHOOL,
                  effectiveFrom: '2027-01-04',
                  key: 'subjectCoefficients',
                  value: { '3A': { MATHS: 3 }, '3e': { FRANC: 5, MATHS: 4 } },
                },
              },
            ],
          },
        ],
      });
    const settings = await spec
      .http()
      .get(`/schools/${SCHOOL}/settings?date=2027-01-04&minPosition=${response.body.position}`)
      .set('Authorization', await tokenFor('teacher'))
      .expect(200);
    expect(settings.body.settings.subjectCoefficients).toEqual({
      '3A': { MATHS: 3 },
      '3e': { FRANC: 5, MATHS: 4 },
    });
  });

  it('names the coefficient that is wrong', () =>
    spec
      .given({ stream: schoolStreamId(SCHOOL), events: [schoolYearDefined()] })
      .when(change({ '3e': { MATHS: 25 } }))
      .then({
        status: 400,
        body: { code: 'SETTINGS.VALUE_INVALID', details: { field: 'value.3e.MATHS' } },
        newEvents: [],
      }));
});
