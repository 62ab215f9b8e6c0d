import { APPRECIATION_MAX_LENGTH } from '../assessment/report';
import { isCalendarDate } from '../shared/calendar';
import { isUai } from '../shared/uai';
import { unsafeCharacterIn } from '../shared/text';
import { LSU_SOCLE_CODES, LsuClassPeriod, LsuStudent, LsuStudentSubject } from './lsu-input';

/** Something the national LSU import would refuse, to be fixed in Registre before exporting. */
export interface LsuProblem {
  readonly code: string;
  readonly studentId?: string;
  readonly subjectId?: string;
  readonly teacherId?: string;
  /** Where in the input, e.g. `students[s03].subjects[MATHS].appreciation`. */
  readonly field: string;
  readonly message: string;
}

/** DOMAIN.md: the council's synthesis is at most 1,000 characters (the LSU's `acquis-conseils`). */
export const LSU_SYNTHESIS_MAX_LENGTH = 1000;
/** The LSU's limit for a school-life comment and for a programme element's label. */
export const LSU_SCHOOL_LIFE_COMMENT_MAX_LENGTH = 600;
export const LSU_ELEMENT_MAX_LENGTH = 300;
export const LSU_NAME_MAX_LENGTH = 100;
export const LSU_SUBJECT_LABEL_MAX_LENGTH = 40;
export const LSU_HEADER_MAX_LENGTH = 50;
export const LSU_CLASS_CODE_MAX_LENGTH = 20;
/** School-life counts are integers 0–999. */
export const LSU_COUNT_MAX = 999;

const SUBJECT_CODE_PATTERN = /^.{6}$/u;
const STS_ID_PATTERN = /^0*[1-9][0-9]*$/;

/** The XSD counts characters, not UTF-16 units. */
export const lsuLength = (text: string): number => [...text].length;
/** The XSD's strings must hold one character other than space, tab, CR or LF. */
export const hasLsuText = (text: string | null | undefined): text is string =>
  text !== null && text !== undefined && /[^ \t\r\n]/.test(text);

type Where = Pick<LsuProblem, 'studentId' | 'subjectId' | 'teacherId' | 'field'>;

const problem = (code: string, where: Where, message: string): LsuProblem => ({
  code,
  ...where,
  message,
});

/**
 * A text the XSD requires: not blank, within its length, and free of the control characters XML 1.0
 * cannot carry. An optional one left blank is left out of the file.
 */
const textProblems = (
  text: string | null | undefined,
  rule: {
    readonly missing: string;
    readonly tooLong: string;
    readonly max: number;
    readonly label: string;
    readonly multiline?: boolean;
    readonly optional?: boolean;
  },
  where: Where,
): LsuProblem[] => {
  if (!hasLsuText(text)) {
    if (rule.optional === true) return [];
    return [
      problem(
        rule.missing,
        where,
        `${rule.label} is ${text === null || text === undefined ? 'missing' : 'blank'}`,
      ),
    ];
  }
  const found = [];
  const length = lsuLength(text);
  if (length > rule.max) {
    found.push(
      problem(
        rule.tooLong,
        where,
        `${rule.label} has ${length} characters, the LSU takes at most ${rule.max}`,
      ),
    );
  }
  const unsafe = unsafeCharacterIn(text, { multiline: rule.multiline === true });
  if (unsafe !== undefined) {
    found.push(
      problem(
        'LSU.TEXT_UNSAFE',
        where,
        `${rule.label} holds a control character (${unsafe.codePoint} at ${unsafe.index}) the LSU cannot carry`,
      ),
    );
  }
  return found;
};

const isCount = (value: number | undefined): boolean =>
  value !== undefined && Number.isInteger(value) && value >= 0 && value <= LSU_COUNT_MAX;

const isAverage = (value: number): boolean => Number.isFinite(value) && value >= 0 && value <= 20;

const duplicates = (values: readonly string[]): Set<string> => {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return repeated;
};

