import type { Database } from 'better-sqlite3';
import {
  AlertTier,
  AttendanceTotals,
  CoverageFact,
  HalfDayTally,
  Justification,
  Lateness,
  ResolvedSlot,
  ZERO_TOTALS,
  addTotals,
  resolveSlots,
  tallyHalfDays,
  totalsOf,
} from '../../domain/attendance';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { RollCallRow, countingTimelineOf, rollCallsOfStudent, studentStateOf } from './attendance-rows';
import { AttendanceTable } from './attendance-schema';
import { HalfDay, IsoDate } from '../../domain/shared/calendar';

type Tables = TableNames<AttendanceTable>;

export type LedgerHalfDay = {
  readonly halfDay: HalfDay;
  readonly tally: HalfDayTally | null;
  readonly slots: readonly ResolvedSlot[];
};

export type LedgerDay = { readonly date: IsoDate; readonly halfDays: readonly LedgerHalfDay[] };

export type StudentLedger = {
  readonly studentId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly days: readonly LedgerDay[];
  readonly totals: AttendanceTotals;
  /** Justifications overlapping the range, with their decision and the regularised flag. */
  readonly justifications: readonly Justification[];
  /** Facts recorded outside roll calls in the range, voided ones included with their reason. */
  readonly facts: readonly CoverageFact[];
  /** Roll calls of the range that were voided: they no longer count but stay visible. */
  readonly voidedRollCalls: readonly {
    rollCallId: string;
    date: IsoDate;
    slotCode: string;
    reason: string | null;
  }[];
};

/** A student's attendance day by day and slot by slot, with the status of each absence and the facts behind it. */
export const studentLedger = (
  db: Database,
  t: Tables,
  query: { schoolId: string; studentId: string; from: IsoDate; to: IsoDate },
): StudentLedger => {
  const range = { from: query.from, to: query.to };
  const state = studentStateOf(db, t, query.schoolId, query.studentId);
  const rollCalls = rollCallsOfStudent(db, t, query.schoolId, query.studentId, range);
  const entries = rollCalls.filter(({ row }) => row.status === 'taken').map(({ entry }) => entry);
  const slots = resolveSlots(entries, state, range);
  const tallies = tallyHalfDays(slots, countingTimelineOf(db, t, query.schoolId));
  const days = new Map<IsoDate, Map<HalfDay, ResolvedSlot[]>>();
  for (const slot of slots) {
    const day = days.get(slot.date) ?? new Map<HalfDay, ResolvedSlot[]>();
    days.set(slot.date, day);
    day.set(slot.halfDay, [...(day.get(slot.halfDay) ?? []), slot]);
  }
  const voidedRollCalls = rollCalls
    .filter(({ row }) => row.status === 'voided')
    .map(({ row }) => ({
      rollCallId: row.rollcall_id,
      date: row.date,
      slotCode: row.slot_code,
      reason: row.void_reason,
    }));
  return {
    studentId: query.studentId,
    from: query.from,
    to: query.to,
    days: [...days].map(([date, halfDays]) => ({
      date,
      halfDays: [...halfDays].map(([halfDay, own]) => ({
        halfDay,
        tally: tallies.find((tally) => tally.date === date && tally.halfDay === halfDay) ?? null,
        slots: own,
      })),
    })),
    totals: totalsOf(tallies),
    justifications: Object.values(state.justifications).filter(
      (j) => j.from.date <= query.to && j.to.date >= query.from,
    ),
    facts: Object.values(state.facts).filter((f) =>
      f.slots.some((s) => s.date >= query.from && s.date <= query.to),
    ),
    voidedRollCalls,
  };
};

type TotalsRow = { month: string; absent: number; justified: number; latenesses: number; missed: number };

const totalsOfRow = (row: Omit<TotalsRow, 'month'>): AttendanceTotals => ({
  halfDaysAbsent: row.absent,
  justifiedHalfDays: row.justified,
  unjustifiedHalfDays: row.absent - row.justified,
  latenesses: row.latenesses,
  missedMinutes: row.missed,
});

/** A student's figures over a period, a year or any range, in total and per calendar month. */
export const studentTotals = (
  db: Database,
  t: Tables,
  query: { schoolId: string; studentId: string; from: IsoDate; to: IsoDate },
): { readonly total: AttendanceTotals; readonly byMonth: Readonly<Record<string, AttendanceTotals>> } => {
  const rows = prepared<[string, string, string, string], TotalsRow>(
    db,
    `SELECT month, SUM(absent) AS absent, SUM(absent * justified) AS justified, SUM(latenesses) AS latenesses,
            SUM(missed_minutes) AS missed
       FROM "${t.half_days}" WHERE school_id = ? AND student_id = ? AND date BETWEEN ? AND ? GROUP BY month ORDER BY month`,
  ).all(query.schoolId, query.studentId, query.from, query.to);
  const byMonth = Object.fromEntries(rows.map((row) => [row.month, totalsOfRow(row)]));
  return { total: Object.values(byMonth).reduce(addTotals, ZERO_TOTALS), byMonth };
};

