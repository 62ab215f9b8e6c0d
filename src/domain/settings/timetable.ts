import { invalid } from '../shared/domain-error';
import { HalfDay, isWallClockTime, minutesOfDay } from '../shared/calendar';
import { halfDayOf } from '../shared/school-defaults';
import { SchoolSettings, TimetableSlot } from './settings';

const SLOT_CODE = /^[A-Za-z0-9_-]{1,16}$/;

export interface SlotWithHalfDay extends TimetableSlot {
  readonly halfDay: HalfDay;
}

export const timetableOf = (settings: SchoolSettings): readonly SlotWithHalfDay[] =>
  [...settings.slots]
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    .map((slot) => ({ ...slot, halfDay: halfDayOf(slot.start, settings.halfDayBoundary) }));

export const slotByCode = (settings: SchoolSettings, code: string): TimetableSlot | undefined =>
  settings.slots.find((slot) => slot.code === code);

export const validateSlots = (slots: readonly TimetableSlot[]): void => {
  if (slots.length === 0) throw invalid('SETTINGS.TIMETABLE_EMPTY', 'a timetable needs at least one slot');
  const seen = new Set<string>();
  slots.forEach((slot, index) => {
    const field = `slots[${index}]`;
    if (typeof slot.code !== 'string' || !SLOT_CODE.test(slot.code))
      throw invalid('SETTINGS.SLOT_CODE_INVALID', `${field}.code must be 1 to 16 letters, digits, - or _`, {
        field: `${field}.code`,
      });
    if (seen.has(slot.code))
      throw invalid('SETTINGS.SLOT_DUPLICATE', `slot ${slot.code} appears twice`, { field: `${field}.code` });
    seen.add(slot.code);
    for (const bound of ['start', 'end'] as const)
      if (!isWallClockTime(slot[bound]))
        throw invalid(
          'SETTINGS.SLOT_TIME_INVALID',
          `slot ${slot.code}: ${bound} must be HH:MM, got ${String(slot[bound])}`,
          {
            field: `${field}.${bound}`,
          },
        );
    if (minutesOfDay(slot.end) <= minutesOfDay(slot.start))
      throw invalid(
        'SETTINGS.SLOT_ENDS_BEFORE_START',
        `slot ${slot.code} ends at ${slot.end}, not after its start at ${slot.start}`,
        { field: `${field}.end`, slot: slot.code },
      );
  });
  const byStart = [...slots].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
  for (let i = 1; i < byStart.length; i++) {
    const [previous, next] = [byStart[i - 1], byStart[i]];
    if (minutesOfDay(next.start) < minutesOfDay(previous.end))
      throw invalid(
        'SETTINGS.SLOTS_OVERLAP',
        `slot ${next.code} starts at ${next.start}, before ${previous.code} ends at ${previous.end}`,
        { slots: [previous.code, next.code] },
      );
  }
};