const headerProblems = (input: LsuClassPeriod): LsuProblem[] => [
  ...(isUai(input.school.uai)
    ? []
    : [
        problem(
          'LSU.UAI_INVALID',
          { field: 'school.uai' },
          `the school's UAI "${input.school.uai}" is not seven digits and a letter`,
        ),
      ]),
  ...textProblems(
    input.school.head,
    {
      missing: 'LSU.SCHOOL_HEAD_MISSING',
      tooLong: 'LSU.SCHOOL_HEAD_TOO_LONG',
      max: LSU_NAME_MAX_LENGTH,
      label: "the school head's name",
    },
    { field: 'school.head' },
  ),
  ...textProblems(
    input.export.editor,
    {
      missing: 'LSU.HEADER_MISSING',
      tooLong: 'LSU.HEADER_TOO_LONG',
      max: LSU_HEADER_MAX_LENGTH,
      label: 'the editor',
    },
    { field: 'export.editor' },
  ),
  ...textProblems(
    input.export.application,
    {
      missing: 'LSU.HEADER_MISSING',
      tooLong: 'LSU.HEADER_TOO_LONG',
      max: LSU_HEADER_MAX_LENGTH,
      label: 'the application',
    },
    { field: 'export.application' },
  ),
  ...textProblems(
    input.export.applicationVersion,
    {
      missing: 'LSU.HEADER_MISSING',
      tooLong: 'LSU.HEADER_TOO_LONG',
      max: LSU_HEADER_MAX_LENGTH,
      label: 'the application version',
      optional: true,
    },
    { field: 'export.applicationVersion' },
  ),
  ...(Number.isInteger(input.period.index) &&
  Number.isInteger(input.period.count) &&
  input.period.index >= 1 &&
  input.period.index <= input.period.count
    ? []
    : [
        problem(
          'LSU.PERIOD_INVALID',
          { field: 'period.index' },
          `period ${input.period.index} of ${input.period.count} is not a period of the year`,
        ),
      ]),
  ...(isCalendarDate(input.period.start)
    ? []
    : [
        problem(
          'LSU.PERIOD_INVALID',
          { field: 'period.start' },
          `the period's start "${input.period.start}" is not a date`,
        ),
      ]),
  ...textProblems(
    input.class.code,
    {
      missing: 'LSU.CLASS_CODE_MISSING',
      tooLong: 'LSU.CLASS_CODE_TOO_LONG',
      max: LSU_CLASS_CODE_MAX_LENGTH,
      label: "the class's division code",
    },
    { field: 'class.code' },
  ),
  ...(input.class.mainTeacherIds ?? [])
    .filter((id) => !input.teachers.some((teacher) => teacher.id === id))
    .map((id) =>
      problem(
        'LSU.TEACHER_UNKNOWN',
        { teacherId: id, field: 'class.mainTeacherIds' },
        `main teacher ${id} is not among the exported teachers`,
      ),
    ),
];

const teacherProblems = (input: LsuClassPeriod): LsuProblem[] => {
  const repeated = duplicates(
    input.teachers.flatMap((teacher) => (teacher.stsId ? [teacher.stsId.replace(/^0+/, '')] : [])),
  );
  return input.teachers.flatMap((teacher) => {
    const where = (field: string): Where => ({
      teacherId: teacher.id,
      field: `teachers[${teacher.id}].${field}`,
    });
    const stsId = teacher.stsId ?? '';
    return [
      ...(stsId === ''
        ? [
            problem(
              'LSU.TEACHER_STS_ID_MISSING',
              where('stsId'),
              `${teacher.firstName} ${teacher.lastName} has no STS-web id`,
            ),
          ]
        : !STS_ID_PATTERN.test(stsId)
          ? [
              problem(
                'LSU.TEACHER_STS_ID_INVALID',
                where('stsId'),
                `STS-web id "${stsId}" is not a positive integer`,
              ),
            ]
          : repeated.has(stsId.replace(/^0+/, ''))
            ? [
                problem(
                  'LSU.TEACHER_STS_ID_DUPLICATE',
                  where('stsId'),
                  `STS-web id ${stsId} names two teachers`,
                ),
              ]
            : []),
      ...textProblems(
        teacher.lastName,
        {
          missing: 'LSU.NAME_MISSING',
          tooLong: 'LSU.NAME_TOO_LONG',
          max: LSU_NAME_MAX_LENGTH,
          label: 'the last name',
        },
        where('lastName'),
      ),
      ...textProblems(
        teacher.firstName,
        {
          missing: 'LSU.NAME_MISSING',
          tooLong: 'LSU.NAME_TOO_LONG',
          max: LSU_NAME_MAX_LENGTH,
          label: 'the first name',
          optional: true,
        },
        where('firstName'),
      ),
    ];
  });
};