export type MonthCount = AttendanceTotals & { readonly studentId: string };

/** Every student with something counted in a calendar month. */
export const monthCounts = (
  db: Database,
  t: Tables,
  query: { schoolId: string; month: string },
): MonthCount[] =>
  prepared<
    [string, string],
    {
      student_id: string;
      half_days_absent: number;
      justified: number;
      unjustified: number;
      latenesses: number;
      missed_minutes: number;
    }
  >(db, `SELECT * FROM "${t.months}" WHERE school_id = ? AND month = ? ORDER BY student_id`)
    .all(query.schoolId, query.month)
    .map((row) => ({
      studentId: row.student_id,
      halfDaysAbsent: row.half_days_absent,
      justifiedHalfDays: row.justified,
      unjustifiedHalfDays: row.unjustified,
      latenesses: row.latenesses,
      missedMinutes: row.missed_minutes,
    }));

/** A class's figures over a range: each student's half-days counted while in that class. */
export const classTotals = (
  db: Database,
  t: Tables,
  query: { schoolId: string; classId: string; from: IsoDate; to: IsoDate },
): { readonly students: Readonly<Record<string, AttendanceTotals>>; readonly total: AttendanceTotals } => {
  const rows = prepared<[string, string, string, string], TotalsRow & { student_id: string }>(
    db,
    `SELECT student_id, SUM(absent) AS absent, SUM(absent * justified) AS justified, SUM(latenesses) AS latenesses,
            SUM(missed_minutes) AS missed
       FROM "${t.half_days}" WHERE school_id = ? AND class_id = ? AND date BETWEEN ? AND ?
      GROUP BY student_id ORDER BY student_id`,
  ).all(query.schoolId, query.classId, query.from, query.to);
  const students = Object.fromEntries(rows.map((row) => [row.student_id, totalsOfRow(row)]));
  return { students, total: Object.values(students).reduce(addTotals, ZERO_TOTALS) };
};

export type ClassDayStudent = {
  readonly studentId: string;
  readonly minutes: number | null;
  /** How the slot resolves once every fact is weighed (infirmary, justification…). */
  readonly resolved: ResolvedSlot | null;
};

export type ClassDayRollCall = {
  readonly rollCallId: string;
  readonly slot: { readonly code: string; readonly start: string; readonly end: string };
  readonly halfDay: HalfDay;
  readonly status: 'taken' | 'voided';
  readonly version: number;
  readonly registerCount: number;
  readonly takenBy: { readonly id: string; readonly role: string };
  readonly takenAt: string;
  readonly changedAt: string;
  readonly voidReason: string | null;
  readonly absent: readonly ClassDayStudent[];
  readonly late: readonly ClassDayStudent[];
};

/** The roll calls of a class or group on one day, each absent or late student with the slot's final status. */
export const classDay = (
  db: Database,
  t: Tables,
  query: { schoolId: string; classOrGroupId: string; date: IsoDate },
): ClassDayRollCall[] => {
  const day = { from: query.date, to: query.date };
  const rows = prepared<[string, string, string], RollCallRow>(
    db,
    `SELECT * FROM "${t.rollcalls}" WHERE school_id = ? AND class_id = ? AND date = ? ORDER BY slot_start`,
  ).all(query.schoolId, query.classOrGroupId, query.date);
  const entriesOf = (studentId: string) =>
    rollCallsOfStudent(db, t, query.schoolId, studentId, day)
      .filter(({ row }) => row.status === 'taken')
      .map(({ entry }) => entry);
  const resolvedByStudent = new Map<string, ResolvedSlot[]>();
  const resolvedFor = (studentId: string, slotCode: string) => {
    let slots = resolvedByStudent.get(studentId);
    if (!slots) {
      const state = studentStateOf(db, t, query.schoolId, studentId);
      slots = resolveSlots(entriesOf(studentId), state, day);
      resolvedByStudent.set(studentId, slots);
    }
    return slots.find((s) => s.slot.code === slotCode) ?? null;
  };
  return rows.map((row) => ({
    rollCallId: row.rollcall_id,
    slot: { code: row.slot_code, start: row.slot_start, end: row.slot_end },
    halfDay: row.half_day as HalfDay,
    status: row.status as 'taken' | 'voided',
    version: row.version,
    registerCount: (JSON.parse(row.register) as string[]).length,
    takenBy: { id: row.taken_by_id, role: row.taken_by_role },
    takenAt: row.taken_at,
    changedAt: row.changed_at,
    voidReason: row.void_reason,
    absent: (JSON.parse(row.absent) as string[]).map((studentId) => ({
      studentId,
      minutes: null,
      resolved: resolvedFor(studentId, row.slot_code),
    })),
    late: (JSON.parse(row.late) as Lateness[]).map((l) => ({
      studentId: l.studentId,
      minutes: l.minutes,
      resolved: resolvedFor(l.studentId, row.slot_code),
    })),
  }));
};

