import { conflict, invalid } from '../shared/domain-error';
import {
  SchoolCalendar,
  SchoolYear,
  SlotOnDate,
  SlotRef,
  TimetableSlot,
  openHalfDaysOn,
  resolveSlot,
} from './school-inputs';
import {
  HalfDay,
  IsoDate,
  WallClockTime,
  addDays,
  datesBetween,
  isEndTime,
  isIsoDate,
  isWallClockTime,
} from '../shared/calendar';

/**
 * Facts recorded outside a roll call cover a stretch of time; they are stored with the concrete
 * slots they cover, resolved against the timetable when they are recorded, so that counting never
 * needs the timetable again.
 */
export type TimetableInputs = {
  readonly slots: readonly TimetableSlot[];
  readonly halfDayBoundary?: WallClockTime;
  readonly calendar?: SchoolCalendar;
};

/** A range bound: a date, optionally narrowed to a slot (inclusive on both ends). */
export type SlotBound = {
  readonly date: IsoDate;
  readonly slotCode?: string;
};

export type DateHalfDay = {
  readonly date: IsoDate;
  readonly halfDay: HalfDay;
};

/** 'YYYY-MM-DD|AM' keys order half-days correctly: AM sorts before PM. */
export const halfDayKey = (at: DateHalfDay): string => `${at.date}|${at.halfDay}`;

export const checkDate = (code: string, field: string, date: unknown): IsoDate => {
  if (!isIsoDate(date)) throw invalid(code, `${field} must be a YYYY-MM-DD date`, { field, value: date });
  return date;
};

export const checkInSchoolYear = (code: string, field: string, date: IsoDate, schoolYear: SchoolYear) => {
  if (date < schoolYear.start || date > schoolYear.end)
    throw conflict(code, `${date} is outside the school year`, { field, date, schoolYear });
};

export const checkNotAfter = (
  code: string,
  field: string,
  date: IsoDate,
  today: IsoDate,
  daysAhead: number,
) => {
  const latestAllowed = addDays(today, daysAhead);
  if (date > latestAllowed)
    throw conflict(code, `${date} is later than ${latestAllowed}`, { field, date, latestAllowed });
};

const slotsOpenOn = (inputs: TimetableInputs, date: IsoDate): SlotRef[] => {
  const open = openHalfDaysOn(inputs.calendar, date);
  return inputs.slots
    .map((s) => resolveSlot(s, inputs.halfDayBoundary))
    .filter((s) => open.includes(s.halfDay));
};

const findSlot = (inputs: TimetableInputs, code: string, field: string): SlotRef => {
  const slot = inputs.slots.find((s) => s.code === code);
  if (!slot)
    throw invalid('ATTENDANCE.SLOT_UNKNOWN', `slot ${code} is not in the timetable`, {
      field,
      slotCode: code,
      knownSlots: inputs.slots.map((s) => s.code),
    });
  return resolveSlot(slot, inputs.halfDayBoundary);
};

const byTime = (a: SlotOnDate, b: SlotOnDate) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0;

const nonEmpty = (slots: SlotOnDate[], field: string): SlotOnDate[] => {
  if (slots.length === 0)
    throw conflict('ATTENDANCE.RANGE_EMPTY', 'the range covers no lesson of the timetable', { field });
  return slots.sort(byTime);
};

/** Every school slot from `from` to `to`, both bounds included. */
export const slotsInRange = (from: SlotBound, to: SlotBound, inputs: TimetableInputs): SlotOnDate[] => {
  const start = from.slotCode === undefined ? '00:00' : findSlot(inputs, from.slotCode, 'from.slot').start;
  const end = to.slotCode === undefined ? '24:00' : findSlot(inputs, to.slotCode, 'to.slot').end;
  if (to.date < from.date || (to.date === from.date && end <= start))
    throw invalid('ATTENDANCE.RANGE_INVERTED', 'the range ends before it starts', { field: 'to', from, to });
  const covered: SlotOnDate[] = [];
  for (const date of datesBetween(from.date, to.date))
    for (const slot of slotsOpenOn(inputs, date))
      if ((date !== from.date || slot.start >= start) && (date !== to.date || slot.end <= end))
        covered.push({ ...slot, date });
  return nonEmpty(covered, 'from');
};

/** The school slots of one day that overlap [from, to) — an infirmary visit, a departure. */
export const slotsOverlapping = (
  date: IsoDate,
  from: WallClockTime,
  to: WallClockTime,
  inputs: TimetableInputs,
  fields: { from: string; to: string },
): SlotOnDate[] => {
  if (!isWallClockTime(from))
    throw invalid('ATTENDANCE.TIME_INVALID', `${fields.from} must be HH:MM`, { field: fields.from });
  if (!isEndTime(to))
    throw invalid('ATTENDANCE.TIME_INVALID', `${fields.to} must be HH:MM`, { field: fields.to });
  if (to <= from)
    throw invalid('ATTENDANCE.RANGE_INVERTED', 'the range ends before it starts', { field: fields.to });
  const covered = slotsOpenOn(inputs, date)
    .filter((slot) => slot.start < to && slot.end > from)
    .map((slot) => ({ ...slot, date }));
  return nonEmpty(covered, fields.from);
};

export const coversHalfDay = (range: { from: DateHalfDay; to: DateHalfDay }, at: DateHalfDay): boolean => {
  const key = halfDayKey(at);
  return halfDayKey(range.from) <= key && key <= halfDayKey(range.to);
};