const subjectProblems = (input: LsuClassPeriod): LsuProblem[] => {
  const repeated = duplicates(
    input.subjects.map((subject) => `${subject.code}/${subject.electionMode ?? 'S'}`),
  );
  return input.subjects.flatMap((subject) => {
    const where = (field: string): Where => ({
      subjectId: subject.id,
      field: `subjects[${subject.id}].${field}`,
    });
    return [
      ...(!SUBJECT_CODE_PATTERN.test(subject.code)
        ? [
            problem(
              'LSU.SUBJECT_CODE_INVALID',
              where('code'),
              `${subject.label}: "${subject.code}" is not a six-character national subject code`,
            ),
          ]
        : repeated.has(`${subject.code}/${subject.electionMode ?? 'S'}`)
          ? [
              problem(
                'LSU.SUBJECT_CODE_DUPLICATE',
                where('code'),
                `${subject.label}: code ${subject.code} is given to two subjects taken the same way`,
              ),
            ]
          : []),
      ...textProblems(
        subject.label,
        {
          missing: 'LSU.SUBJECT_LABEL_MISSING',
          tooLong: 'LSU.SUBJECT_LABEL_TOO_LONG',
          max: LSU_SUBJECT_LABEL_MAX_LENGTH,
          label: "the subject's label",
        },
        where('label'),
      ),
    ];
  });
};

const studentSubjectProblems = (
  input: LsuClassPeriod,
  student: LsuStudent,
  entry: LsuStudentSubject,
  index: number,
): LsuProblem[] => {
  const where = (field: string): Where => ({
    studentId: student.studentId,
    subjectId: entry.subjectId,
    field: `students[${student.studentId}].subjects[${entry.subjectId}].${field}`,
  });
  const name = `${student.firstName} ${student.lastName}`;
  const subject = input.subjects.find((candidate) => candidate.id === entry.subjectId);
  const label = subject?.label ?? entry.subjectId;
  return [
    ...(subject === undefined
      ? [
          problem(
            'LSU.SUBJECT_UNKNOWN',
            where('subjectId'),
            `${name}: subject ${entry.subjectId} is not among the exported subjects`,
          ),
        ]
      : []),
    ...(student.subjects.slice(0, index).some((earlier) => earlier.subjectId === entry.subjectId)
      ? [problem('LSU.SUBJECT_REPEATED', where('subjectId'), `${name}: ${label} is listed twice`)]
      : []),
    ...(entry.teacherIds.length === 0
      ? [problem('LSU.SUBJECT_WITHOUT_TEACHER', where('teacherIds'), `${name}: ${label} has no teacher`)]
      : []),
    ...entry.teacherIds
      .filter((id) => !input.teachers.some((teacher) => teacher.id === id))
      .map((id) =>
        problem(
          'LSU.TEACHER_UNKNOWN',
          { ...where('teacherIds'), teacherId: id },
          `${name}: ${label}'s teacher ${id} is not among the exported teachers`,
        ),
      ),
    ...(entry.average !== null && !isAverage(entry.average)
      ? [
          problem(
            'LSU.AVERAGE_INVALID',
            where('average'),
            `${name}: ${label}'s average ${entry.average} is not within 0–20`,
          ),
        ]
      : []),
    ...(entry.classAverage !== undefined && entry.classAverage !== null && !isAverage(entry.classAverage)
      ? [
          problem(
            'LSU.AVERAGE_INVALID',
            where('classAverage'),
            `${name}: ${label}'s class average ${entry.classAverage} is not within 0–20`,
          ),
        ]
      : []),
    ...(entry.positioning !== undefined &&
    entry.positioning !== null &&
    ![1, 2, 3, 4].includes(entry.positioning)
      ? [
          problem(
            'LSU.POSITIONING_INVALID',
            where('positioning'),
            `${name}: ${label}'s positioning is not 1–4`,
          ),
        ]
      : []),
    ...textProblems(
      entry.appreciation,
      {
        missing: 'LSU.APPRECIATION_MISSING',
        tooLong: 'LSU.APPRECIATION_TOO_LONG',
        max: APPRECIATION_MAX_LENGTH,
        label: `${name}: the appreciation in ${label}`,
        multiline: true,
      },
      where('appreciation'),
    ),
    ...(entry.elements ?? []).flatMap((element, position) =>
      textProblems(
        element,
        {
          missing: 'LSU.ELEMENT_MISSING',
          tooLong: 'LSU.ELEMENT_TOO_LONG',
          max: LSU_ELEMENT_MAX_LENGTH,
          label: `${name}: a programme element in ${label}`,
        },
        where(`elements[${position}]`),
      ),
    ),
  ];
};

