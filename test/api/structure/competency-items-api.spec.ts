import { SchoolEvent, schoolStreamId } from '../../../src/domain/structure/school';
import { schoolYearDefined, subjectDefined } from '../../domain/structure/structure-fixtures';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL, tokenFor } from '../../support/http';

const ORAL = "S'exprimer à l'oral en continu";
const defined = (itemId: string, label: string, socleComponent: string | null): SchoolEvent =>
  ({
    type: 'CompetencyItemDefined',
    data: { schoolId: SCHOOL, subjectId: '030201', itemId, label, socleComponent },
  }) as SchoolEvent;

/** Every test starts from its own store holding the 2026-2027 year and the subject Anglais LV1. */
describe('the competency items API', () => {
  const spec = apiSpec();
  const school = (...events: SchoolEvent[]) => ({
    stream: schoolStreamId(SCHOOL),
    events: [schoolYearDefined(), subjectDefined('030201', 'Anglais LV1'), ...events],
  });
  const put =
    (itemId: string, body: object, role: 'principal' | 'admin' | 'teacher' = 'principal') =>
    async (http: ReturnType<typeof spec.http>) =>
      http
        .put(`/schools/${SCHOOL}/competency-items/${itemId}`)
        .set('Authorization', await tokenFor(role))
        .send(body);

  it('defines an item of a subject, linked to a socle component', () =>
    spec
      .given(school())
      .when(put('AGL-ORAL', { subjectId: '030201', label: ORAL, socleComponent: 'CPD_ETR' }))
      .then({
        status: 200,
        body: { events: ['CompetencyItemDefined'] },
        newEvents: [{ stream: schoolStreamId(SCHOOL), events: [defined('AGL-ORAL', ORAL, 'CPD_ETR')] }],
      }));

  it('records nothing when the same item is sent again', () =>
    spec
      .given(school(defined('AGL-ORAL', ORAL, 'CPD_ETR')))
      .when(put('AGL-ORAL', { subjectId: '030201', label: ORAL, socleComponent: 'CPD_ETR' }))
      .then({ status: 200, body: { events: [] }, newEvents: [] }));

  it('answers 404 for a subject the school does not have', () =>
    spec
      .given(school())
      .when(put('MATHS-CALC', { subjectId: '061300', label: 'Calculer' }))
      .then({
        status: 404,
        body: { code: 'STRUCTURE.SUBJECT_UNKNOWN', details: { field: 'subjectId' } },
        newEvents: [],
      }));

  it('answers 400 for a socle component that is not one of the 8, or a label over 200 characters', async () => {
    await spec
      .given(school())
      .when(put('AGL-ORAL', { subjectId: '030201', label: ORAL, socleComponent: 'CPD_XYZ' }))
      .then({ status: 400, body: { code: 'VALIDATION' }, newEvents: [] });
    await spec
      .when(put('AGL-ORAL', { subjectId: '030201', label: 'x'.repeat(201) }))
      .then({ status: 400, body: { code: 'VALIDATION' }, newEvents: [] });
  });

  it('lets only the principal and the admin define an item: a teacher gets 403', () =>
    spec
      .given(school())
      .when(put('AGL-ORAL', { subjectId: '030201', label: ORAL }, 'teacher'))
      .then({ status: 403, newEvents: [] }));

  it('retires an item, with a reason kept in the metadata; an unknown item is 404', async () => {
    const { newEvents } = await spec
      .given(school(defined('AGL-ORAL', ORAL, null)))
      .when(async (http) =>
        http
          .delete(`/schools/${SCHOOL}/competency-items/AGL-ORAL`)
          .set('Authorization', await tokenFor('principal'))
          .send({ reason: 'remplacé par AGL-ORAL2' }),
      )
      .then({
        status: 200,
        body: { events: ['CompetencyItemRetired'] },
        newEvents: [
          {
            stream: schoolStreamId(SCHOOL),
            events: [{ type: 'CompetencyItemRetired', data: { schoolId: SCHOOL, itemId: 'AGL-ORAL' } }],
          },
        ],
      });
    expect(newEvents[0].metadata).toMatchObject({ reason: 'remplacé par AGL-ORAL2' });
    await spec
      .when(async (http) =>
        http
          .delete(`/schools/${SCHOOL}/competency-items/AGL-ECRIT`)
          .set('Authorization', await tokenFor('admin')),
      )
      .then({ status: 404, body: { code: 'STRUCTURE.COMPETENCY_ITEM_UNKNOWN' }, newEvents: [] });
  });

  it('lists the items to a teacher, of every subject or of one', async () => {
    await spec.given(
      school(defined('AGL-ORAL', ORAL, 'CPD_ETR'), defined('AGL-ECRIT', 'Écrire', null), {
        type: 'CompetencyItemRetired',
        data: { schoolId: SCHOOL, itemId: 'AGL-ECRIT' },
      }),
    );
    const teacher = await tokenFor('teacher');
    const all = await spec
      .http()
      .get(`/schools/${SCHOOL}/competency-items`)
      .set('Authorization', teacher)
      .expect(200);
    expect(all.body).toEqual([
      { itemId: 'AGL-ECRIT', subjectId: '030201', label: 'Écrire', socleComponent: null, retired: true },
      { itemId: 'AGL-ORAL', subjectId: '030201', label: ORAL, socleComponent: 'CPD_ETR', retired: false },
    ]);
    const none = await spec
      .http()
      .get(`/schools/${SCHOOL}/competency-items?subjectId=061300`)
      .set('Authorization', await tokenFor('auditor'))
      .expect(200);
    expect(none.body).toEqual([]);
  });
});
