import fc from 'fast-check';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings/settings';
import {
  SettingsEvent,
  settingsInForce,
  settingsVersions,
} from '../../../src/domain/settings/settings-events';
import { timetableOf } from '../../../src/domain/settings/timetable';
import { halfDayOf } from '../../../src/domain/shared/school-defaults';
import { addDays } from '../../../src/domain/shared/calendar';

const SCHOOL = '0670001A';
const boundary = (value: string, effectiveFrom: string): SettingsEvent => ({
  type: 'SettingChanged',
  data: { schoolId: SCHOOL, key: 'halfDayBoundary', value, effectiveFrom },
});
const countingMode = (value: 'gross' | 'full', effectiveFrom: string): SettingsEvent => ({
  type: 'SettingChanged',
  data: { schoolId: SCHOOL, key: 'countingMode', value, effectiveFrom },
});

describe('settings in force on a date', () => {
  it('are the defaults before any change: 11:55, gross counting, 4 then 10 half-days a month', () => {
    const settings = settingsInForce([], '2026-09-01');
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect([
      settings.halfDayBoundary,
      settings.countingMode,
      settings.absenteeismThreshold,
      settings.persistentAbsenteeismThreshold,
    ]).toEqual(['11:55', 'gross', 4, 10]);
  });

  it('take a change from its effective date on, not before', () => {
    const events = [boundary('12:30', '2026-11-02')];
    expect(settingsInForce(events, '2026-11-01').halfDayBoundary).toBe('11:55');
    expect(settingsInForce(events, '2026-11-02').halfDayBoundary).toBe('12:30');
  });

  it('let a change effective later win over one recorded later but effective earlier', () => {
    const events = [boundary('12:30', '2026-11-02'), boundary('12:00', '2026-09-01')];
    expect(settingsInForce(events, '2026-10-01').halfDayBoundary).toBe('12:00');
    expect(settingsInForce(events, '2026-12-01').halfDayBoundary).toBe('12:30');
  });

  it('apply changes effective on the same date in the order they were recorded', () => {
    const events = [countingMode('full', '2026-09-01'), countingMode('gross', '2026-09-01')];
    expect(settingsInForce(events, '2026-09-01').countingMode).toBe('gross');
  });

  it('ignore the other events of the school stream', () => {
    const events = [{ type: 'ClassOpened', data: {} }, boundary('12:30', '2026-09-01')];
    expect(settingsInForce(events, '2026-09-02').halfDayBoundary).toBe('12:30');
  });

  it('list one version per effective date', () => {
    const versions = settingsVersions([
      boundary('12:30', '2026-11-02'),
      countingMode('full', '2026-11-02'),
      boundary('12:00', '2026-09-01'),
    ]);
    expect(
      versions.map((v) => [v.effectiveFrom, v.settings.halfDayBoundary, v.settings.countingMode]),
    ).toEqual([
      ['2026-09-01', '12:00', 'gross'],
      ['2026-11-02', '12:30', 'full'],
    ]);
  });

  it('do not depend on the order in which changes with distinct dates were recorded (property)', () => {
    const change = fc.record({
      offset: fc.integer({ min: 0, max: 300 }),
      value: fc
        .tuple(fc.integer({ min: 10, max: 14 }), fc.constantFrom('00', '15', '30', '45'))
        .map(([h, m]) => `${h}:${m}`),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(change, { selector: (c) => c.offset, maxLength: 10 }),
        fc.integer({ min: -5, max: 310 }),
        (changes, probe) => {
          const events = changes.map((c) => boundary(c.value, addDays('2026-09-01', c.offset)));
          const date = addDays('2026-09-01', probe);
          const shuffled = [...events].reverse();
          expect(settingsInForce(shuffled, date)).toEqual(settingsInForce(events, date));
          const latest = [...changes]
            .filter((c) => c.offset <= probe)
            .sort((a, b) => a.offset - b.offset)
            .at(-1);
          expect(settingsInForce(events, date).halfDayBoundary).toBe(latest?.value ?? '11:55');
        },
      ),
    );
  });
});

describe('half-days', () => {
  it('put a slot starting before the boundary in the morning, one starting at it in the afternoon', () => {
    expect(halfDayOf('11:00', DEFAULT_SETTINGS.halfDayBoundary)).toBe('AM');
    expect(halfDayOf('11:55', DEFAULT_SETTINGS.halfDayBoundary)).toBe('PM');
    expect(halfDayOf('12:00', '12:30')).toBe('AM');
  });

  it('follow the boundary in force: the timetable is read with the settings of its date', () => {
    const events = [boundary('11:00', '2027-01-04')];
    const m4 = (date: string) =>
      timetableOf(settingsInForce(events, date)).find((slot) => slot.code === 'M4')?.halfDay;
    expect(m4('2027-01-03')).toBe('AM');
    expect(m4('2027-01-04')).toBe('PM');
  });
});