const schoolLifeProblems = (student: LsuStudent): LsuProblem[] => {
  const where = (field: string): Where => ({
    studentId: student.studentId,
    field: `students[${student.studentId}].schoolLife${field}`,
  });
  const name = `${student.firstName} ${student.lastName}`;
  const life = student.schoolLife;
  if (life === null) {
    return [
      problem('LSU.SCHOOL_LIFE_MISSING', where(''), `${name} has no school-life counts for the period`),
    ];
  }
  const counts = [
    ['justified', life.justified],
    ['unjustified', life.unjustified],
    ['lateness', life.lateness],
    ...(life.missedHours === undefined ? [] : [['missedHours', life.missedHours] as const]),
  ] as const;
  return [
    ...counts
      .filter(([, value]) => !isCount(value))
      .map(([field, value]) =>
        problem(
          'LSU.SCHOOL_LIFE_INVALID',
          where(`.${field}`),
          `${name}: ${field} ${value} is not an integer 0–999`,
        ),
      ),
    ...textProblems(
      life.comment,
      {
        missing: 'LSU.SCHOOL_LIFE_COMMENT_MISSING',
        tooLong: 'LSU.SCHOOL_LIFE_COMMENT_TOO_LONG',
        max: LSU_SCHOOL_LIFE_COMMENT_MAX_LENGTH,
        label: `${name}: the school-life comment`,
        multiline: true,
        optional: true,
      },
      where('.comment'),
    ),
  ];
};

const socleProblems = (student: LsuStudent): LsuProblem[] => {
  const levels = student.socle ?? [];
  const name = `${student.firstName} ${student.lastName}`;
  return levels.flatMap((level, index) => {
    const where = { studentId: student.studentId, field: `students[${student.studentId}].socle[${index}]` };
    if (!LSU_SOCLE_CODES.includes(level.code)) {
      return [problem('LSU.SOCLE_INVALID', where, `${name}: "${level.code}" is not a socle component`)];
    }
    if (!Number.isInteger(level.level) || level.level < 0 || level.level > 4) {
      return [
        problem('LSU.SOCLE_INVALID', where, `${name}: ${level.code}'s level ${level.level} is not 0–4`),
      ];
    }
    return levels.slice(0, index).some((earlier) => earlier.code === level.code)
      ? [problem('LSU.SOCLE_INVALID', where, `${name}: ${level.code} is given twice`)]
      : [];
  });
};

