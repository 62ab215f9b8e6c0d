import { Reason, SchoolSettings, SettingKey, TimetableSlot } from '../settings/settings';
import { applySettingsChange, SettingsEvent, settingsInForce } from '../settings/settings-events';
import { validateSlots } from '../settings/timetable';
import { validateReason, validSetting } from '../settings/validation';
import { invalid, notFound } from '../shared/domain-error';
import { sameJson, SchoolCmd } from './school-part';
import { IsoDate, isIsoDate } from '../shared/calendar';

/** The school's settings — thresholds, the day's slots, the reasons — each change with the date it takes effect. */

export interface SchoolSettingsChanges {
  /** In recorded order; read through `settingsOn`. */
  readonly settingsChanges: readonly SettingsEvent[];
}

export type ChangeSetting = SchoolCmd<
  'ChangeSetting',
  { readonly key: SettingKey; readonly value: unknown; readonly effectiveFrom: IsoDate }
>;
export type SetTimetable = SchoolCmd<
  'SetTimetable',
  { readonly slots: readonly TimetableSlot[]; readonly effectiveFrom: IsoDate }
>;
export type DefineReason = SchoolCmd<
  'DefineReason',
  { readonly reason: Reason; readonly effectiveFrom: IsoDate }
>;
export type RetireReason = SchoolCmd<
  'RetireReason',
  { readonly code: string; readonly effectiveFrom: IsoDate }
>;

export const evolveSettingsChanges = (
  part: SchoolSettingsChanges,
  event: SettingsEvent,
): SchoolSettingsChanges => ({ settingsChanges: [...part.settingsChanges, event] });

export const settingsOn = (part: SchoolSettingsChanges, date: IsoDate): SchoolSettings =>
  settingsInForce(part.settingsChanges, date);
const checkEffectiveDate = (date: unknown): IsoDate => {
  if (!isIsoDate(date))
    throw invalid(
      'SETTINGS.EFFECTIVE_DATE_INVALID',
      `effectiveFrom must be a date YYYY-MM-DD, got ${String(date)}`,
      {
        field: 'effectiveFrom',
      },
    );
  return date;
};

export const changeSetting = (data: ChangeSetting['data'], state: SchoolSettingsChanges): SettingsEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  const setting = validSetting(data.key, data.value);
  const before = settingsOn(state, effectiveFrom);
  if (sameJson(before[setting.key], setting.value)) return [];
  const event: SettingsEvent = {
    type: 'SettingChanged',
    data: { schoolId: data.schoolId, effectiveFrom, ...setting },
  };
  const after = applySettingsChange(before, event);
  if (after.persistentAbsenteeismThreshold <= after.absenteeismThreshold)
    throw invalid(
      'SETTINGS.THRESHOLD_TIERS_INVERTED',
      `the persistent absenteeism threshold (${after.persistentAbsenteeismThreshold}) must be higher than the first threshold (${after.absenteeismThreshold}) on ${effectiveFrom}`,
      { field: 'value', key: setting.key },
    );
  return [event];
};

export const setTimetable = (data: SetTimetable['data'], state: SchoolSettingsChanges): SettingsEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  validateSlots(data.slots);
  const slots = data.slots.map(({ code, start, end }) => ({ code, start, end }));
  if (sameJson(settingsOn(state, effectiveFrom).slots, slots)) return [];
  return [{ type: 'TimetableSet', data: { schoolId: data.schoolId, effectiveFrom, slots } }];
};

export const defineReason = (data: DefineReason['data'], state: SchoolSettingsChanges): SettingsEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  validateReason(data.reason);
  const { code, label, legitimate, countsAsAbsence, schoolResponsibility } = data.reason;
  const reason: Reason = { code, label: label.trim(), legitimate, countsAsAbsence, schoolResponsibility };
  const known = settingsOn(state, effectiveFrom).reasons.find((r) => r.code === code);
  if (known && sameJson(known, reason)) return [];
  return [{ type: 'ReasonDefined', data: { schoolId: data.schoolId, effectiveFrom, reason } }];
};

export const retireReason = (data: RetireReason['data'], state: SchoolSettingsChanges): SettingsEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  if (!settingsOn(state, effectiveFrom).reasons.some((r) => r.code === data.code))
    throw notFound('SETTINGS.REASON_UNKNOWN', `no reason ${data.code} is in force on ${effectiveFrom}`, {
      field: 'code',
    });
  return [{ type: 'ReasonRetired', data: { schoolId: data.schoolId, effectiveFrom, code: data.code } }];
};
