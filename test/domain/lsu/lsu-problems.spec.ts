import { LsuClassPeriod, lsuProblems, lsuXml, lsuXmlUnchecked } from '../../../src/domain/lsu';
import { CLASS_5B_T1, validateLsu, withStudent, withStudentSubject } from './fixtures';

type Found = { code: string; studentId?: string; subjectId?: string; teacherId?: string; field: string };

const found = (input: LsuClassPeriod): Found[] =>
  lsuProblems(input).map((problem) => {
    const { message, ...where } = problem;
    expect(message).not.toBe('');
    return where;
  });

const text = (length: number): string => 'a'.repeat(length);

/**
 * Each item the national import would refuse: the check names it, and the same file written anyway
 * is refused by the XSD, for that very reason (xmllint's words) — the check catches it before the
 * validator would.
 */
const SCHEMA_VISIBLE: ReadonlyArray<readonly [string, LsuClassPeriod, Found | readonly Found[], string]> = [
  [
    'a student without SIECLE id',
    withStudent('s02', (student) => ({ ...student, ineOrSiecleId: null })),
    { code: 'LSU.STUDENT_ID_MISSING', studentId: 's02', field: 'students[s02].ineOrSiecleId' },
    "The attribute 'id-be' is required but missing.",
  ],
  [
    'two students with the same SIECLE id',
    withStudent('s05', (student) => ({ ...student, ineOrSiecleId: '1234567' })),
    [
      { code: 'LSU.STUDENT_ID_DUPLICATE', studentId: 's01', field: 'students[s01].ineOrSiecleId' },
      { code: 'LSU.STUDENT_ID_DUPLICATE', studentId: 's05', field: 'students[s05].ineOrSiecleId' },
    ],
    "Duplicate key-sequence ['1234567'] in unique identity-constraint '{urn:fr:edu:scolarite:lsun:bilans:import}eleveConstraint'",
  ],
  [
    'a subject without teacher',
    withStudentSubject('s01', 'ANG', (entry) => ({ ...entry, teacherIds: [] })),
    {
      code: 'LSU.SUBJECT_WITHOUT_TEACHER',
      studentId: 's01',
      subjectId: 'ANG',
      field: 'students[s01].subjects[ANG].teacherIds',
    },
    "The attribute 'enseignant-refs' is required but missing.",
  ],
  [
    'a subject without appreciation',
    withStudentSubject('s03', 'FR', (entry) => ({ ...entry, appreciation: null })),
    {
      code: 'LSU.APPRECIATION_MISSING',
      studentId: 's03',
      subjectId: 'FR',
      field: 'students[s03].subjects[FR].appreciation',
    },
    "appreciation': [facet 'minLength'] The value has a length of '0'",
  ],
  [
    'a blank appreciation',
    withStudentSubject('s03', 'FR', (entry) => ({ ...entry, appreciation: ' \n ' })),
    {
      code: 'LSU.APPRECIATION_MISSING',
      studentId: 's03',
      subjectId: 'FR',
      field: 'students[s03].subjects[FR].appreciation',
    },
    "appreciation': [facet 'pattern']",
  ],
  [
    'an appreciation of 1,001 characters',
    withStudentSubject('s03', 'FR', (entry) => ({ ...entry, appreciation: text(1001) })),
    {
      code: 'LSU.APPRECIATION_TOO_LONG',
      studentId: 's03',
      subjectId: 'FR',
      field: 'students[s03].subjects[FR].appreciation',
    },
    "appreciation': [facet 'maxLength'] The value has a length of '1001'",
  ],
  [
    'no school-life counts',
    withStudent('s04', (student) => ({ ...student, schoolLife: null })),
    { code: 'LSU.SCHOOL_LIFE_MISSING', studentId: 's04', field: 'students[s04].schoolLife' },
    'Expected is one of ( {urn:fr:edu:scolarite:lsun:bilans:import}devoirs-faits, {urn:fr:edu:scolarite:lsun:bilans:import}vie-scolaire )',
  ],
  [
    'a count above 999',
    withStudent('s04', (student) => ({
      ...student,
      schoolLife: { justified: 1000, unjustified: 0, lateness: 0 },
    })),
    { code: 'LSU.SCHOOL_LIFE_INVALID', studentId: 's04', field: 'students[s04].schoolLife.justified' },
    "attribute 'nb-abs-justifiees': [facet 'maxInclusive'] The value '1000'",
  ],
  [
    'no council date',
    withStudent('s01', (student) => ({ ...student, councilDate: null })),
    { code: 'LSU.COUNCIL_DATE_MISSING', studentId: 's01', field: 'students[s01].councilDate' },
    "The attribute 'date-conseil-classe' is required but missing.",
  ],
  [
    'a council date that is no date',
    withStudent('s01', (student) => ({ ...student, councilDate: '03/12/2026' })),
    { code: 'LSU.COUNCIL_DATE_INVALID', studentId: 's01', field: 'students[s01].councilDate' },
    "'03/12/2026' is not a valid value of the atomic type 'xs:date'",
  ],
  [
    "no council's synthesis",
    withStudent('s05', (student) => ({ ...student, councilSynthesis: null })),
    { code: 'LSU.SYNTHESIS_MISSING', studentId: 's05', field: 'students[s05].councilSynthesis' },
    "acquis-conseils': [facet 'minLength']",
  ],
  [
    'a synthesis of 1,001 characters',
    withStudent('s05', (student) => ({ ...student, councilSynthesis: text(1001) })),
    { code: 'LSU.SYNTHESIS_TOO_LONG', studentId: 's05', field: 'students[s05].councilSynthesis' },
    "acquis-conseils': [facet 'maxLength'] The value has a length of '1001'",
  ],
  [
    'a teacher without STS-web id',
    {
      ...CLASS_5B_T1,
      teachers: CLASS_5B_T1.teachers.map((t) => (t.id === 't-nguyen' ? { ...t, stsId: null } : t)),
    },
    { code: 'LSU.TEACHER_STS_ID_MISSING', teacherId: 't-nguyen', field: 'teachers[t-nguyen].stsId' },
    "The attribute 'id-sts' is required but missing.",
  ],
  [
    'an STS-web id that is no number',
    {
      ...CLASS_5B_T1,
      teachers: CLASS_5B_T1.teachers.map((t) => (t.id === 't-nguyen' ? { ...t, stsId: 'N-41' } : t)),
    },
    { code: 'LSU.TEACHER_STS_ID_INVALID', teacherId: 't-nguyen', field: 'teachers[t-nguyen].stsId' },
    "'N-41' is not a valid value of the atomic type 'xs:positiveInteger'",
  ],
  [
    'a subject code that is not the national six characters',
    {
      ...CLASS_5B_T1,
      subjects: CLASS_5B_T1.subjects.map((s) => (s.id === 'EPS' ? { ...s, code: 'EPS' } : s)),
    },
    { code: 'LSU.SUBJECT_CODE_INVALID', subjectId: 'EPS', field: 'subjects[EPS].code' },
    "The value 'EPS' has a length of '3'; this differs from the allowed length of '6'",
  ],
  [
    'a subject label over 40 characters',
    {
      ...CLASS_5B_T1,
      subjects: CLASS_5B_T1.subjects.map((s) => (s.id === 'EPS' ? { ...s, label: text(41) } : s)),
    },
    { code: 'LSU.SUBJECT_LABEL_TOO_LONG', subjectId: 'EPS', field: 'subjects[EPS].label' },
    "attribute 'libelle': [facet 'maxLength']",
  ],
  [
    'a subject listed twice for one student',
    withStudentSubject('s02', 'EPS', (entry) => ({ ...entry, subjectId: 'FR' })),
    {
      code: 'LSU.SUBJECT_REPEATED',
      studentId: 's02',
      subjectId: 'FR',
      field: 'students[s02].subjects[FR].subjectId',
    },
    "Duplicate key-sequence ['DI_1'] in unique identity-constraint '{urn:fr:edu:scolarite:lsun:bilans:import}acquisConstraint'",
  ],
  [
    'an average above 20',
    withStudentSubject('s05', 'MATHS', (entry) => ({ ...entry, average: 20.5 })),
    {
      code: 'LSU.AVERAGE_INVALID',
      studentId: 's05',
      subjectId: 'MATHS',
      field: 'students[s05].subjects[MATHS].average',
    },
    "The value '20.50' is greater than the maximum value allowed ('20.00')",
  ],
  [
    'a student without any subject',
    withStudent('s05', (student) => ({ ...student, subjects: [] })),
    { code: 'LSU.NO_SUBJECT', studentId: 's05', field: 'students[s05].subjects' },
    "liste-acquis': Missing child element(s)",
  ],
  [
    'a name over 100 characters',
    withStudent('s05', (student) => ({ ...student, lastName: text(101) })),
    { code: 'LSU.NAME_TOO_LONG', studentId: 's05', field: 'students[s05].lastName' },
    "attribute 'nom': [facet 'maxLength']",
  ],
  [
    'a socle level of 5',
    withStudent('s01', (student) => ({ ...student, socle: [{ code: 'CPD_FRA', level: 5 }] })),
    { code: 'LSU.SOCLE_INVALID', studentId: 's01', field: 'students[s01].socle[0]' },
    "The value '5' is not accepted by the pattern '[0-4]'",
  ],
  [
    'a control character XML cannot carry',
    withStudentSubject('s01', 'FR', (entry) => ({ ...entry, appreciation: 'Bien\u0007' })),
    {
      code: 'LSU.TEXT_UNSAFE',
      studentId: 's01',
      subjectId: 'FR',
      field: 'students[s01].subjects[FR].appreciation',
    },
    'PCDATA invalid Char value 7',
  ],
  [
    'a UAI of seven characters',
    { ...CLASS_5B_T1, school: { ...CLASS_5B_T1.school, uai: '067001A' } },
    { code: 'LSU.UAI_INVALID', field: 'school.uai' },
    "etablissement': [facet 'length'] The value has a length of '7'",
  ],
  [
    'no school head to sign the reports',
    { ...CLASS_5B_T1, school: { ...CLASS_5B_T1.school, head: '' } },
    { code: 'LSU.SCHOOL_HEAD_MISSING', field: 'school.head' },
    "attribute 'libelle': [facet 'minLength']",
  ],
  [
    'a division code over 20 characters',
    { ...CLASS_5B_T1, class: { ...CLASS_5B_T1.class, code: text(21) } },
    { code: 'LSU.CLASS_CODE_TOO_LONG', field: 'class.code' },
    "attribute 'code-division': [facet 'maxLength']",
  ],
];

