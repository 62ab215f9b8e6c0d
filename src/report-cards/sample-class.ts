import { SOCLE_COMPONENTS, SocleComponent } from '../domain/assessment/positioning';
import { Positioning, ReportCardClass, ReportCardStudent, SocleLevel } from './report-card-input';

/** The socle components' labels, shortened a little from the LSU's, as the sample prints them. */
export const SOCLE_LABELS: Readonly<Record<SocleComponent, string>> = {
  CPD_FRA: 'Comprendre, s’exprimer en utilisant la langue française à l’oral et à l’écrit',
  CPD_ETR: 'Comprendre, s’exprimer en utilisant une langue étrangère et, le cas échéant, régionale',
  CPD_SCI: 'Comprendre, s’exprimer en utilisant les langages mathématiques, scientifiques, informatiques',
  CPD_ART: 'Comprendre, s’exprimer en utilisant les langages des arts et du corps',
  MET_APP: 'Les méthodes et outils pour apprendre',
  FRM_CIT: 'La formation de la personne et du citoyen',
  SYS_NAT: 'Les systèmes naturels et les systèmes techniques',
  REP_MND: 'Les représentations du monde et l’activité humaine',
};

const SUBJECTS: readonly [string, string][] = [
  ['Français', 'Mme Lefèvre'],
  ['Mathématiques', 'M. Nguyen'],
  ['Histoire-géographie, EMC', 'Mme Da Silva'],
  ['Anglais LV1', 'Mme O’Brien'],
  ['Espagnol LV2', 'M. García'],
  ['Sciences de la vie et de la Terre', 'Mme Müller'],
  ['Physique-chimie', 'M. Bérard'],
  ['Technologie', 'M. Ouédraogo'],
  ['Éducation physique et sportive', 'M. Lacroix'],
  ['Arts plastiques', 'Mme Çelik'],
  ['Éducation musicale', 'Mme Kowalczyk'],
  ['Latin', 'M. Lœillet'],
];

const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
];
const FIRST = [
  'Léa',
  'Chloé',
  'Zoé',
  'Inès',
  'Maëlys',
  'Noé',
  'Théo',
  'Gaël',
  'Jérôme',
  'Anaïs',
  'Loïc',
  'Hélène',
  'Œnone',
  'François',
];

const APPRECIATIONS = [
  'Très bon trimestre : un travail régulier et sérieux, une participation active et pertinente. Continuez ainsi !',
  'Des résultats encourageants, mais l’investissement à la maison reste insuffisant ; il faut apprendre les leçons plus régulièrement.',
  'Élève discret mais appliqué. Les bases sont acquises ; il faut maintenant oser prendre la parole à l’oral.',
  'Trimestre décevant : trop de bavardages et des devoirs non rendus. Un sursaut est attendu dès la rentrée de janvier.',
];

/**
 * A class of `students` report cards, 12 subjects each, the same for the same size: what the bench
 * renders and a test prints. Averages follow a fixed sequence, not a random one.
 */
export const sampleReportCardClass = (students: number): ReportCardClass => {
  const cards: ReportCardStudent[] = Array.from({ length: students }, (_, index) => {
    const subjects = SUBJECTS.map(([label, teacher], subjectIndex) => {
      const average = 6 + ((index * 37 + subjectIndex * 53) % 1300) / 100 + 0.005;
      const positioning = (1 + ((index + subjectIndex) % 4)) as Positioning;
      return {
        label,
        teacher,
        average,
        classAverage: 11.4 + subjectIndex / 10,
        min: 4.25,
        max: 18.5,
        positioning,
        positioningSuggested: positioning,
        appreciation: APPRECIATIONS[(index + subjectIndex) % APPRECIATIONS.length],
      };
    });
    return {
      studentId: `S${String(index + 1).padStart(3, '0')}`,
      lastName:
        LAST[index % LAST.length] + (index >= LAST.length ? `-${LAST[(index * 5) % LAST.length]}` : ''),
      firstName: FIRST[index % FIRST.length],
      birthDate: `2013-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`,
      subjects,
      general: {
        average: subjects.reduce((sum, subject) => sum + subject.average, 0) / subjects.length,
        classAverage: 12.05,
      },
      socle: SOCLE_COMPONENTS.map((component, componentIndex) => ({
        component,
        label: SOCLE_LABELS[component],
        level: ((index + componentIndex) % 5) as SocleLevel,
      })),
      schoolLife: {
        justifiedHalfDays: index % 6,
        unjustifiedHalfDays: index % 3,
        latenesses: index % 4,
        openAlerts: index % 7 === 0 ? 1 : 0,
      },
      council: {
        synthesis:
          'Un trimestre sérieux dans l’ensemble. Le conseil de classe encourage l’élève à poursuivre ses efforts à l’écrit et à participer davantage à l’oral.',
        mention: ['Félicitations', 'Compliments', 'Encouragements', null][index % 4],
        date: '2026-12-10',
      },
    };
  });
  return {
    school: { uai: '0670001A', name: 'Collège Marie-Curie — Strasbourg' },
    class: { id: 'C4B', label: '4e B' },
    period: { id: 'T1', label: '1er trimestre', start: '2026-09-01', end: '2026-11-30' },
    schoolYear: '2026-2027',
    rounding: { mode: 'nearest', step: 0.01 },
    issuedOn: '2026-12-11',
    students: cards,
  };
};
