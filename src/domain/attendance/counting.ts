import { RollCall } from './roll-call';
import { GroupKind } from './roll-call-rules';
import { CountingSettingsTimeline, settingsInForce } from './school-inputs';
import { CoverageFact, CoverageKind, Justification, StudentAttendance } from './student-attendance-events';
import { HalfDay, IsoDate, minutesOfDay, monthOf } from '../shared/calendar';
import { CountingMode } from '../shared/school-defaults';

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

/** Times repeat (a timetable has a dozen), so each is parsed once. */
const minutesOfTime = new Map<string, number>();
const MINUTES_REMEMBERED = 1_000;

const minutesOf = (time: string): number => {
  let minutes = minutesOfTime.get(time);
  if (minutes === undefined) {
    minutes = minutesOfDay(time);
    if (minutesOfTime.size < MINUTES_REMEMBERED) minutesOfTime.set(time, minutes);
  }
  return minutes;
};

type SlotTimes = { readonly code: string; readonly start: string; readonly end: string };

/** What is known about one slot of one date; the first fact that names the slot gives its times. */
type SlotFacts = {
  readonly date: IsoDate;
  readonly halfDay: HalfDay;
  readonly slot: SlotTimes;
  readonly entries: RollCallEntry[];
  readonly coverage: CoverageFact[];
};

/** A justification with its bounds as `date|halfDay` keys, built once per count rather than per slot. */
type KeyedJustification = {
  readonly justification: Justification;
  readonly from: string;
  readonly to: string;
};

const isConvertedLateness = (e: RollCallEntry) =>
  e.status === 'late' &&
  e.lateAsAbsenceAfterMinutes !== null &&
  (e.minutes ?? 0) > e.lateAsAbsenceAfterMinutes;

const justificationStatus = (covering: readonly Justification[]): AbsenceStatus => {
  let accepted = false;
  let rejected = false;
  for (const j of covering)
    if (j.decision === 'accepted' && j.accepted) {
      if (!j.accepted.reasonFlags.countsAsAbsence || j.accepted.reasonFlags.schoolResponsibility)
        return 'not_counted';
      accepted = true;
    } else if (j.decision === 'rejected') rejected = true;
  if (accepted) return 'justified';
  if (rejected) return 'not_accepted';
  if (covering.length > 0) return 'pending';
  return 'unjustified';
};

const NONE: readonly never[] = [];

/**
 * `detailed` lists the facts behind the status (the ledger shows them); a count does not read them,
 * so it skips building them.
 */
const resolveOne = (
  facts: SlotFacts,
  justifications: readonly KeyedJustification[],
  detailed: boolean,
): ResolvedSlot => {
  const { date, halfDay, slot, entries, coverage } = facts;
  const observed = entries.length > 0;
  let here = 0;
  let counting: RollCallEntry | undefined;
  let converted = false;
  let classEntry: RollCallEntry | undefined;
  for (const e of entries) {
    const isConverted = isConvertedLateness(e);
    if (isConverted) converted = true;
    else if (e.status === 'present' || e.status === 'late') {
      here++;
      if (!counting && e.status === 'late') counting = e;
    }
    if (!classEntry && e.groupKind === 'class') classEntry = e;
  }
  let atInfirmary = false;
  let onOuting = false;
  let reported: CoverageFact | undefined;
  let coverageClass: string | null = null;
  for (const c of coverage) {
    if (c.kind === 'infirmary') atInfirmary = true;
    else if (c.kind === 'collective_exemption') onOuting = true;
    else if (!reported) reported = c;
    if (coverageClass === null && c.classOrGroupId !== null) coverageClass = c.classOrGroupId;
  }
  // The infirmary saw the student at school; an outing only covers the students who went on it,
  // and a student the family reported absent (or who left the school) did not.
  const underSchool = atInfirmary || (onOuting && !reported);
  const presence = underSchool
    ? 'school_responsibility'
    : observed
      ? here > 0
        ? 'present'
        : 'absent'
      : reported
        ? 'absent'
        : 'present';
  const covering: Justification[] = [];
  if (presence === 'absent' && justifications.length > 0) {
    const key = `${date}|${halfDay}`;
    for (const j of justifications)
      if (!j.justification.voided && j.from <= key && key <= j.to) covering.push(j.justification);
  }
  const status = justificationStatus(covering);
  return {
    date,
    slot: detailed ? { code: slot.code, start: slot.start, end: slot.end } : slot,
    halfDay,
    presence,
    lateMinutes: counting ? counting.minutes : null,
    lateCountedAsAbsence: presence === 'absent' && converted,
    absence:
      presence === 'absent'
        ? { source: observed ? 'roll_call' : (reported?.kind as 'absence_report' | 'departure'), status }
        : null,
    counted: presence === 'absent' && status !== 'not_counted',
    observed,
    classId: classEntry?.classOrGroupId ?? reported?.classOrGroupId ?? coverageClass,
    rollCallIds: detailed ? entries.map((e) => e.rollCallId) : NONE,
    factIds: detailed ? coverage.map(({ id, kind }) => ({ id, kind })) : NONE,
    justificationIds: detailed ? covering.map((j) => j.id) : NONE,
  };
};

