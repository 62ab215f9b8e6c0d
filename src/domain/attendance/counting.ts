import { HalfDay, IsoDate, minutesBetween, monthOf } from './calendar';
import { coversHalfDay } from './coverage';
import { RollCall } from './roll-call';
import { GroupKind } from './roll-call-rules';
import { CountingMode, CountingSettingsTimeline, SlotOnDate, settingsInForce } from './school-inputs';
import { CoverageKind, Justification, StudentAttendance, coverageEffect } from './student-attendance-events';

/**
 * Half-day counting from the final facts (DOMAIN.md, "Absences and lateness"): one student's roll-call
 * entries and attendance stream in, a tally per half-day out. Everything here is pure, so the live
 * view, a rebuild, an as-of view and the tests all count with the same code.
 */

/** What one roll call says about one student. */
export type RollCallEntry = {
  readonly rollCallId: string;
  readonly studentId: string;
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly date: IsoDate;
  readonly slot: { readonly code: string; readonly start: string; readonly end: string };
  readonly halfDay: HalfDay;
  readonly status: 'present' | 'absent' | 'late';
  readonly minutes: number | null;
  readonly lateAsAbsenceAfterMinutes: number | null;
};

/** The entries of a roll call that counts (taken, not voided), one per student on its register. */
export const rollCallEntries = (rollCallId: string, rollCall: RollCall): RollCallEntry[] => {
  if (rollCall.status !== 'taken') return [];
  const { lesson, list } = rollCall;
  const students = new Set([...rollCall.register, ...list.absent, ...list.late.map((l) => l.studentId)]);
  return [...students].sort().map((studentId) => {
    const late = list.late.find((l) => l.studentId === studentId);
    return {
      rollCallId,
      studentId,
      classOrGroupId: lesson.classOrGroupId,
      groupKind: lesson.groupKind,
      date: lesson.date,
      slot: lesson.slot,
      halfDay: lesson.halfDay,
      status: list.absent.includes(studentId) ? 'absent' : late ? 'late' : 'present',
      minutes: late ? late.minutes : null,
      lateAsAbsenceAfterMinutes: rollCall.lateAsAbsenceAfterMinutes,
    };
  });
};

export type AbsenceStatus = 'unjustified' | 'pending' | 'not_accepted' | 'justified' | 'not_counted';

export type AbsenceSource = 'roll_call' | 'absence_report' | 'departure';

export type ResolvedSlot = {
  readonly date: IsoDate;
  readonly slot: { readonly code: string; readonly start: string; readonly end: string };
  readonly halfDay: HalfDay;
  readonly presence: 'present' | 'absent' | 'school_responsibility';
  /** Minutes of a lateness that counts as a lateness (not turned into an absence). */
  readonly lateMinutes: number | null;
  readonly lateCountedAsAbsence: boolean;
  readonly absence: { readonly source: AbsenceSource; readonly status: AbsenceStatus } | null;
  /** An absence that counts: absent, and not excused by a reason that does not count. */
  readonly counted: boolean;
  /** A roll call was taken for this slot (the slots "full" counting looks at). */
  readonly observed: boolean;
  readonly classId: string | null;
  /** The facts behind the status: roll calls, facts recorded outside them, justifications. */
  readonly rollCallIds: readonly string[];
  readonly factIds: readonly { readonly id: string; readonly kind: CoverageKind }[];
  readonly justificationIds: readonly string[];
};

const slotKey = (date: IsoDate, code: string) => `${date}|${code}`;

type SlotFacts = {
  slot: SlotOnDate;
  entries: RollCallEntry[];
  coverage: { id: string; kind: CoverageKind; classOrGroupId: string | null }[];
};

const isConvertedLateness = (e: RollCallEntry) =>
  e.status === 'late' &&
  e.lateAsAbsenceAfterMinutes !== null &&
  (e.minutes ?? 0) > e.lateAsAbsenceAfterMinutes;

const justificationStatus = (covering: readonly Justification[]): AbsenceStatus => {
  const accepted = covering.filter((j) => j.decision === 'accepted' && j.accepted);
  if (
    accepted.some(
      (j) => !j.accepted?.reasonFlags.countsAsAbsence || j.accepted?.reasonFlags.schoolResponsibility,
    )
  )
    return 'not_counted';
  if (accepted.length > 0) return 'justified';
  if (covering.some((j) => j.decision === 'rejected')) return 'not_accepted';
  if (covering.length > 0) return 'pending';
  return 'unjustified';
};

