import { SchoolCommand } from '../../../src/domain/structure/school';
import { readCompetencyItems, schoolStructureProjection } from '../../../src/projections/structure';
import { SCHOOL, StructureHarness } from '../../import/import-harness';

const subject = (subjectId: string, label: string): SchoolCommand => ({
  type: 'DefineSubject',
  data: { schoolId: SCHOOL, subjectId, label },
});
const item = (
  itemId: string,
  subjectId: string,
  label: string,
  socleComponent: 'CPD_ETR' | 'CPD_SCI' | null = null,
): SchoolCommand => ({
  type: 'DefineCompetencyItem',
  data: { schoolId: SCHOOL, itemId, subjectId, label, socleComponent },
});

describe('the competency items read model', () => {
  let harness: StructureHarness;
  beforeAll(async () => {
    harness = StructureHarness.open();
    await harness.school(subject('061300', 'Mathématiques'));
    await harness.school(subject('030201', 'Anglais LV1'));
    await harness.school(item('MATHS-MOD', '061300', 'Modéliser', 'CPD_SCI'));
    await harness.school(item('AGL-ORAL', '030201', "S'exprimer à l'oral", 'CPD_ETR'));
    await harness.school(item('AGL-ECRIT', '030201', 'Écrire'));
    await harness.school(item('MATHS-CALC', '061300', 'Calculer'));
    await harness.school(item('AGL-ORAL', '030201', 'Prendre la parole', null));
    await harness.school({ type: 'RetireCompetencyItem', data: { schoolId: SCHOOL, itemId: 'AGL-ECRIT' } });
    await harness.runner.catchUp();
  });
  afterAll(() => harness.close());

  const tables = () => harness.tables(schoolStructureProjection.name);

  it('lists the items by subject then id, with their last label and component, retired ones marked', () => {
    expect(readCompetencyItems(harness.readDb, tables(), SCHOOL)).toEqual([
      { itemId: 'AGL-ECRIT', subjectId: '030201', label: 'Écrire', socleComponent: null, retired: true },
      {
        itemId: 'AGL-ORAL',
        subjectId: '030201',
        label: 'Prendre la parole',
        socleComponent: null,
        retired: false,
      },
      { itemId: 'MATHS-CALC', subjectId: '061300', label: 'Calculer', socleComponent: null, retired: false },
      {
        itemId: 'MATHS-MOD',
        subjectId: '061300',
        label: 'Modéliser',
        socleComponent: 'CPD_SCI',
        retired: false,
      },
    ]);
  });

  it('lists the items of one subject, and none for another school', () => {
    expect(readCompetencyItems(harness.readDb, tables(), SCHOOL, '061300').map((i) => i.itemId)).toEqual([
      'MATHS-CALC',
      'MATHS-MOD',
    ]);
    expect(readCompetencyItems(harness.readDb, tables(), SCHOOL, '999999')).toEqual([]);
    expect(readCompetencyItems(harness.readDb, tables(), '0670002B')).toEqual([]);
  });
});
