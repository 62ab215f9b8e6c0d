import { spawnSync } from 'child_process';
import { join } from 'path';
import { LsuClassPeriod, LsuStudent, LsuStudentSubject } from '../../../src/domain/lsu';

/** The national schema, version 10.0, as published (a copy of ../shared/lsu/import-complet-strict.xsd). */
export const LSU_XSD = join(__dirname, 'import-complet-strict.xsd');

export type XsdVerdict = { readonly valid: boolean; readonly output: string };

/**
 * Runs Debian's xmllint on the file. CI installs it (`.ci/run`); a machine without it fails the test
 * rather than skipping it, so that no LSU file goes unchecked by a real validator.
 */
export const validateLsu = (xml: string): XsdVerdict => {
  const run = spawnSync('xmllint', ['--noout', '--schema', LSU_XSD, '-'], { input: xml, encoding: 'utf8' });
  if (run.error !== undefined) {
    throw new Error(
      `xmllint is required to validate LSU files (apt-get install -y libxml2-utils): ${run.error.message}`,
    );
  }
  return { valid: run.status === 0, output: `${run.stdout}${run.stderr}` };
};

const subject = (
  subjectId: string,
  teacherIds: readonly string[],
  average: number | null,
  appreciation: string | null,
  extra: Partial<LsuStudentSubject> = {},
): LsuStudentSubject => ({ subjectId, teacherIds, average, appreciation, ...extra });

const COUNCIL = '2026-12-03';

/**
 * 5B, first trimester 2026-2027: five students, four subjects, three teachers. Léa Durand moved
 * from 5A on 5 October (her English was taught by both Mr Martin, in 5A, and Ms Nguyen); Inès
 * N'Diaye is exempted from PE and has no average there.
 */
export const STUDENTS: readonly LsuStudent[] = [
  {
    studentId: 's01',
    ineOrSiecleId: '1234567',
    lastName: 'Bernard',
    firstName: 'Hugo',
    subjects: [
      subject('FR', ['t-martin'], 12.345, 'Bon trimestre, des efforts à poursuivre à l’écrit.', {
        classAverage: 11.2,
        positioning: 3,
        elements: ['Lire des textes variés', 'Écrire un récit'],
      }),
      subject('MATHS', ['t-bernard'], 8.5, 'Résultats fragiles : revoir les fractions & les proportions.', {
        classAverage: 10.476,
        positioning: 2,
        elements: ['Fractions et proportionnalité'],
      }),
      subject('ANG', ['t-nguyen'], 14, 'Good work, keep it up.', { classAverage: 12.9, positioning: 3 }),
      subject('EPS', ['t-bernard'], 15.5, 'Très investi.', { classAverage: 14.25, positioning: 4 }),
    ],
    schoolLife: { justified: 2, unjustified: 0, lateness: 1 },
    councilSynthesis: 'Trimestre satisfaisant dans l’ensemble.',
    councilDate: COUNCIL,
    socle: [
      { code: 'CPD_FRA', level: 3 },
      { code: 'CPD_SCI', level: 2 },
    ],
  },
  {
    studentId: 's02',
    ineOrSiecleId: '1234568',
    lastName: 'Durand',
    firstName: 'Léa',
    schoolingStart: '2026-10-05',
    subjects: [
      subject('FR', ['t-martin'], 15.333333, 'Arrivée en cours de trimestre, très bonne intégration.', {
        classAverage: 11.2,
        positioning: 4,
        elements: ['Écrire un récit'],
      }),
      subject('MATHS', ['t-bernard'], 13, 'Sérieuse.', { classAverage: 10.476, positioning: 3 }),
      subject('ANG', ['t-martin', 't-nguyen'], 16.75, 'Excellent niveau à l’oral "comme à l’écrit".', {
        classAverage: 12.9,
        positioning: 4,
      }),
      subject('EPS', ['t-bernard'], 13.5, 'Bonne participation.', { classAverage: 14.25, positioning: 3 }),
    ],
    schoolLife: { justified: 4, unjustified: 1, lateness: 0, missedHours: 9 },
    councilSynthesis: 'Un changement de classe bien vécu.\nÀ poursuivre.',
    councilDate: COUNCIL,
  },
  {
    studentId: 's03',
    ineOrSiecleId: '1234569',
    lastName: "N'Diaye",
    firstName: 'Inès',
    subjects: [
      subject('FR', ['t-martin'], 9.995, 'Des progrès.', { classAverage: 11.2, positioning: 2 }),
      subject('MATHS', ['t-bernard'], 11, 'Travail régulier.', { classAverage: 10.476, positioning: 3 }),
      subject('ANG', ['t-nguyen'], 10, 'Participation à développer.', { classAverage: 12.9, positioning: 2 }),
      subject('EPS', ['t-bernard'], null, 'Dispensée pour le trimestre (certificat médical).', {
        evaluationStatus: 'DISP',
        classAverage: 14.25,
      }),
    ],
    schoolLife: { justified: 0, unjustified: 0, lateness: 0 },
    councilSynthesis: 'Ensemble correct, des progrès en français.',
    councilDate: COUNCIL,
  },
  {
    studentId: 's04',
    ineOrSiecleId: '1234570',
    lastName: 'Lefèvre-Dupont',
    firstName: 'Noé',
    subjects: [
      subject('FR', ['t-martin'], 6.25, 'Travail insuffisant < attendu.', {
        classAverage: 11.2,
        positioning: 1,
      }),
      subject('MATHS', ['t-bernard'], 9, 'Doit s’investir davantage.', {
        classAverage: 10.476,
        positioning: 2,
      }),
      subject('ANG', ['t-nguyen'], 11.5, 'Correct.', { classAverage: 12.9, positioning: 2 }),
      subject('EPS', ['t-bernard'], 14, 'Bien.', { classAverage: 14.25, positioning: 3 }),
    ],
    schoolLife: { justified: 3, unjustified: 6, lateness: 4, comment: 'Retards répétés le lundi matin.' },
    councilSynthesis: 'Un trimestre difficile : il faut se ressaisir.',
    councilDate: COUNCIL,
    socle: [{ code: 'MET_APP', level: 1 }],
  },
  {
    studentId: 's05',
    ineOrSiecleId: '1234571',
    lastName: 'Moreau',
    firstName: 'Chloé',
    subjects: [
      subject('FR', ['t-martin'], 12.6, 'Bien.', { classAverage: 11.2, positioning: 3 }),
      subject('MATHS', ['t-bernard'], 10.8, 'Assez bien.', { classAverage: 10.476, positioning: 3 }),
      subject('ANG', ['t-nguyen'], 12, 'Bien.', { classAverage: 12.9, positioning: 3 }),
      subject('EPS', ['t-bernard'], 14, 'Bien.', { classAverage: 14.25, positioning: 3 }),
    ],
    schoolLife: { justified: 0, unjustified: 0, lateness: 2 },
    councilSynthesis: 'Bon trimestre.',
    councilDate: COUNCIL,
  },
];