const resolveOne = (facts: SlotFacts, justifications: readonly Justification[]): ResolvedSlot => {
  const { slot, entries, coverage } = facts;
  const observed = entries.length > 0;
  const here = entries.filter(
    (e) => e.status === 'present' || (e.status === 'late' && !isConvertedLateness(e)),
  );
  const counting = here.find((e) => e.status === 'late');
  const underSchool = coverage.some((c) => coverageEffect(c.kind) === 'school_responsibility');
  const reported = coverage.find((c) => coverageEffect(c.kind) === 'absent');
  const presence = underSchool
    ? 'school_responsibility'
    : observed
      ? here.length > 0
        ? 'present'
        : 'absent'
      : reported
        ? 'absent'
        : 'present';
  const covering =
    presence === 'absent'
      ? justifications.filter(
          (j) => !j.voided && coversHalfDay(j, { date: slot.date, halfDay: slot.halfDay }),
        )
      : [];
  const status = justificationStatus(covering);
  const classEntry = entries.find((e) => e.groupKind === 'class');
  return {
    date: slot.date,
    slot: { code: slot.code, start: slot.start, end: slot.end },
    halfDay: slot.halfDay,
    presence,
    lateMinutes: counting ? counting.minutes : null,
    lateCountedAsAbsence: presence === 'absent' && entries.some(isConvertedLateness),
    absence:
      presence === 'absent'
        ? { source: observed ? 'roll_call' : (reported?.kind as 'absence_report' | 'departure'), status }
        : null,
    counted: presence === 'absent' && status !== 'not_counted',
    observed,
    classId:
      classEntry?.classOrGroupId ?? coverage.find((c) => c.classOrGroupId !== null)?.classOrGroupId ?? null,
    rollCallIds: entries.map((e) => e.rollCallId),
    factIds: coverage.map(({ id, kind }) => ({ id, kind })),
    justificationIds: covering.map((j) => j.id),
  };
};

/**
 * The status of every slot something is known about, for one student. Where facts contradict, the
 * rules decide and both facts stay listed: the school's responsibility (infirmary, outing) wins over
 * an absence; a roll call (what the teacher saw) wins over a report; presence in any roll call of the
 * slot wins over absence in another.
 */
export type DateRange = { readonly from: IsoDate; readonly to: IsoDate };

const within = (range: DateRange | undefined, date: IsoDate) =>
  !range || (date >= range.from && date <= range.to);

export const resolveSlots = (
  entries: readonly RollCallEntry[],
  attendance: StudentAttendance,
  range?: DateRange,
): ResolvedSlot[] => {
  const bySlot = new Map<string, SlotFacts>();
  const at = (slot: SlotOnDate) => {
    const key = slotKey(slot.date, slot.code);
    let facts = bySlot.get(key);
    if (!facts) bySlot.set(key, (facts = { slot, entries: [], coverage: [] }));
    return facts;
  };
  for (const entry of entries)
    if (within(range, entry.date))
      at({ ...entry.slot, halfDay: entry.halfDay, date: entry.date }).entries.push(entry);
  for (const fact of Object.values(attendance.facts))
    if (!fact.voided)
      for (const slot of fact.slots)
        if (within(range, slot.date))
          at(slot).coverage.push({ id: fact.id, kind: fact.kind, classOrGroupId: fact.classOrGroupId });
  const justifications = Object.values(attendance.justifications);
  return [...bySlot.values()]
    .map((facts) => resolveOne(facts, justifications))
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.slot.start < b.slot.start ? -1 : 1));
};

export type HalfDayTally = {
  readonly date: IsoDate;
  readonly halfDay: HalfDay;
  readonly month: string;
  readonly mode: CountingMode;
  readonly classId: string | null;
  /** Counted as an absent half-day under the mode in force on that date. */
  readonly absent: boolean;
  /** Absent, and every missed slot of it justified. */
  readonly justified: boolean;
  readonly latenesses: number;
  readonly missedSlots: number;
  readonly missedMinutes: number;
};

const halfDayCounts = (mode: CountingMode, slots: readonly ResolvedSlot[]): boolean => {
  const missed = slots.filter((s) => s.counted);
  if (missed.length === 0) return false;
  return mode === 'gross' || slots.every((s) => !s.observed || s.counted);
};