/**
 * The status of every slot something is known about, for one student. Where facts contradict, the
 * rules decide and both facts stay listed: the infirmary wins over an absence; an outing wins over a
 * roll call that marked the class away, never over an absence reported for that student (who stayed
 * home); a roll call (what the teacher saw) wins over a report; presence in any roll call of the slot
 * wins over absence in another.
 */
export type DateRange = { readonly from: IsoDate; readonly to: IsoDate };

const within = (range: DateRange | undefined, date: IsoDate) =>
  !range || (date >= range.from && date <= range.to);

const byLesson = (a: ResolvedSlot, b: ResolvedSlot) =>
  a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.slot.start < b.slot.start ? -1 : 1;

const resolve = (
  entries: readonly RollCallEntry[],
  attendance: StudentAttendance,
  range: DateRange | undefined,
  detailed: boolean,
): ResolvedSlot[] => {
  const bySlot = new Map<string, SlotFacts>();
  const at = (date: IsoDate, halfDay: HalfDay, slot: SlotTimes) => {
    const key = `${date}|${slot.code}`;
    let facts = bySlot.get(key);
    if (!facts) bySlot.set(key, (facts = { date, halfDay, slot, entries: [], coverage: [] }));
    return facts;
  };
  for (const entry of entries)
    if (within(range, entry.date)) at(entry.date, entry.halfDay, entry.slot).entries.push(entry);
  for (const id in attendance.facts) {
    const fact = attendance.facts[id];
    if (!fact.voided)
      for (const slot of fact.slots)
        if (within(range, slot.date)) at(slot.date, slot.halfDay, slot).coverage.push(fact);
  }
  const justifications: KeyedJustification[] = [];
  for (const id in attendance.justifications) {
    const justification = attendance.justifications[id];
    justifications.push({
      justification,
      from: `${justification.from.date}|${justification.from.halfDay}`,
      to: `${justification.to.date}|${justification.to.halfDay}`,
    });
  }
  const resolved: ResolvedSlot[] = [];
  for (const facts of bySlot.values()) resolved.push(resolveOne(facts, justifications, detailed));
  return resolved.sort(byLesson);
};

export const resolveSlots = (
  entries: readonly RollCallEntry[],
  attendance: StudentAttendance,
  range?: DateRange,
): ResolvedSlot[] => resolve(entries, attendance, range, true);

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

const tallyOne = (group: readonly ResolvedSlot[], settings: CountingSettingsTimeline): HalfDayTally => {
  const { date, halfDay } = group[0];
  const { mode } = settingsInForce(settings, date);
  let missedSlots = 0;
  let missedMinutes = 0;
  let allMissedJustified = true;
  let everyObservedMissed = true;
  let latenesses = 0;
  let classId: string | null = null;
  for (const s of group) {
    if (s.counted) {
      missedSlots++;
      missedMinutes += minutesOf(s.slot.end) - minutesOf(s.slot.start);
      if (s.absence?.status !== 'justified') allMissedJustified = false;
    } else if (s.observed) everyObservedMissed = false;
    if (s.lateMinutes !== null) latenesses++;
    if (classId === null && s.classId !== null) classId = s.classId;
  }
  const absent = missedSlots > 0 && (mode === 'gross' || everyObservedMissed);
  return {
    date,
    halfDay,
    month: monthOf(date),
    mode,
    classId,
    absent,
    justified: absent && allMissedJustified,
    latenesses,
    missedSlots,
    missedMinutes,
  };
};

const byHalfDay = (a: HalfDayTally, b: HalfDayTally) =>
  a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.halfDay < b.halfDay ? -1 : 1;

/** One tally per half-day with something to count: an absence, a lateness, missed minutes. */
export const tallyHalfDays = (
  slots: readonly ResolvedSlot[],
  settings: CountingSettingsTimeline,
): HalfDayTally[] => {
  const groups = new Map<string, ResolvedSlot[]>();
  for (const slot of slots) {
    const key = `${slot.date}|${slot.halfDay}`;
    const group = groups.get(key);
    if (group) group.push(slot);
    else groups.set(key, [slot]);
  }
  const tallies: HalfDayTally[] = [];
  for (const group of groups.values()) {
    const tally = tallyOne(group, settings);
    if (tally.absent || tally.latenesses > 0 || tally.missedSlots > 0) tallies.push(tally);
  }
  return tallies.sort(byHalfDay);
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
  tallyHalfDays(resolve(input.entries, input.attendance, input.range, false), input.settings);
