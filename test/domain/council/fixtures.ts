import {
  AwardMention,
  ClassAppreciationWritten,
  CouncilHeld,
  CouncilReopened,
  CouncilScheduled,
  HoldCouncil,
  MentionAwarded,
  ReopenCouncil,
  ScheduleCouncil,
  StudentSynthesisWritten,
  WriteClassAppreciation,
  WriteStudentSynthesis,
} from '../../../src/domain/council';
import { Actor } from '../../../src/domain/shared/event';

export const PRINCIPAL: Actor = { id: 'p-leroy', role: 'principal' };
export const TEACHER: Actor = { id: 't-martin', role: 'teacher' };
export const CPE: Actor = { id: 'c-moreau', role: 'cpe' };
export const AUDITOR: Actor = { id: 'i-petit', role: 'auditor' };

export const KEYS = { classId: '5B', periodId: 'T1' };
/** The first trimester: the council may meet from 2026-11-09. */
export const T1 = { start: '2026-09-01', end: '2026-11-30' };
export const TODAY = '2026-12-03';
/** In 5B on 2026-11-30; s06 left for 5A in October. */
export const COUNCIL_STUDENTS: ReadonlySet<string> = new Set(['s03', 's01', 's02']);
export const MENTIONS = ['Félicitations', 'Compliments', 'Encouragements'];
export const SNAPSHOT = { generalAverages: { s01: 14.25, s02: 11.5, s03: 9.75 }, classAverage: 11.83 };

export const scheduleCouncil = (overrides: Partial<ScheduleCouncil> = {}): ScheduleCouncil => ({
  type: 'ScheduleCouncil',
  actor: PRINCIPAL,
  ...KEYS,
  date: '2026-12-02',
  context: { period: T1 },
  ...overrides,
});

export const councilScheduled = (date = '2026-12-02'): CouncilScheduled => ({
  type: 'CouncilScheduled',
  data: { ...KEYS, date, scheduledBy: PRINCIPAL },
});

export const writeSynthesis = (
  text: string,
  overrides: Partial<WriteStudentSynthesis> = {},
): WriteStudentSynthesis => ({
  type: 'WriteStudentSynthesis',
  actor: PRINCIPAL,
  ...KEYS,
  studentId: 's01',
  text,
  context: { students: COUNCIL_STUDENTS },
  ...overrides,
});

export const synthesisWritten = (
  text: string,
  overrides: Partial<StudentSynthesisWritten['data']> = {},
): StudentSynthesisWritten => ({
  type: 'StudentSynthesisWritten',
  data: { ...KEYS, studentId: 's01', text, previous: null, writtenBy: PRINCIPAL, ...overrides },
});

export const awardMention = (
  mention: string | null,
  overrides: Partial<AwardMention> = {},
): AwardMention => ({
  type: 'AwardMention',
  actor: PRINCIPAL,
  ...KEYS,
  studentId: 's01',
  mention,
  context: { students: COUNCIL_STUDENTS, councilMentions: MENTIONS },
  ...overrides,
});

export const mentionAwarded = (
  mention: string | null,
  overrides: Partial<MentionAwarded['data']> = {},
): MentionAwarded => ({
  type: 'MentionAwarded',
  data: { ...KEYS, studentId: 's01', mention, previous: null, awardedBy: PRINCIPAL, ...overrides },
});

export const writeClassAppreciation = (
  text: string,
  overrides: Partial<WriteClassAppreciation> = {},
): WriteClassAppreciation => ({
  type: 'WriteClassAppreciation',
  actor: PRINCIPAL,
  ...KEYS,
  text,
  ...overrides,
});

export const classAppreciationWritten = (
  text: string,
  previous: string | null = null,
): ClassAppreciationWritten => ({
  type: 'ClassAppreciationWritten',
  data: { ...KEYS, text, previous, writtenBy: PRINCIPAL },
});

export const holdCouncil = (overrides: Partial<HoldCouncil> = {}): HoldCouncil => ({
  type: 'HoldCouncil',
  actor: PRINCIPAL,
  ...KEYS,
  snapshot: SNAPSHOT,
  context: { students: COUNCIL_STUDENTS, period: T1, today: TODAY },
  ...overrides,
});

export const councilHeld = (overrides: Partial<CouncilHeld['data']> = {}): CouncilHeld => ({
  type: 'CouncilHeld',
  data: {
    ...KEYS,
    heldOn: '2026-12-02',
    heldBy: PRINCIPAL,
    students: ['s01', 's02', 's03'],
    snapshot: SNAPSHOT,
    ...overrides,
  },
});

export const reopenCouncil = (reason: string, overrides: Partial<ReopenCouncil> = {}): ReopenCouncil => ({
  type: 'ReopenCouncil',
  actor: PRINCIPAL,
  ...KEYS,
  reason,
  ...overrides,
});

export const councilReopened = (reason: string): CouncilReopened => ({
  type: 'CouncilReopened',
  data: { ...KEYS, reason, reopenedBy: PRINCIPAL },
});