/** One tally per half-day with something to count: an absence, a lateness, missed minutes. */
export const tallyHalfDays = (
  slots: readonly ResolvedSlot[],
  settings: CountingSettingsTimeline,
): HalfDayTally[] => {
  const byHalfDay = new Map<string, ResolvedSlot[]>();
  for (const slot of slots) {
    const key = `${slot.date}|${slot.halfDay}`;
    byHalfDay.set(key, [...(byHalfDay.get(key) ?? []), slot]);
  }
  const tallies: HalfDayTally[] = [];
  for (const group of byHalfDay.values()) {
    const { date, halfDay } = group[0];
    const { mode } = settingsInForce(settings, date);
    const missed = group.filter((s) => s.counted);
    const absent = halfDayCounts(mode, group);
    const tally: HalfDayTally = {
      date,
      halfDay,
      month: monthOf(date),
      mode,
      classId: group.find((s) => s.classId !== null)?.classId ?? null,
      absent,
      justified: absent && missed.every((s) => s.absence?.status === 'justified'),
      latenesses: group.filter((s) => s.lateMinutes !== null).length,
      missedSlots: missed.length,
      missedMinutes: missed.reduce((sum, s) => sum + minutesBetween(s.slot.start, s.slot.end), 0),
    };
    if (tally.absent || tally.latenesses > 0 || tally.missedSlots > 0) tallies.push(tally);
  }
  return tallies.sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.halfDay < b.halfDay ? -1 : 1,
  );
};

export type AttendanceTotals = {
  readonly halfDaysAbsent: number;
  readonly justifiedHalfDays: number;
  readonly unjustifiedHalfDays: number;
  readonly latenesses: number;
  readonly missedMinutes: number;
};

export const ZERO_TOTALS: AttendanceTotals = {
  halfDaysAbsent: 0,
  justifiedHalfDays: 0,
  unjustifiedHalfDays: 0,
  latenesses: 0,
  missedMinutes: 0,
};

export const addTotals = (a: AttendanceTotals, b: AttendanceTotals): AttendanceTotals => ({
  halfDaysAbsent: a.halfDaysAbsent + b.halfDaysAbsent,
  justifiedHalfDays: a.justifiedHalfDays + b.justifiedHalfDays,
  unjustifiedHalfDays: a.unjustifiedHalfDays + b.unjustifiedHalfDays,
  latenesses: a.latenesses + b.latenesses,
  missedMinutes: a.missedMinutes + b.missedMinutes,
});

const totalsOfTally = (t: HalfDayTally): AttendanceTotals => ({
  halfDaysAbsent: t.absent ? 1 : 0,
  justifiedHalfDays: t.absent && t.justified ? 1 : 0,
  unjustifiedHalfDays: t.absent && !t.justified ? 1 : 0,
  latenesses: t.latenesses,
  missedMinutes: t.missedMinutes,
});

export const totalsOf = (tallies: readonly HalfDayTally[]): AttendanceTotals =>
  tallies.map(totalsOfTally).reduce(addTotals, ZERO_TOTALS);

/** Totals over a date range, both ends included: a period, a school year. */
export const totalsBetween = (
  tallies: readonly HalfDayTally[],
  from: IsoDate,
  to: IsoDate,
): AttendanceTotals => totalsOf(tallies.filter((t) => t.date >= from && t.date <= to));

export const totalsByMonth = (tallies: readonly HalfDayTally[]): Record<string, AttendanceTotals> => {
  const months: Record<string, AttendanceTotals> = {};
  for (const tally of tallies)
    months[tally.month] = addTotals(months[tally.month] ?? ZERO_TOTALS, totalsOfTally(tally));
  return months;
};

export type Period = { readonly id: string; readonly start: IsoDate; readonly end: IsoDate };

export const totalsByPeriod = (
  tallies: readonly HalfDayTally[],
  periods: readonly Period[],
): Record<string, AttendanceTotals> =>
  Object.fromEntries(periods.map((p) => [p.id, totalsBetween(tallies, p.start, p.end)]));

/** A class's figures: each student's half-days counted while in that class (the tally's class). */
export const classTotals = (
  tallies: ReadonlyMap<string, readonly HalfDayTally[]>,
  classId: string,
  from: IsoDate,
  to: IsoDate,
): { readonly students: Record<string, AttendanceTotals>; readonly total: AttendanceTotals } => {
  const students: Record<string, AttendanceTotals> = {};
  for (const [studentId, own] of tallies) {
    const inClass = own.filter((t) => t.classId === classId && t.date >= from && t.date <= to);
    if (inClass.length > 0) students[studentId] = totalsOf(inClass);
  }
  return { students, total: Object.values(students).reduce(addTotals, ZERO_TOTALS) };
};

/** Everything counted for one student, from the final facts and the settings timeline. */
export const countStudent = (input: {
  readonly entries: readonly RollCallEntry[];
  readonly attendance: StudentAttendance;
  readonly settings: CountingSettingsTimeline;
  readonly range?: DateRange;
}): HalfDayTally[] =>
  tallyHalfDays(resolveSlots(input.entries, input.attendance, input.range), input.settings);