export type RollCallChange = {
  readonly position: number;
  readonly type: 'RollCallTaken' | 'RollCallAmended' | 'RollCallVoided';
  readonly version: number | null;
  readonly actor: { readonly id: string; readonly role: string };
  readonly at: string;
  readonly reason: string | null;
  readonly added: { absent: string[]; late: Lateness[] } | null;
  readonly removed: { absent: string[]; late: Lateness[] } | null;
  readonly revertsTo: number | null;
};

/** Who changed a roll call, when, why and how — the versions a revert can go back to. */
export const rollCallHistory = (db: Database, t: Tables, rollCallId: string): RollCallChange[] =>
  prepared<
    [string, string],
    {
      position: number;
      type: RollCallChange['type'];
      version: number | null;
      actor_id: string;
      actor_role: string;
      at: string;
      reason: string | null;
      added: string | null;
      removed: string | null;
      reverts_to: number | null;
    }
  >(
    db,
    `SELECT taken_position AS position, 'RollCallTaken' AS type, 1 AS version, taken_by_id AS actor_id,
            taken_by_role AS actor_role, taken_at AS at, NULL AS reason, NULL AS added, NULL AS removed,
            NULL AS reverts_to
       FROM "${t.rollcalls}" WHERE rollcall_id = ?
     UNION ALL
     SELECT position, type, version, actor_id, actor_role, at, reason, added, removed, reverts_to
       FROM "${t.changes}" WHERE rollcall_id = ?
     ORDER BY position`,
  )
    .all(rollCallId, rollCallId)
    .map((row) => ({
      position: row.position,
      type: row.type,
      version: row.version,
      actor: { id: row.actor_id, role: row.actor_role },
      at: row.at,
      reason: row.reason,
      added: row.added === null ? null : JSON.parse(row.added),
      removed: row.removed === null ? null : JSON.parse(row.removed),
      revertsTo: row.reverts_to,
    }));

export type AbsenteeismAlert = {
  readonly alertId: string;
  readonly studentId: string;
  readonly month: string;
  readonly tier: AlertTier;
  readonly threshold: number;
  readonly status: 'open' | 'withdrawn';
  readonly countAtRaise: number;
  readonly currentCount: number;
  readonly raisedAt: string;
  readonly raisedPosition: number;
  readonly withdrawnAt: string | null;
  readonly withdrawnPosition: number | null;
};

/** Where a page of alerts ends, in the list's order: month, student, tier, then the position that raised it. */
export type AlertKey = readonly [month: string, studentId: string, tier: string, raisedPosition: number];

export const alertKeyOf = (alert: AbsenteeismAlert): AlertKey => [
  alert.month,
  alert.studentId,
  alert.tier,
  alert.raisedPosition,
];

type AlertRow = {
  alert_id: string;
  student_id: string;
  month: string;
  tier: AlertTier;
  threshold: number;
  status: 'open' | 'withdrawn';
  count_at_raise: number;
  current_count: number;
  raised_at: string;
  raised_position: number;
  withdrawn_at: string | null;
  withdrawn_position: number | null;
};

/**
 * The school's absenteeism alerts: open ones by default, withdrawn ones kept for the auditor. A page
 * is a range of the index of its status (or of all alerts), starting after `after`: never a scan.
 */
export const schoolAlerts = (
  db: Database,
  t: Tables,
  query: {
    schoolId: string;
    status?: 'open' | 'withdrawn' | 'all';
    month?: string;
    studentId?: string;
    after?: AlertKey;
    /** At most this many (all when not given). */
    limit?: number;
  },
): AbsenteeismAlert[] => {
  const status = query.status ?? 'open';
  const filters: [string, string][] = [];
  if (status !== 'all') filters.push(['status = ?', status]);
  if (query.month !== undefined) filters.push(['month = ?', query.month]);
  if (query.studentId !== undefined) filters.push(['student_id = ?', query.studentId]);
  const after =
    query.after === undefined ? '' : ' AND (month, student_id, tier, raised_position) > (?, ?, ?, ?)';
  return prepared<(string | number)[], AlertRow>(
    db,
    `SELECT * FROM "${t.alerts}" WHERE school_id = ?${filters.map(([condition]) => ` AND ${condition}`).join('')}${after}
     ORDER BY month, student_id, tier, raised_position LIMIT ?`,
  )
    .all(query.schoolId, ...filters.map(([, value]) => value), ...(query.after ?? []), query.limit ?? -1)
    .map((row) => ({
      alertId: row.alert_id,
      studentId: row.student_id,
      month: row.month,
      tier: row.tier,
      threshold: row.threshold,
      status: row.status,
      countAtRaise: row.count_at_raise,
      currentCount: row.current_count,
      raisedAt: row.raised_at,
      raisedPosition: row.raised_position,
      withdrawnAt: row.withdrawn_at,
      withdrawnPosition: row.withdrawn_position,
    }));
};