export const CLASS_5B_T1: LsuClassPeriod = {
  school: { uai: '0670001A', name: 'Collège Jean Monnet', head: 'Mme Claire Morel' },
  export: { editor: 'Registre', application: 'Registre', applicationVersion: '0.1.0', date: '2026-12-07' },
  period: { id: 'T1', label: 'Trimestre 1', start: '2026-09-01', end: '2026-11-30', index: 1, count: 3 },
  class: { code: '5B', label: '5e B', mainTeacherIds: ['t-martin'] },
  teachers: [
    { id: 't-martin', civility: 'M', lastName: 'Martin', firstName: 'Paul', stsId: '41001' },
    { id: 't-bernard', civility: 'MME', lastName: 'Bernard', firstName: 'Sophie', stsId: '41002' },
    { id: 't-nguyen', civility: 'MME', lastName: 'Nguyen', firstName: 'Linh', stsId: '41003' },
  ],
  subjects: [
    { id: 'FR', code: '020700', label: 'Français' },
    { id: 'MATHS', code: '061300', label: 'Mathématiques' },
    { id: 'ANG', code: '030201', label: 'Anglais LV1' },
    { id: 'EPS', code: '100100', label: 'Éducation physique et sportive' },
  ],
  students: STUDENTS,
};

/** The fixture with one student changed. */
export const withStudent = (
  studentId: string,
  change: (student: LsuStudent) => LsuStudent,
  input: LsuClassPeriod = CLASS_5B_T1,
): LsuClassPeriod => ({
  ...input,
  students: input.students.map((student) => (student.studentId === studentId ? change(student) : student)),
});

/** The fixture with one subject of one student changed. */
export const withStudentSubject = (
  studentId: string,
  subjectId: string,
  change: (entry: LsuStudentSubject) => LsuStudentSubject,
): LsuClassPeriod =>
  withStudent(studentId, (student) => ({
    ...student,
    subjects: student.subjects.map((entry) => (entry.subjectId === subjectId ? change(entry) : entry)),
  }));
