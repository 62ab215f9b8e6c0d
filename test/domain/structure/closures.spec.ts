import fc from 'fast-check';
import { fold } from '../../../src/domain/shared/decider';
import { Closure, closedDatesOf } from '../../../src/domain/structure/closures';
import { SchoolEvent, schoolDecider } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import { SCHOOL, schoolCommand, schoolYearDefined } from './structure-fixtures';
import { addDays } from '../../../src/domain/shared/calendar';

const spec = deciderSpec(schoolDecider);

const TOUSSAINT: Closure = {
  closureId: 'toussaint-2026',
  from: '2026-10-17',
  to: '2026-11-01',
  label: 'Vacances de la Toussaint',
  kind: 'holidays',
};
const ARMISTICE: Closure = {
  closureId: 'armistice-2026',
  from: '2026-11-11',
  to: '2026-11-11',
  label: 'Armistice',
  kind: 'bank-holiday',
};

const declare = (closure: Partial<Closure> = {}) =>
  schoolCommand('DeclareClosure', { ...TOUSSAINT, ...closure });
const declared = (closure: Closure = TOUSSAINT): SchoolEvent => ({
  type: 'ClosureDeclared',
  data: { schoolId: SCHOOL, ...closure },
});
const withdraw = (closureId: string, reason: string) =>
  schoolCommand('WithdrawClosure', { closureId, reason });
const withdrawn = (closureId: string, reason: string): SchoolEvent => ({
  type: 'ClosureWithdrawn',
  data: { schoolId: SCHOOL, closureId, reason },
});

describe('declaring a closure', () => {
  it('declares the Toussaint holidays', () => spec.given().when(declare()).then([declared()]));

  it('declares a one-day bank holiday', () =>
    spec
      .given(schoolYearDefined(), declared())
      .when(declare(ARMISTICE))
      .then([declared(ARMISTICE)]));

  it('records nothing when the same closure is declared again, its label written with spaces around', () =>
    spec
      .given(declared())
      .when(declare({ label: '  Vacances de la Toussaint ' }))
      .then([]));

  it('refuses the same id with other dates: the closure already declared stays as it is', () =>
    spec
      .given(declared())
      .when(declare({ to: '2026-11-02' }))
      .thenThrows('CALENDAR.CLOSURE_ID_TAKEN'));

  it('refuses the same id with another label or kind', () => {
    spec
      .given(declared())
      .when(declare({ label: 'Toussaint' }))
      .thenThrows('CALENDAR.CLOSURE_ID_TAKEN');
    spec
      .given(declared())
      .when(declare({ kind: 'other' }))
      .thenThrows('CALENDAR.CLOSURE_ID_TAKEN');
  });

  it('refuses a closure that ends before it starts', () =>
    spec
      .given()
      .when(declare({ from: '2026-11-01', to: '2026-10-17' }))
      .thenThrows('CALENDAR.CLOSURE_RANGE_INVERTED'));

  it('accepts 120 days and refuses 121', () => {
    spec
      .given()
      .when(declare({ from: '2026-09-01', to: addDays('2026-09-01', 119) }))
      .then([declared({ ...TOUSSAINT, from: '2026-09-01', to: '2026-12-29' })]);
    spec
      .given()
      .when(declare({ from: '2026-09-01', to: addDays('2026-09-01', 120) }))
      .thenThrows('CALENDAR.CLOSURE_TOO_LONG');
  });

  it('refuses dates that are not dates', () => {
    spec
      .given()
      .when(declare({ from: '2026-02-30' }))
      .thenThrows('CALENDAR.CLOSURE_DATE_INVALID');
    spec
      .given()
      .when(declare({ to: '17/10/2026' }))
      .thenThrows('CALENDAR.CLOSURE_DATE_INVALID');
  });

  it('refuses an empty label and one over 120 characters', () => {
    spec
      .given()
      .when(declare({ label: '   ' }))
      .thenThrows('CALENDAR.CLOSURE_LABEL_INVALID');
    spec
      .given()
      .when(declare({ label: 'x'.repeat(121) }))
      .thenThrows('CALENDAR.CLOSURE_LABEL_INVALID');
  });

  it('refuses an unknown kind', () =>
    spec
      .given()
      .when(declare({ kind: 'strike' as Closure['kind'] }))
      .thenThrows('CALENDAR.CLOSURE_KIND_INVALID'));

  it('refuses an id that cannot be part of a URL', () => {
    for (const closureId of ['', 'a/b', ' toussaint', 'x'.repeat(41), 'noël'])
      spec.given().when(declare({ closureId })).thenThrows('CALENDAR.CLOSURE_ID_INVALID');
  });
});

