import { schoolStreamId } from '../../../src/domain/structure/school';
import { studentStreamId } from '../../../src/domain/structure/student';
import {
  classOpened,
  enrolled,
  schoolYearDefined,
  teacherRecorded,
  trimestersSet,
} from '../../domain/structure/structure-fixtures';
import { GivenStream } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';

/**
 * The school of the end-to-end council spec (issue 12), as the events SIECLE and STS-web imports
 * would write: 5A and 5B, ten subjects under 6-character national codes, each taught to both classes
 * by a teacher with a numeric STS id, one competency item per subject, the principal as the school
 * head (DIR), 29 students in 5B from 1 September and one in 5A (who moves to 5B on 15 October,
 * through the API).
 */
export const SUBJECTS = [
  { subjectId: '020700', code: 'FRANC', label: 'Français', socle: 'CPD_FRA' },
  { subjectId: '061300', code: 'MATHS', label: 'Mathématiques', socle: 'CPD_SCI' },
  { subjectId: '030201', code: 'AGL1', label: 'Anglais LV1', socle: 'CPD_ETR' },
  { subjectId: '030602', code: 'ESP2', label: 'Espagnol LV2', socle: 'CPD_ETR' },
  { subjectId: '040300', code: 'HIGEO', label: 'Histoire-géographie', socle: 'SYS_NAT' },
  { subjectId: '062900', code: 'SVT', label: 'Sciences de la vie et de la Terre', socle: 'SYS_NAT' },
  { subjectId: '063100', code: 'PHCH', label: 'Physique-chimie', socle: 'CPD_SCI' },
  { subjectId: '061800', code: 'TECHN', label: 'Technologie', socle: 'MET_APP' },
  { subjectId: '080100', code: 'ARPLA', label: 'Arts plastiques', socle: 'CPD_ART' },
  { subjectId: '100100', code: 'EPS', label: 'Éducation physique et sportive', socle: 'FRM_CIT' },
] as const;

export type Subject = (typeof SUBJECTS)[number];

/** The STS-web id of the teacher of the j-th subject: 14501 … 14510. */
export const teacherOf = (j: number): string => String(14501 + j);
export const MATHS = SUBJECTS[1];

const LAST_NAMES = [
  'ARNAUD',
  'BLANC',
  'CARON',
  'DUPRÉ',
  'ÉTIENNE',
  'FABRE',
  'GIRARD',
  'HENRY',
  'IBANEZ',
  'JOLY',
  'KLEIN',
  'LEFÈVRE',
  'MARCHAND',
  'NOËL',
  'OLIVIER',
  'PERRIN',
  'QUENTIN',
  'ROUSSEAU',
  'SIMON',
  'THOMAS',
  'URBAIN',
  'VIDAL',
  'WEBER',
  'XAVIER',
  'YILMAZ',
  'ZIMMER',
  'AUBERT',
  'BRUNET',
  'COLIN',
];
const FIRST_NAMES = ['Léa', 'Hugo', 'Chloé', 'Noé', 'Inès', 'Jules', 'Zoé', 'Louis', 'Maëlys', 'Adam'];

/** s01 … s29 of 5B (index 1 … 29), then the student who moves from 5A (index 30). */
export const MOVER = { studentId: 'mv30', lastName: "N'DIAYE", firstName: 'Anaïs', index: 30 };
export const STUDENTS_5B = LAST_NAMES.map((lastName, n) => ({
  studentId: `s${String(n + 1).padStart(2, '0')}`,
  lastName,
  firstName: FIRST_NAMES[n % FIRST_NAMES.length],
  index: n + 1,
}));
/** Everyone on 5B's T1 council: the 29, and the mover. */
export const COUNCIL_STUDENTS = [...STUDENTS_5B, MOVER];

/** An INE of 9 digits and 2 letters per student. */
const ineOf = (index: number) => `1234567${String(index).padStart(2, '0')}AB`;

export const PRINCIPAL_STAFF = { staffId: '9001', lastName: 'MOREL', firstName: 'Claire' };

export const schoolOfCouncil = (): GivenStream => ({
  stream: schoolStreamId(SCHOOL),
  events: [
    schoolYearDefined(),
    trimestersSet(),
    classOpened('5A'),
    classOpened('5B'),
    ...SUBJECTS.flatMap((s, j) => [
      {
        type: 'SubjectDefined',
        data: { schoolId: SCHOOL, subjectId: s.subjectId, code: s.code, label: s.label, shortLabel: s.code },
      },
      teacherRecorded(teacherOf(j), `PROF${j}`, 'Camille'),
      ...['5A', '5B'].map((classId) => ({
        type: 'TeachingAssigned',
        data: {
          schoolId: SCHOOL,
          teacherId: teacherOf(j),
          subjectId: s.subjectId,
          target: { kind: 'class', id: classId },
        },
      })),
      {
        type: 'CompetencyItemDefined',
        data: {
          schoolId: SCHOOL,
          subjectId: s.subjectId,
          itemId: itemOf(j),
          label: `Compétence de ${s.label}`,
          socleComponent: s.socle,
        },
      },
    ]),
    {
      type: 'StaffMemberRecorded',
      data: { schoolId: SCHOOL, ...PRINCIPAL_STAFF, function: 'DIR' },
    },
  ],
});

export const itemOf = (j: number): string => `ITEM-${SUBJECTS[j].code}`;

const student = (
  s: { studentId: string; lastName: string; firstName: string; index: number },
  classId: string,
): GivenStream => ({
  stream: studentStreamId(SCHOOL, s.studentId),
  events: [
    {
      type: 'StudentRegistered',
      data: {
        schoolId: SCHOOL,
        studentId: s.studentId,
        ine: ineOf(s.index),
        lastName: s.lastName,
        firstName: s.firstName,
        birthDate: null,
      },
    },
    enrolled(classId, '2026-09-01', s.studentId),
  ],
});

export const studentsOfCouncil = (): GivenStream[] => [
  ...STUDENTS_5B.map((s) => student(s, '5B')),
  student(MOVER, '5A'),
];

/** The three graded assessments of each subject in 5B: dates and coefficients. */
export const ASSESSMENTS = [
  { k: 0, date: '2026-09-22', coefficient: 1 },
  { k: 1, date: '2026-10-20', coefficient: 2 },
  { k: 2, date: '2026-11-10', coefficient: 1 },
] as const;

/**
 * Student `index`'s grade in subject j, assessment k, out of 20: 6 … 19, or ABS when
 * (index + j + k) is a multiple of 17.
 */
export const gradeOf = (index: number, j: number, k: number): number | 'ABS' =>
  (index + j + k) % 17 === 0 ? 'ABS' : 6 + ((index * 3 + j * 5 + k * 7) % 14);

/** Level and positioning of student `index` in subject j: 1 … 4. */
export const levelOf = (index: number, j: number): number => ((index + j) % 4) + 1;
