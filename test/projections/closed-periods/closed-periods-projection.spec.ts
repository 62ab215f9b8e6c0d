import { CouncilHeld, CouncilReopened, councilStreamId } from '../../../src/domain/council';
import { closedPeriodsProjection, readClosedPeriods } from '../../../src/projections/closed-periods';
import { inStream, projectionSpec, withMetadata } from '../../support/projection-spec';

const SCHOOL = '0670001A';
const PRINCIPAL = { id: 'principal-1', role: 'principal' } as const;
const spec = projectionSpec(closedPeriodsProjection);

const held = (classId: string, periodId: string, heldOn: string): CouncilHeld => ({
  type: 'CouncilHeld',
  data: { classId, periodId, heldOn, heldBy: PRINCIPAL, students: ['s01', 's02'], snapshot: {} },
});

const reopened = (classId: string, periodId: string): CouncilReopened => ({
  type: 'CouncilReopened',
  data: { classId, periodId, reason: 'a grade was missing', reopenedBy: PRINCIPAL },
});

describe('the closed-periods projection', () => {
  // Given: 5B's T1 council held (position 1), 5A's T1 held (2) then reopened (3), 5B's T2 held (4).
  const history = [
    inStream(councilStreamId(SCHOOL, '5B', 'T1'), held('5B', 'T1', '2026-12-03')),
    inStream(councilStreamId(SCHOOL, '5A', 'T1'), held('5A', 'T1', '2026-12-02'), reopened('5A', 'T1')),
    inStream(councilStreamId(SCHOOL, '5B', 'T2'), held('5B', 'T2', '2027-03-10')),
  ].flat();

  it('lists the periods of a class whose council is held, with the day and the position of the hold', () =>
    spec.given(history).then(
      (db, t) => readClosedPeriods(db, t, SCHOOL, '5B'),
      [
        { periodId: 'T1', heldOn: '2026-12-03', heldPosition: 1n },
        { periodId: 'T2', heldOn: '2027-03-10', heldPosition: 4n },
      ],
    ));

  it('leaves out a period reopened since its council was held', () =>
    spec.given(history).then((db, t) => readClosedPeriods(db, t, SCHOOL, '5A'), []));

  it('closes a reopened period again at its next hold, from that hold', () =>
    spec
      .given(history, inStream(councilStreamId(SCHOOL, '5A', 'T1'), held('5A', 'T1', '2026-12-09')))
      .then(
        (db, t) => readClosedPeriods(db, t, SCHOOL, '5A'),
        [{ periodId: 'T1', heldOn: '2026-12-09', heldPosition: 5n }],
      ));

  it('keeps each school to itself and lists nothing for a class never held', () =>
    spec
      .given(
        history,
        withMetadata(
          { schoolId: '0670002B' },
          inStream(councilStreamId('0670002B', '5B', 'T1'), held('5B', 'T1', '2026-12-01')),
        ),
      )
      .then(
        (db, t) => ({
          other: readClosedPeriods(db, t, '0670002B', '5B'),
          never: readClosedPeriods(db, t, SCHOOL, '4C'),
        }),
        { other: [{ periodId: 'T1', heldOn: '2026-12-01', heldPosition: 5n }], never: [] },
      ));

  it('keeps one row per council, open once reopened', () =>
    spec.given(history).thenRows('periods', [
      {
        school_id: SCHOOL,
        class_id: '5B',
        period_id: 'T1',
        held_on: '2026-12-03',
        held_position: 1,
        open: 0,
      },
      {
        school_id: SCHOOL,
        class_id: '5A',
        period_id: 'T1',
        held_on: '2026-12-02',
        held_position: 2,
        open: 1,
      },
      {
        school_id: SCHOOL,
        class_id: '5B',
        period_id: 'T2',
        held_on: '2027-03-10',
        held_position: 4,
        open: 0,
      },
    ]));
});
