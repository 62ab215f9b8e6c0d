import { SchoolEvent, schoolDecider } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import { SCHOOL, schoolCommand, subjectDefined } from './structure-fixtures';

const spec = deciderSpec(schoolDecider);

const ANGLAIS = subjectDefined('030201', 'Anglais LV1');
const MATHS = subjectDefined('061300', 'Mathématiques');

const define = (
  itemId: string,
  data: { subjectId?: string; label?: string; socleComponent?: unknown } = {},
) =>
  schoolCommand('DefineCompetencyItem', {
    itemId,
    subjectId: '030201',
    label: "S'exprimer à l'oral en continu",
    ...data,
  } as never);
const defined = (
  itemId: string,
  label = "S'exprimer à l'oral en continu",
  socleComponent: string | null = null,
  subjectId = '030201',
): SchoolEvent =>
  ({
    type: 'CompetencyItemDefined',
    data: { schoolId: SCHOOL, subjectId, itemId, label, socleComponent },
  }) as SchoolEvent;
const retire = (itemId: string) => schoolCommand('RetireCompetencyItem', { itemId });
const retired = (itemId: string): SchoolEvent => ({
  type: 'CompetencyItemRetired',
  data: { schoolId: SCHOOL, itemId },
});

describe('defining a competency item', () => {
  it('defines an item of a subject, linked to no socle component', () =>
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL'))
      .then([defined('AGL-ORAL')]));

  it('defines an item linked to a socle component', () =>
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL', { socleComponent: 'CPD_ETR' }))
      .then([defined('AGL-ORAL', "S'exprimer à l'oral en continu", 'CPD_ETR')]));

  it('records nothing when the same item is sent again, its label written with spaces around', () =>
    spec
      .given(ANGLAIS, defined('AGL-ORAL', "S'exprimer à l'oral en continu", 'CPD_ETR'))
      .when(define('AGL-ORAL', { label: "  S'exprimer à l'oral en continu ", socleComponent: 'CPD_ETR' }))
      .then([]));

  it('changes the label of an item', () =>
    spec
      .given(ANGLAIS, defined('AGL-ORAL'))
      .when(define('AGL-ORAL', { label: 'Prendre part à une conversation' }))
      .then([defined('AGL-ORAL', 'Prendre part à une conversation')]));

  it('links an item to a socle component, and unlinks it', () => {
    spec
      .given(ANGLAIS, defined('AGL-ORAL'))
      .when(define('AGL-ORAL', { socleComponent: 'CPD_ETR' }))
      .then([defined('AGL-ORAL', "S'exprimer à l'oral en continu", 'CPD_ETR')]);
    spec
      .given(ANGLAIS, defined('AGL-ORAL', "S'exprimer à l'oral en continu", 'CPD_ETR'))
      .when(define('AGL-ORAL', { socleComponent: null }))
      .then([defined('AGL-ORAL')]);
  });

  it('refuses a subject the school does not have', () =>
    spec
      .given(ANGLAIS)
      .when(define('MATHS-CALC', { subjectId: '061300' }))
      .thenThrows('STRUCTURE.SUBJECT_UNKNOWN', 'not_found'));

  it('refuses an item id already used by another subject: ids are unique in the school', () =>
    spec
      .given(ANGLAIS, MATHS, defined('ORAL'))
      .when(define('ORAL', { subjectId: '061300' }))
      .thenThrows('STRUCTURE.COMPETENCY_ITEM_ID_TAKEN', 'conflict'));

  it('refuses an empty label, a label over 200 characters, and an unsafe one', () => {
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL', { label: '   ' }))
      .thenThrows('STRUCTURE.COMPETENCY_ITEM_LABEL_INVALID');
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL', { label: 'x'.repeat(201) }))
      .thenThrows('STRUCTURE.COMPETENCY_ITEM_LABEL_INVALID');
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL', { label: 'Oral\u202e' }))
      .thenThrows('STRUCTURE.TEXT_UNSAFE');
  });

  it('accepts a label of exactly 200 characters', () =>
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL', { label: 'x'.repeat(200) }))
      .then([defined('AGL-ORAL', 'x'.repeat(200))]));

  it('refuses a socle component that is not one of the 8', () =>
    spec
      .given(ANGLAIS)
      .when(define('AGL-ORAL', { socleComponent: 'CPD_XYZ' }))
      .thenThrows('STRUCTURE.SOCLE_COMPONENT_INVALID', 'invalid'));

  it('refuses an item id with a slash or spaces around', () => {
    spec.given(ANGLAIS).when(define('AGL/ORAL')).thenThrows('STRUCTURE.CODE_INVALID');
    spec.given(ANGLAIS).when(define(' AGL-ORAL')).thenThrows('STRUCTURE.CODE_INVALID');
  });

  it('refuses to define again an item that was retired', () =>
    spec
      .given(ANGLAIS, defined('AGL-ORAL'), retired('AGL-ORAL'))
      .when(define('AGL-ORAL'))
      .thenThrows('STRUCTURE.COMPETENCY_ITEM_RETIRED', 'conflict'));
});

describe('retiring a competency item', () => {
  it('retires an item', () =>
    spec
      .given(ANGLAIS, defined('AGL-ORAL'))
      .when(retire('AGL-ORAL'))
      .then([retired('AGL-ORAL')]));

  it('records nothing when the item is already retired', () =>
    spec.given(ANGLAIS, defined('AGL-ORAL'), retired('AGL-ORAL')).when(retire('AGL-ORAL')).then([]));

  it('refuses an item the school does not have', () =>
    spec
      .given(ANGLAIS)
      .when(retire('AGL-ORAL'))
      .thenThrows('STRUCTURE.COMPETENCY_ITEM_UNKNOWN', 'not_found'));
});