/**
 * Items the national import refuses that xmllint lets through: libxml2 does not check that an
 * IDREF names an ID of the file, so only the check stands between these and a refused import.
 */
const CHECK_ONLY: ReadonlyArray<readonly [string, LsuClassPeriod, Found]> = [
  [
    'a subject the export does not list',
    withStudentSubject('s02', 'EPS', (entry) => ({ ...entry, subjectId: 'LATIN' })),
    {
      code: 'LSU.SUBJECT_UNKNOWN',
      studentId: 's02',
      subjectId: 'LATIN',
      field: 'students[s02].subjects[LATIN].subjectId',
    },
  ],
  [
    'a teacher the export does not list',
    withStudentSubject('s02', 'EPS', (entry) => ({ ...entry, teacherIds: ['t-absent'] })),
    {
      code: 'LSU.TEACHER_UNKNOWN',
      studentId: 's02',
      subjectId: 'EPS',
      teacherId: 't-absent',
      field: 'students[s02].subjects[EPS].teacherIds',
    },
  ],
];

describe('LSU pre-export check: what the national import would refuse', () => {
  it.each(SCHEMA_VISIBLE)('names %s, which the XSD refuses too', (_, input, expected, refusal) => {
    // when
    const problems = found(input);
    const forced = validateLsu(lsuXmlUnchecked(input));
    // then
    expect(problems).toEqual(Array.isArray(expected) ? expected : [expected]);
    expect(forced.valid).toBe(false);
    expect(forced.output).toContain(refusal);
    expect(() => lsuXml(input)).toThrow(expect.objectContaining({ code: 'LSU.NOT_EXPORTABLE' }));
  });

  it.each(CHECK_ONLY)('names %s, which xmllint does not see', (_, input, expected) => {
    expect(found(input)).toEqual([expected]);
    expect(validateLsu(lsuXmlUnchecked(input)).valid).toBe(true);
  });

  it("holds a subject appreciation to Registre's 600 characters, though the XSD would take 1,000", () => {
    // given
    const input = withStudentSubject('s03', 'FR', (entry) => ({ ...entry, appreciation: text(601) }));
    // when
    const problems = lsuProblems(input);
    // then
    expect(problems).toEqual([
      {
        code: 'LSU.APPRECIATION_TOO_LONG',
        studentId: 's03',
        subjectId: 'FR',
        field: 'students[s03].subjects[FR].appreciation',
        message: "Inès N'Diaye: the appreciation in Français has 601 characters, the LSU takes at most 600",
      },
    ]);
    expect(validateLsu(lsuXmlUnchecked(input)).valid).toBe(true);
  });

  it('accepts every limit reached exactly, and the file validates', () => {
    // given 600 and 1,000 characters (counted as characters, not UTF-16 units), counts of 999, a 19.999 average
    const input = withStudent('s01', (student) => ({
      ...student,
      lastName: `${'é'.repeat(99)}𝒜`,
      subjects: student.subjects.map((entry) =>
        entry.subjectId === 'FR'
          ? { ...entry, appreciation: `${text(599)}😀`, average: 19.999, classAverage: 0 }
          : entry,
      ),
      schoolLife: { justified: 999, unjustified: 999, lateness: 999, missedHours: 999, comment: text(600) },
      councilSynthesis: text(1000),
      socle: [
        { code: 'CPD_FRA', level: 0 },
        { code: 'REP_MND', level: 4 },
      ],
    }));
    // when
    const problems = lsuProblems(input);
    const xml = lsuXml(input);
    // then
    expect(problems).toEqual([]);
    expect(xml).toContain('moyenne-eleve="20.00" moyenne-structure="0.00"');
    expect(validateLsu(xml).valid).toBe(true);
  });

  it('leaves out an optional text left blank rather than refusing it', () => {
    // given no application version and a blank school-life comment
    const input = withStudent('s05', (student) => ({
      ...student,
      schoolLife: { justified: 0, unjustified: 0, lateness: 2, comment: ' ' },
    }));
    const blank = { ...input, export: { ...input.export, applicationVersion: '' } };
    // when
    const xml = lsuXml(blank);
    // then
    expect(lsuProblems(blank)).toEqual([]);
    expect(xml).not.toContain('appliVersion');
    expect(xml).toContain('<vie-scolaire nb-retards="2" nb-abs-justifiees="0" nb-abs-injustifiees="0"/>');
    expect(validateLsu(xml).valid).toBe(true);
  });

  it('lists every problem of a class in a stable order: school, teachers, subjects, then each student', () => {
    // given several things missing at once
    const input: LsuClassPeriod = {
      ...withStudent('s02', (student) => ({
        ...student,
        ineOrSiecleId: '',
        councilDate: null,
        subjects: student.subjects.map((entry) =>
          entry.subjectId === 'MATHS' ? { ...entry, teacherIds: [], appreciation: null } : entry,
        ),
      })),
      school: { ...CLASS_5B_T1.school, head: ' ' },
      teachers: CLASS_5B_T1.teachers.map((t) => (t.id === 't-martin' ? { ...t, stsId: undefined } : t)),
    };
    // when
    const problems = found(withStudent('s01', (student) => ({ ...student, schoolLife: null }), input));
    // then
    expect(problems).toEqual([
      { code: 'LSU.SCHOOL_HEAD_MISSING', field: 'school.head' },
      { code: 'LSU.TEACHER_STS_ID_MISSING', teacherId: 't-martin', field: 'teachers[t-martin].stsId' },
      { code: 'LSU.SCHOOL_LIFE_MISSING', studentId: 's01', field: 'students[s01].schoolLife' },
      { code: 'LSU.STUDENT_ID_MISSING', studentId: 's02', field: 'students[s02].ineOrSiecleId' },
      {
        code: 'LSU.SUBJECT_WITHOUT_TEACHER',
        studentId: 's02',
        subjectId: 'MATHS',
        field: 'students[s02].subjects[MATHS].teacherIds',
      },
      {
        code: 'LSU.APPRECIATION_MISSING',
        studentId: 's02',
        subjectId: 'MATHS',
        field: 'students[s02].subjects[MATHS].appreciation',
      },
      { code: 'LSU.COUNCIL_DATE_MISSING', studentId: 's02', field: 'students[s02].councilDate' },
    ]);
  });

  it('says in French-school terms what is missing, naming the student and subject', () => {
    const input = withStudent('s02', (student) => ({ ...student, ineOrSiecleId: null, schoolLife: null }));

    expect(lsuProblems(input).map((problem) => problem.message)).toEqual([
      'Léa Durand has no SIECLE id',
      'Léa Durand has no school-life counts for the period',
    ]);
  });
});
