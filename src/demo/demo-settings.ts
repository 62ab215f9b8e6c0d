import { ReasonDefinition } from '../domain/attendance';
import { LessonHalfDays } from '../domain/settings/lesson-half-days';
import { DEFAULT_REASONS, Reason } from '../domain/settings/settings';
import { Closure } from '../domain/structure/closures';

/**
 * What the demo collège sets for itself on top of the defaults: trimesters, two reasons of its own,
 * no lessons on Wednesday afternoons, and its closures.
 */

export const DEMO_TRIMESTERS = [
  { start: '2026-09-01', end: '2026-11-30', label: '1er trimestre' },
  { start: '2026-12-01', end: '2027-03-05', label: '2e trimestre' },
  { start: '2027-03-06', end: '2027-07-03', label: '3e trimestre' },
] as const;

export const DEMO_EXTRA_REASONS: readonly Reason[] = [
  {
    code: 'RDV_MEDICAL',
    label: 'Rendez-vous médical (accepté par le règlement intérieur)',
    legitimate: true,
    countsAsAbsence: true,
    schoolResponsibility: false,
  },
  {
    code: 'PANNE_REVEIL',
    label: 'Panne de réveil',
    legitimate: false,
    countsAsAbsence: true,
    schoolResponsibility: false,
  },
];

/** The reasons in force during the demo month, as attendance decisions read them. */
export const DEMO_REASONS: readonly ReasonDefinition[] = [...DEFAULT_REASONS, ...DEMO_EXTRA_REASONS];

/** Like many collèges: Wednesday afternoon is free (UNSS, clubs). */
export const DEMO_LESSON_HALF_DAYS: LessonHalfDays = {
  monday: ['AM', 'PM'],
  tuesday: ['AM', 'PM'],
  wednesday: ['AM'],
  thursday: ['AM', 'PM'],
  friday: ['AM', 'PM'],
  saturday: [],
  sunday: [],
};

/** The Toussaint holidays of 2026 and the Armistice, declared before the year starts. */
export const DEMO_CLOSURES: readonly Closure[] = [
  {
    closureId: 'toussaint-2026',
    from: '2026-10-17',
    to: '2026-11-01',
    label: 'Vacances de la Toussaint',
    kind: 'holidays',
  },
  {
    closureId: 'armistice-2026',
    from: '2026-11-11',
    to: '2026-11-11',
    label: 'Armistice',
    kind: 'bank-holiday',
  },
];