describe('withdrawing a closure', () => {
  it('withdraws a closure with its reason and keeps it in the state', () => {
    spec
      .given(declared(), declared(ARMISTICE))
      .when(withdraw('armistice-2026', 'declared by mistake: 11 November falls on a Wednesday'))
      .then([withdrawn('armistice-2026', 'declared by mistake: 11 November falls on a Wednesday')]);
    const state = fold(schoolDecider, [declared(ARMISTICE), withdrawn('armistice-2026', 'mistake')]);
    expect(state.closures.get('armistice-2026')).toEqual({ ...ARMISTICE, withdrawal: { reason: 'mistake' } });
  });

  it('needs a reason', () =>
    spec.given(declared()).when(withdraw('toussaint-2026', '  ')).thenThrows('CALENDAR.REASON_REQUIRED'));

  it('refuses an unknown closure', () =>
    spec.given(declared()).when(withdraw('noel-2026', 'no longer')).thenThrows('CALENDAR.CLOSURE_UNKNOWN'));

  it('refuses to withdraw twice, and to declare again under a withdrawn id', () => {
    const history = [declared(), withdrawn('toussaint-2026', 'wrong dates')];
    spec.given(history).when(withdraw('toussaint-2026', 'again')).thenThrows('CALENDAR.CLOSURE_WITHDRAWN');
    spec.given(history).when(declare()).thenThrows('CALENDAR.CLOSURE_WITHDRAWN');
  });

  it('reports the refusal kinds the API maps to 404 and 409', () => {
    const kindOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as { kind: string }).kind;
      }
      return 'accepted';
    };
    const state = fold(schoolDecider, [declared(), withdrawn('toussaint-2026', 'wrong dates')]);
    expect(kindOf(() => schoolDecider.decide(withdraw('nope', 'x'), state))).toBe('not_found');
    expect(kindOf(() => schoolDecider.decide(withdraw('toussaint-2026', 'x'), state))).toBe('conflict');
    expect(kindOf(() => schoolDecider.decide(declare({ closureId: 'a/b' }), state))).toBe('invalid');
  });
});

describe('the dates closures close', () => {
  it('lists each closed date of the range once, with the label of the closure that starts first', () => {
    const closed = closedDatesOf([ARMISTICE, TOUSSAINT], '2026-10-30', '2026-11-30');
    expect([...closed]).toEqual([
      ['2026-10-30', 'Vacances de la Toussaint'],
      ['2026-10-31', 'Vacances de la Toussaint'],
      ['2026-11-01', 'Vacances de la Toussaint'],
      ['2026-11-11', 'Armistice'],
    ]);
  });

  it('closes exactly the dates from `from` to `to` that some closure covers (property)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2026-10-01', n));
    const closure = fc.tuple(day, fc.integer({ min: 0, max: 10 })).map(([from, length]): Closure => ({
      closureId: `c-${from}-${length}`,
      from,
      to: addDays(from, length),
      label: `closure from ${from}`,
      kind: 'other',
    }));
    fc.assert(
      fc.property(fc.array(closure, { maxLength: 5 }), day, day, (closures, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const closed = closedDatesOf(closures, from, to);
        for (let date = '2026-09-25'; date <= '2026-12-15'; date = addDays(date, 1)) {
          const covered = date >= from && date <= to && closures.some((c) => c.from <= date && date <= c.to);
          expect(closed.has(date)).toBe(covered);
        }
      }),
    );
  });
});
