import { DomainError } from '../../../src/domain/shared/domain-error';
import { settingsInForce } from '../../../src/domain/settings/settings-events';
import { validSetting } from '../../../src/domain/settings/validation';
import { SchoolEvent, schoolDecider } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import { SCHOOL, schoolCommand } from '../structure/structure-fixtures';

const spec = deciderSpec(schoolDecider);

const change = (value: unknown, effectiveFrom = '2026-09-01') =>
  schoolCommand('ChangeSetting', { key: 'subjectCoefficients', value, effectiveFrom });
const changed = (value: unknown, effectiveFrom = '2026-09-01'): SchoolEvent =>
  ({
    type: 'SettingChanged',
    data: { schoolId: SCHOOL, key: 'subjectCoefficients', value, effectiveFrom },
  }) as SchoolEvent;

const refusal = (value: unknown): DomainError => {
  try {
    validSetting('subjectCoefficients', value);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
};

describe('the subjectCoefficients setting', () => {
  it('names no subject by default: every coefficient is 1', () => {
    expect(settingsInForce([], '2026-09-01').subjectCoefficients).toEqual({});
  });

  it('is stored with its levels, classes and subjects in order, from its effective date', () => {
    spec
      .given()
      .when(change({ '3e': { MATHS: 4, FRANC: 5 }, '3A': { MATHS: 3 }, '1G3': { SES: 0 } }, '2027-01-04'))
      .then([changed({ '1G3': { SES: 0 }, '3A': { MATHS: 3 }, '3e': { FRANC: 5, MATHS: 4 } }, '2027-01-04')]);
    const events = [changed({ '3e': { MATHS: 4 } }, '2027-01-04')];
    expect(settingsInForce(events, '2027-01-03').subjectCoefficients).toEqual({});
    expect(settingsInForce(events, '2027-01-04').subjectCoefficients).toEqual({ '3e': { MATHS: 4 } });
  });

  it('records nothing when the same coefficients are sent again in another order', () => {
    spec
      .given(changed({ '3A': { MATHS: 3 }, '3e': { FRANC: 5, MATHS: 4 } }))
      .when(change({ '3e': { MATHS: 4, FRANC: 5 }, '3A': { MATHS: 3 } }))
      .then([]);
    spec.given().when(change({})).then([]);
  });

  it('names the subject whose coefficient is not a whole number from 0 to 20', () => {
    expect(refusal({ '3e': { FRANC: 5, MATHS: 4.5 } })).toMatchObject({
      code: 'SETTINGS.VALUE_INVALID',
      details: { field: 'value.3e.MATHS', key: 'subjectCoefficients' },
    });
    expect(refusal({ '3e': { MATHS: 21 } }).details).toEqual({
      field: 'value.3e.MATHS',
      key: 'subjectCoefficients',
    });
    expect(refusal({ '3e': { MATHS: -1 } }).details.field).toBe('value.3e.MATHS');
    expect(refusal({ '3e': { MATHS: '4' } }).details.field).toBe('value.3e.MATHS');
    expect(refusal({ '3e': { MATHS: 4 }, '4e': { MATHS: 4, SVT: null } }).details.field).toBe('value.4e.SVT');
  });

  it('refuses a level or class that is not an object of subjects, and a value that is not an object', () => {
    expect(refusal({ '3e': 4 }).details.field).toBe('value.3e');
    expect(refusal({ '3e': [4] }).details.field).toBe('value.3e');
    expect(refusal([]).details.field).toBe('value');
    expect(refusal(null).details.field).toBe('value');
    expect(refusal('3e').message).toBe(
      "subjectCoefficients must be an object of levels or classes, e.g. { '3e': { MATHS: 4 } }",
    );
  });

  it('refuses keys that no class or subject code could be: a slash, surrounding spaces, empty', () => {
    expect(refusal({ '3/A': { MATHS: 2 } }).details.field).toBe('value.3/A');
    expect(refusal({ '3e': { ' MATHS': 2 } }).details.field).toBe('value.3e. MATHS');
    expect(refusal({ '': { MATHS: 2 } }).details.field).toBe('value.');
    expect(refusal({ ['A'.repeat(41)]: { MATHS: 2 } }).details.field).toBe(`value.${'A'.repeat(41)}`);
  });

  it('accepts at most 100 levels or classes, and 100 subjects under each', () => {
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`S${i}`, 1]));
    expect(validSetting('subjectCoefficients', { '3e': hundred }).key).toBe('subjectCoefficients');
    expect(refusal({ '3e': { ...hundred, S100: 1 } }).details.field).toBe('value.3e');
    const classes = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`C${i}`, {}]));
    expect(refusal(classes).details.field).toBe('value');
  });
});
