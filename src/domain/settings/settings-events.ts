import { DomainEvent, eventTypeGuard } from '../shared/event';
import { DEFAULT_SETTINGS, Effective, Reason, SchoolSettings, SettingValue, TimetableSlot } from './settings';
import { IsoDate } from '../shared/calendar';

/** Settings changes of the `school-{uai}` stream; each carries the date it takes effect. */
export type SettingChanged = DomainEvent<'SettingChanged', Effective & SettingValue>;
export type TimetableSet = DomainEvent<
  'TimetableSet',
  Effective & { readonly slots: readonly TimetableSlot[] }
>;
export type ReasonDefined = DomainEvent<'ReasonDefined', Effective & { readonly reason: Reason }>;
export type ReasonRetired = DomainEvent<'ReasonRetired', Effective & { readonly code: string }>;

export type SettingsEvent = SettingChanged | TimetableSet | ReasonDefined | ReasonRetired;

export const SETTINGS_EVENT_TYPES = [
  'SettingChanged',
  'TimetableSet',
  'ReasonDefined',
  'ReasonRetired',
] as const satisfies readonly SettingsEvent['type'][];

export const isSettingsEvent = eventTypeGuard<SettingsEvent>(SETTINGS_EVENT_TYPES);

export const applySettingsChange = (settings: SchoolSettings, event: SettingsEvent): SchoolSettings => {
  switch (event.type) {
    case 'SettingChanged':
      return { ...settings, [event.data.key]: event.data.value };
    case 'TimetableSet':
      return { ...settings, slots: event.data.slots };
    case 'ReasonDefined': {
      const others = settings.reasons.filter((r) => r.code !== event.data.reason.code);
      return { ...settings, reasons: [...others, event.data.reason] };
    }
    case 'ReasonRetired':
      return { ...settings, reasons: settings.reasons.filter((r) => r.code !== event.data.code) };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/**
 * The settings in force on `date`, from the events of a school stream (other events are ignored).
 * Changes apply in the order of their effective dates, and in recorded order for one date: a change
 * recorded later but effective earlier never overrides one that takes effect after it. Pass the
 * events up to a position to see the settings as they were known then (the auditor's view).
 */
export const settingsInForce = (
  events: readonly { readonly type: string }[],
  date: IsoDate,
): SchoolSettings =>
  orderedByEffectiveDate(events.filter(isSettingsEvent))
    .filter((event) => event.data.effectiveFrom <= date)
    .reduce(applySettingsChange, DEFAULT_SETTINGS);

/** Dates on which the settings changed, each with the settings in force from that date. */
export const settingsVersions = (
  events: readonly { readonly type: string }[],
): readonly { readonly effectiveFrom: IsoDate; readonly settings: SchoolSettings }[] => {
  const ordered = orderedByEffectiveDate(events.filter(isSettingsEvent));
  const versions: { effectiveFrom: IsoDate; settings: SchoolSettings }[] = [];
  let settings = DEFAULT_SETTINGS;
  for (const event of ordered) {
    settings = applySettingsChange(settings, event);
    const last = versions[versions.length - 1];
    if (last?.effectiveFrom === event.data.effectiveFrom) last.settings = settings;
    else versions.push({ effectiveFrom: event.data.effectiveFrom, settings });
  }
  return versions;
};

// Array.prototype.sort is stable, so changes effective on the same date keep their recorded order.
const orderedByEffectiveDate = (events: readonly SettingsEvent[]): SettingsEvent[] =>
  [...events].sort((a, b) =>
    a.data.effectiveFrom < b.data.effectiveFrom ? -1 : a.data.effectiveFrom > b.data.effectiveFrom ? 1 : 0,
  );