const studentProblems = (
  input: LsuClassPeriod,
  repeatedIds: ReadonlySet<string>,
  student: LsuStudent,
): LsuProblem[] => {
  const where = (field: string): Where => ({
    studentId: student.studentId,
    field: `students[${student.studentId}].${field}`,
  });
  const name = `${student.firstName} ${student.lastName}`;
  const siecleId = student.ineOrSiecleId ?? '';
  return [
    ...(!hasLsuText(siecleId)
      ? [problem('LSU.STUDENT_ID_MISSING', where('ineOrSiecleId'), `${name} has no SIECLE id`)]
      : repeatedIds.has(siecleId)
        ? [
            problem(
              'LSU.STUDENT_ID_DUPLICATE',
              where('ineOrSiecleId'),
              `${name}'s SIECLE id ${siecleId} is another student's too`,
            ),
          ]
        : []),
    ...textProblems(
      student.lastName,
      {
        missing: 'LSU.NAME_MISSING',
        tooLong: 'LSU.NAME_TOO_LONG',
        max: LSU_NAME_MAX_LENGTH,
        label: 'the last name',
      },
      where('lastName'),
    ),
    ...textProblems(
      student.firstName,
      {
        missing: 'LSU.NAME_MISSING',
        tooLong: 'LSU.NAME_TOO_LONG',
        max: LSU_NAME_MAX_LENGTH,
        label: 'the first name',
      },
      where('firstName'),
    ),
    ...(student.schoolingStart !== undefined && !isCalendarDate(student.schoolingStart)
      ? [
          problem(
            'LSU.SCHOOLING_DATE_INVALID',
            where('schoolingStart'),
            `${name}: "${student.schoolingStart}" is not a date`,
          ),
        ]
      : []),
    ...(student.subjects.length === 0
      ? [problem('LSU.NO_SUBJECT', where('subjects'), `${name} has no subject in the period`)]
      : []),
    ...student.subjects.flatMap((entry, index) => studentSubjectProblems(input, student, entry, index)),
    ...schoolLifeProblems(student),
    ...(student.councilDate === null
      ? [
          problem(
            'LSU.COUNCIL_DATE_MISSING',
            where('councilDate'),
            `${name}: the date of the class council is missing`,
          ),
        ]
      : !isCalendarDate(student.councilDate)
        ? [
            problem(
              'LSU.COUNCIL_DATE_INVALID',
              where('councilDate'),
              `${name}: "${student.councilDate}" is not a date`,
            ),
          ]
        : []),
    ...textProblems(
      student.councilSynthesis,
      {
        missing: 'LSU.SYNTHESIS_MISSING',
        tooLong: 'LSU.SYNTHESIS_TOO_LONG',
        max: LSU_SYNTHESIS_MAX_LENGTH,
        label: `${name}: the council's synthesis`,
        multiline: true,
      },
      where('councilSynthesis'),
    ),
    ...socleProblems(student),
  ];
};

/**
 * Everything the national LSU import would refuse in this export, so that the school fixes it in
 * Registre first: the school and header, then each teacher, subject and student in the order given,
 * each student's items in the order of the report card. Empty when the file can be exported.
 *
 * Some limits are Registre's, stricter than the XSD: a subject appreciation is required and at most
 * 600 characters (the XSD allows 1,000 and none).
 */
export const lsuProblems = (input: LsuClassPeriod): LsuProblem[] => {
  const repeatedIds = duplicates(
    input.students.flatMap((student) => (hasLsuText(student.ineOrSiecleId) ? [student.ineOrSiecleId] : [])),
  );
  return [
    ...headerProblems(input),
    ...teacherProblems(input),
    ...subjectProblems(input),
    ...(input.students.length === 0
      ? [problem('LSU.NO_STUDENT', { field: 'students' }, 'the class has no student to export')]
      : []),
    ...input.students.flatMap((student) => studentProblems(input, repeatedIds, student)),
  ];
};
