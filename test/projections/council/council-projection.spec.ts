import { councilStreamId } from '../../../src/domain/council';
import { councilsProjection, readClosedPeriods, readCouncil } from '../../../src/projections/council';
import { inStream, projectionSpec } from '../../support/projection-spec';
import {
  classAppreciationWritten,
  councilHeld,
  councilReopened,
  councilScheduled,
  KEYS,
  mentionAwarded,
  SNAPSHOT,
  synthesisWritten,
} from '../../domain/council/fixtures';

const SCHOOL = '0670001A';
const T1_OF_5B = councilStreamId(SCHOOL, '5B', 'T1');
const spec = projectionSpec(councilsProjection);

describe('the councils projection: one row per class and period', () => {
  // Given: the council of 5B for T1 scheduled, two syntheses (one withdrawn), two mentions (one
  // withdrawn), the class appreciation, then held.
  const held = inStream(
    T1_OF_5B,
    councilScheduled('2026-12-02'),
    synthesisWritten('Bon trimestre.'),
    synthesisWritten('Des efforts.', { studentId: 's02' }),
    mentionAwarded('Félicitations'),
    mentionAwarded('Encouragements', { studentId: 's03' }),
    synthesisWritten('', { studentId: 's02', previous: 'Des efforts.' }),
    mentionAwarded(null, { studentId: 's03', previous: 'Encouragements' }),
    classAppreciationWritten('Classe agréable.'),
    councilHeld(),
  );

  it('holds the status, dates, hold position, decisions and snapshot of a held council', () =>
    spec.given(held).then((db, t) => readCouncil(db, t, SCHOOL, '5B', 'T1'), {
      schoolId: SCHOOL,
      ...KEYS,
      status: 'held',
      scheduledOn: '2026-12-02',
      heldOn: '2026-12-02',
      heldBy: 'p-leroy',
      heldPosition: 9,
      heldStudents: ['s01', 's02', 's03'],
      reopenedReason: null,
      classAppreciation: 'Classe agréable.',
      students: { s01: { synthesis: 'Bon trimestre.', mention: 'Félicitations' } },
      snapshot: SNAPSHOT,
      position: 9,
    }));

  it('lists a held period as closed, and no longer once it is reopened', async () => {
    await spec
      .given(held)
      .then(
        (db, t) => readClosedPeriods(db, t, SCHOOL, '5B'),
        [{ periodId: 'T1', heldOn: '2026-12-02', heldBy: 'p-leroy', heldPosition: 9 }],
      );
    await spec
      .given(held, inStream(T1_OF_5B, councilReopened('a grade typed in the wrong column')))
      .then(
        (db, t) => [
          readClosedPeriods(db, t, SCHOOL, '5B'),
          readCouncil(db, t, SCHOOL, '5B', 'T1')?.status,
          readCouncil(db, t, SCHOOL, '5B', 'T1')?.reopenedReason,
        ],
        [[], 'reopened', 'a grade typed in the wrong column'],
      );
  });

  it('keeps the last hold when held again after a reopening', () =>
    spec
      .given(
        held,
        inStream(
          T1_OF_5B,
          councilReopened('late justification'),
          councilHeld({ heldOn: '2026-12-03', snapshot: { generalAverages: { s01: 15 } } }),
        ),
      )
      .then(
        (db, t) => {
          const row = readCouncil(db, t, SCHOOL, '5B', 'T1');
          return {
            status: row?.status,
            heldOn: row?.heldOn,
            heldPosition: row?.heldPosition,
            snapshot: row?.snapshot,
            reopenedReason: row?.reopenedReason,
          };
        },
        {
          status: 'held',
          heldOn: '2026-12-03',
          heldPosition: 11,
          snapshot: { generalAverages: { s01: 15 } },
          reopenedReason: null,
        },
      ));

  it('answers nothing for a council never recorded, and a scheduled council as scheduled', async () => {
    await spec.given().then((db, t) => readCouncil(db, t, SCHOOL, '5A', 'T1'), undefined);
    await spec.given(inStream(T1_OF_5B, councilScheduled('2026-11-27'))).then(
      (db, t) => {
        const row = readCouncil(db, t, SCHOOL, '5B', 'T1');
        return [row?.status, row?.scheduledOn, row?.heldOn, readClosedPeriods(db, t, SCHOOL, '5B')];
      },
      ['scheduled', '2026-11-27', null, []],
    );
  });
});
