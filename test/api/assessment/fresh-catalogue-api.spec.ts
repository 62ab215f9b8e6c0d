import { apiSpec } from '../../support/api-spec';
import { SCHOOL, tokenFor } from '../../support/http';
import { schoolStreams } from './assessment-school';

/**
 * A command that depends on a structure change sent a moment before (an item added to the catalogue,
 * then an assessment evaluating it) is decided on the views once they include that change: it is
 * never refused because they lagged, nor because they caught up while it was being decided.
 */
describe('an assessment created right after its competency item is defined', () => {
  const spec = apiSpec();

  it('is accepted every time, without a read-your-writes hint', async () => {
    const principal = await tokenFor('principal');
    const teacher = await tokenFor('teacher');
    await spec.given(schoolStreams());
    const refused: string[] = [];
    for (let i = 0; i < 30; i++) {
      await spec
        .http()
        .put(`/schools/${SCHOOL}/competency-items/IT-${i}`)
        .set('Authorization', principal)
        .send({ subjectId: 'MATHS', label: `item ${i}` })
        .expect(200);
      const created = await spec
        .http()
        .post(`/schools/${SCHOOL}/assessments`)
        .set('Authorization', teacher)
        .send({
          assessmentId: `r${i}`,
          classId: '5B',
          subjectId: 'MATHS',
          date: '2026-10-02',
          title: `contrôle ${i}`,
          competencyItemIds: [`IT-${i}`],
        });
      if (created.status !== 200) refused.push(`${i}: ${created.status} ${created.body.message}`);
    }
    expect(refused).toEqual([]);
  });
});
