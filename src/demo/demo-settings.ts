import { ReasonDefinition } from '../domain/attendance';
import { DEFAULT_REASONS, Reason } from '../domain/settings/settings';

/** What the demo collège sets for itself on top of the defaults: trimesters and two reasons of its own. */

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
