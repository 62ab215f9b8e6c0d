import { ReportCardClass, ReportCardSocle, ReportCardSubject } from '../../src/report-cards';

const subject = (label: string, teacher: string, values: Partial<ReportCardSubject>): ReportCardSubject => ({
  label,
  teacher,
  average: null,
  classAverage: null,
  min: null,
  max: null,
  positioning: null,
  positioningSuggested: null,
  appreciation: '',
  ...values,
});

const socle = (levels: readonly (0 | 1 | 2 | 3 | 4 | null)[]): ReportCardSocle[] =>
  (
    [
      ['CPD_FRA', 'Langue française à l’oral et à l’écrit'],
      ['CPD_ETR', 'Langues étrangères et régionales'],
      ['CPD_SCI', 'Langages mathématiques, scientifiques et informatiques'],
      ['CPD_ART', 'Langages des arts et du corps'],
      ['MET_APP', 'Méthodes et outils pour apprendre'],
      ['FRM_CIT', 'Formation de la personne et du citoyen'],
      ['SYS_NAT', 'Systèmes naturels et systèmes techniques'],
      ['REP_MND', 'Représentations du monde et activité humaine'],
    ] as const
  ).map(([component, label], index) => ({ component, label, level: levels[index] }));

/**
 * 4e B, first trimester 2026-2027, three students. Léa Dupont: 12.345 in French (12,35 shown),
 * 15.996 in maths (16,00), congratulated. Inès N'Diaye: arrived from 4e A, no maths average, no
 * final positioning in maths (the suggestion, 2, is printed as such), an open alert. Théo Lefèvre:
 * a French average of 9.994 (9,99), a lateness, encouraged.
 */
export const CLASS_4B: ReportCardClass = {
  school: { uai: '0670001A', name: 'Collège Marie-Curie' },
  class: { id: 'C4B', label: '4e B' },
  period: { id: 'T1', label: '1er trimestre', start: '2026-09-01', end: '2026-11-30' },
  schoolYear: '2026-2027',
  rounding: { mode: 'nearest', step: 0.01 },
  issuedOn: '2026-12-11',
  students: [
    {
      studentId: 's01',
      lastName: 'Dupont',
      firstName: 'Léa',
      birthDate: '2013-03-14',
      subjects: [
        subject('Français', 'Mme Lefèvre', {
          average: 12.345,
          classAverage: 11.2,
          min: 4.5,
          max: 17,
          positioning: 3,
          positioningSuggested: 3,
          appreciation: 'Élève sérieuse ; l’écrit est soigné, « oser » l’oral.',
        }),
        subject('Mathématiques', 'M. Lœillet', {
          average: 15.996,
          classAverage: 10.875,
          min: 3,
          max: 19.5,
          positioning: 4,
          positioningSuggested: 3,
          appreciation: 'Excellent trimestre.',
        }),
      ],
      general: { average: 14.1705, classAverage: 11.0375 },
      socle: socle([4, 3, 4, 2, 3, 3, 0, null]),
      schoolLife: { justifiedHalfDays: 2, unjustifiedHalfDays: 1, latenesses: 3, openAlerts: 0 },
      council: {
        synthesis: 'Très bon trimestre, félicitations pour ce travail.',
        mention: 'Félicitations',
        date: '2026-12-10',
      },
    },
    {
      studentId: 's02',
      lastName: "N'Diaye",
      firstName: 'Inès',
      moved: 'Arrivée de 4e A le 05/11/2026',
      subjects: [
        subject('Français', 'Mme Lefèvre', {
          average: 8.125,
          classAverage: 11.2,
          min: 4.5,
          max: 17,
          positioning: 2,
          positioningSuggested: 2,
          appreciation: 'Des efforts à poursuivre.',
        }),
        subject('Mathématiques', 'M. Lœillet', {
          classAverage: 10.875,
          min: 3,
          max: 19.5,
          positioningSuggested: 2,
          appreciation: 'Arrivée récente : pas de note ce trimestre.',
        }),
      ],
      general: { average: 8.125, classAverage: 11.0375 },
      socle: socle([2, 1, null, null, 2, 3, 1, 2]),
      schoolLife: { justifiedHalfDays: 0, unjustifiedHalfDays: 4, latenesses: 0, openAlerts: 1 },
      council: {
        synthesis: 'Un début d’année difficile ; le conseil attend un travail plus régulier.',
        mention: null,
        date: '2026-12-10',
      },
    },
    {
      studentId: 's03',
      lastName: 'Lefèvre',
      firstName: 'Théo',
      subjects: [
        subject('Français', 'Mme Lefèvre', {
          average: 9.994,
          classAverage: 11.2,
          min: 4.5,
          max: 17,
          positioning: 1,
          positioningSuggested: 1,
          appreciation: 'Travail insuffisant.',
        }),
        subject('Mathématiques', 'M. Lœillet', {
          average: 7.5,
          classAverage: 10.875,
          min: 3,
          max: 19.5,
          positioning: 2,
          positioningSuggested: 2,
          appreciation: '=SOMME(A1) est une formule, pas une appréciation.',
        }),
      ],
      general: { average: 8.747, classAverage: 11.0375 },
      socle: socle([1, 2, 2, 3, 2, 2, 2, 2]),
      schoolLife: { justifiedHalfDays: 6, unjustifiedHalfDays: 0, latenesses: 1, openAlerts: 0 },
      council: { synthesis: 'Des progrès sont attendus.', mention: 'Encouragements', date: '2026-12-10' },
    },
  ],
};
