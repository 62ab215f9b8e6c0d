import type { Database } from 'better-sqlite3';
import { CouncilHeld, CouncilReopened } from '../../domain/council';
import { IsoDate } from '../../domain/shared/calendar';
import { prepared } from '../prepared';
import { defineProjection, TableNames } from '../projection';

export type ClosedPeriodsTable = 'periods';

/** A period whose council is held and not reopened since: closed (DOMAIN.md, "Class council"). */
export type ClosedPeriod = {
  readonly periodId: string;
  readonly heldOn: IsoDate;
  /** The global position of the `CouncilHeld` that closed it: later events are post-council. */
  readonly heldPosition: bigint;
};

/**
 * Which periods of which class are closed, from the councils' holds and reopenings alone: the few
 * rows the grade and attendance commands read on every decision, apart from the council view. One
 * row per council ever held; `open` is 1 once the latest of its two events is a reopening.
 */
export const closedPeriodsProjection = defineProjection<CouncilHeld | CouncilReopened>()({
  name: 'closed-periods',
  version: 1,
  tables: ['periods'],
  handles: ['CouncilHeld', 'CouncilReopened'],
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.periods}" (
        school_id TEXT NOT NULL, class_id TEXT NOT NULL, period_id TEXT NOT NULL,
        held_on TEXT NOT NULL, held_position INTEGER NOT NULL, open INTEGER NOT NULL,
        PRIMARY KEY (school_id, class_id, period_id)) STRICT, WITHOUT ROWID;`);
  },
  apply(db, t, events) {
    for (const event of events) {
      const { schoolId } = event.metadata;
      const { classId, periodId } = event.data;
      if (event.type === 'CouncilHeld')
        prepared(
          db,
          `INSERT INTO "${t.periods}" (school_id, class_id, period_id, held_on, held_position, open)
           VALUES (?, ?, ?, ?, ?, 0)
           ON CONFLICT (school_id, class_id, period_id)
           DO UPDATE SET held_on = excluded.held_on, held_position = excluded.held_position, open = 0`,
        ).run(schoolId, classId, periodId, event.data.heldOn, event.position);
      else
        prepared(
          db,
          `UPDATE "${t.periods}" SET open = 1 WHERE school_id = ? AND class_id = ? AND period_id = ?`,
        ).run(schoolId, classId, periodId);
    }
  },
});

/** The class's closed periods, by period id. */
export const readClosedPeriods = (
  db: Database,
  t: TableNames<ClosedPeriodsTable>,
  schoolId: string,
  classId: string,
): ClosedPeriod[] =>
  prepared<[string, string], ClosedPeriod>(
    db,
    `SELECT period_id AS periodId, held_on AS heldOn, held_position AS heldPosition FROM "${t.periods}"
     WHERE school_id = ? AND class_id = ? AND open = 0 ORDER BY period_id`,
  )
    .safeIntegers(true)
    .all(schoolId, classId);

/** Every closed period of the school, by class and period: what a change of class is checked against. */
export const readClosedPeriodsOfSchool = (
  db: Database,
  t: TableNames<ClosedPeriodsTable>,
  schoolId: string,
): (ClosedPeriod & { readonly classId: string })[] =>
  prepared<[string], ClosedPeriod & { classId: string }>(
    db,
    `SELECT class_id AS classId, period_id AS periodId, held_on AS heldOn, held_position AS heldPosition
     FROM "${t.periods}" WHERE school_id = ? AND open = 0 ORDER BY class_id, period_id`,
  )
    .safeIntegers(true)
    .all(schoolId);
