import type { Database } from 'better-sqlite3';
import { SchoolCalendar } from '../../domain/attendance/school-inputs';
import { halfDaysByIsoWeekday } from '../../domain/settings/lesson-half-days';
import { settingsInForce, settingsVersions } from '../../domain/settings/settings-events';
import { Closure, closedDatesOf, ClosureKind } from '../../domain/structure/closures';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { SchoolSettingsTable } from './school-settings.projection';
import { readSettingsChanges } from './structure.queries';
import { SchoolWeek } from '../../domain/shared/school-defaults';
import { IsoDate } from '../../domain/shared/calendar';

type Settings = TableNames<SchoolSettingsTable>;

/** Bounds that every business date sorts between, for "the whole calendar". */
const EARLIEST: IsoDate = '0000-01-01';
const LATEST: IsoDate = '9999-12-31';

export interface ClosureView {
  readonly closureId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly label: string;
  readonly kind: ClosureKind;
  readonly declared: { readonly position: string; readonly at: string; readonly by: string };
  /** Null while the closure holds; a withdrawn closure is kept, with who withdrew it and why. */
  readonly withdrawn: {
    readonly position: string;
    readonly at: string;
    readonly by: string;
    readonly reason: string;
  } | null;
}

type ClosureRow = Closure & {
  declaredAt: string;
  declaredOn: string;
  declaredBy: string;
  withdrawnAt: string | null;
  withdrawnOn: string | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
};

const closureRows = (db: Database, t: Settings, schoolId: string, from: IsoDate, to: IsoDate) =>
  prepared<[string, string, string], ClosureRow>(
    db,
    `SELECT closure_id AS closureId, from_date AS "from", to_date AS "to", label, kind,
            CAST(declared_at AS TEXT) AS declaredAt, declared_on AS declaredOn, declared_by AS declaredBy,
            CAST(withdrawn_at AS TEXT) AS withdrawnAt, withdrawn_on AS withdrawnOn, withdrawn_by AS withdrawnBy,
            withdrawal_reason AS withdrawalReason
     FROM "${t.closures}" WHERE school_id = ? AND from_date <= ? AND to_date >= ?
     ORDER BY from_date, closure_id`,
  ).all(schoolId, to, from);

/** The closures that touch [from, to] (every one without bounds), withdrawn ones included and marked. */
export const readClosures = (
  db: Database,
  t: Settings,
  schoolId: string,
  from: IsoDate = EARLIEST,
  to: IsoDate = LATEST,
): ClosureView[] =>
  closureRows(db, t, schoolId, from, to).map((row) => ({
    closureId: row.closureId,
    from: row.from,
    to: row.to,
    label: row.label,
    kind: row.kind,
    declared: { position: row.declaredAt, at: row.declaredOn, by: row.declaredBy },
    withdrawn:
      row.withdrawnAt === null
        ? null
        : {
            position: row.withdrawnAt,
            at: row.withdrawnOn ?? '',
            by: row.withdrawnBy ?? '',
            reason: row.withdrawalReason ?? '',
          },
  }));

/**
 * The school's calendar over [from, to]: the week pattern in force on `from`, the patterns that
 * replace it later in the range (the lessonHalfDays setting is effective-dated), and the dates the
 * closures still in force close, each with its closure's label. The dates a pattern closes (every
 * Wednesday afternoon) stay in the pattern rather than in `closedDates`, which keeps `openHalfDaysOn`
 * one lookup per date.
 */
export const schoolCalendarOf = (
  db: Database,
  t: Settings,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): SchoolCalendar => {
  const changes = readSettingsChanges(db, t, schoolId);
  const week = halfDaysByIsoWeekday(settingsInForce(changes, from).lessonHalfDays);
  const weekChanges: { from: IsoDate; week: SchoolWeek }[] = [];
  let current = JSON.stringify(week);
  for (const version of settingsVersions(changes)) {
    if (version.effectiveFrom <= from || version.effectiveFrom > to) continue;
    const next = halfDaysByIsoWeekday(version.settings.lessonHalfDays);
    if (JSON.stringify(next) === current) continue;
    weekChanges.push({ from: version.effectiveFrom, week: next });
    current = JSON.stringify(next);
  }
  const holding = closureRows(db, t, schoolId, from, to).filter((row) => row.withdrawnAt === null);
  const closureLabels = closedDatesOf(holding, from, to);
  return {
    week,
    ...(weekChanges.length > 0 ? { weekChanges } : {}),
    closedDates: new Set(closureLabels.keys()),
    closureLabels,
  };
};

/** Every date the school has a calendar for: what a decision over any range reads. */
export const readSchoolCalendar = (db: Database, t: Settings, schoolId: string): SchoolCalendar =>
  schoolCalendarOf(db, t, schoolId, EARLIEST, LATEST);
