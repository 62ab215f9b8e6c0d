import { seededRandom } from './seeded-random';
import { IsoDate } from '../domain/shared/calendar';

/**
 * The people of the demo collège: six classes of 28, two groups of 28 drawn from two classes each,
 * and the named students whom the month's story is about. Generated from a seed, so that every run
 * of the demo writes the same school.
 */

export const DEMO_SCHOOL_ID = '0670001A';
export const DEMO_SCHOOL_NAME = 'Collège de démonstration Registre (Strasbourg)';
export const DEMO_SCHOOL_YEAR = { schoolYear: '2026-2027', start: '2026-09-01', end: '2027-07-03' } as const;

export type DemoClass = { readonly classId: string; readonly label: string; readonly level: number };
export type DemoGroup = {
  readonly groupId: string;
  readonly label: string;
  readonly subjectId: string;
  readonly fromClasses: readonly string[];
};

export const DEMO_CLASSES: readonly DemoClass[] = [
  { classId: '6A', label: '6e A', level: 6 },
  { classId: '6B', label: '6e B', level: 6 },
  { classId: '5A', label: '5e A', level: 5 },
  { classId: '5B', label: '5e B', level: 5 },
  { classId: '4A', label: '4e A', level: 4 },
  { classId: '3A', label: '3e A', level: 3 },
];

export const DEMO_GROUPS: readonly DemoGroup[] = [
  { groupId: 'LATIN-5', label: 'Latin 5e', subjectId: 'LCALA', fromClasses: ['5A', '5B'] },
  { groupId: 'EURO-ANG', label: 'Section européenne anglais', subjectId: 'EURO', fromClasses: ['4A', '3A'] },
];

export const CLASS_SIZE = 28;
const GROUP_SHARE_PER_CLASS = 14;

export type DemoStudent = {
  readonly studentId: string;
  readonly ine: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate: IsoDate;
  readonly classId: string;
  readonly groupIds: readonly string[];
};

/** The students the story needs, placed by hand so that their names read well in the views. */
export const STORY_STUDENTS = {
  /** Over the absenteeism threshold in November, alert open. */
  overThreshold: { classId: '4A', lastName: 'FONTAINE', firstName: 'Enzo' },
  /** Over the threshold too, until a late medical certificate withdraws the alert. */
  alertWithdrawn: { classId: '3A', lastName: 'BERGER-LAMBERT', firstName: 'Camille' },
  lateJustified: { classId: '6A', lastName: 'CHEVALIER', firstName: 'Zoé' },
  justificationRejected: { classId: '5B', lastName: 'GAUTHIER', firstName: 'Maxime' },
  /** Twins: the CPE records the brother's absence on the sister. */
  wrongTwin: { classId: '6B', lastName: 'MARTIN', firstName: 'Léa' },
  rightTwin: { classId: '6B', lastName: 'MARTIN', firstName: 'Lucas' },
  wipedFirst: { classId: '5A', lastName: 'HAMIDI', firstName: 'Inès' },
  wipedSecond: { classId: '5A', lastName: 'PERRIN', firstName: 'Noah' },
  wipedLate: { classId: '5A', lastName: 'FAURE', firstName: 'Jade' },
  atInfirmary: { classId: '6B', lastName: 'MOREL', firstName: 'Théo' },
  missedOuting: { classId: '4A', lastName: 'RENAUD', firstName: 'Chloé' },
  changesClass: { classId: '5A', lastName: 'EL AMRANI', firstName: 'Yanis' },
  latinist: { classId: '5A', lastName: 'DUVAL', firstName: 'Héloïse' },
  leavesEarly: { classId: '6A', lastName: 'LE BIHAN', firstName: 'Maël' },
  reportedAhead: { classId: '3A', lastName: 'GIRAUD', firstName: 'Anne-Sophie' },
} as const;

export type StoryRole = keyof typeof STORY_STUDENTS;

// A collège in Strasbourg: Alsatian names among others, accents, hyphens and apostrophes as SIECLE has them.
const LAST_NAMES = (
  'SCHNEIDER|WEBER|KLEIN|MEYER|HOFFMANN|SCHMITT|OBERLÉ|KIEFFER|BURGER|WALTER|FRITSCH|HEITZ|ROTH|WOLFF|' +
  'GEIGER|STOEFFLER|ZIMMERMANN|BAUMANN|LUTZ|HAAS|KOENIG|FISCHBACH-MEYER|RIEHL|SCHAEFFER|OSWALD|' +
  "N'GUESSAN|BENSAÏD|DIALLO|TRAN|ÖZTÜRK|LE GALL|DA COSTA|DE ALMEIDA|D'ANGELO|CHÂTELAIN|LÉVÊQUE|" +
  'PRÉVOT-MULLER|SAINT-MARTIN|NGUYEN|KOWALCZYK'
).split('|');
const FIRST_NAMES = (
  'Emma|Louis|Alice|Jules|Ambre|Léon|Rose|Timéo|Lina|Sacha|Iris|Éthan|Anna|Malo|Capucine|Aurélien|' +
  'Élise|Ilyès|Anaëlle|Noémie|Gaëlle|Mathéo|Léonie|Célia|Marie-Lou|Jérémy|Émile|Lény|Rayan|Clément|' +
  'Mathilde|Lou-Anne|Ibrahim|Khadija|Dorian|Solène|Thaïs|Côme|Agathe|Baptiste'
).split('|');

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Born in the civil year a pupil of that level usually is (a 6e of 2026-2027 was born in 2015). */
const birthDateFor = (level: number, next: () => number): IsoDate =>
  `${2026 - level - 5}-${pad(1 + Math.floor(next() * 12), 2)}-${pad(1 + Math.floor(next() * 28), 2)}`;

const ineFor = (n: number, next: () => number): string =>
  `${pad(Math.floor(next() * 1e9), 9)}${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(65 + ((n * 7) % 26))}`;

export type DemoRoster = {
  readonly students: readonly DemoStudent[];
  /** The story's students by role. */
  readonly story: Readonly<Record<StoryRole, DemoStudent>>;
};

/** Every student of the demo school, the same for the same seed. */
export const makeDemoRoster = (seed = 2026): DemoRoster => {
  const next = seededRandom(seed);
  const used = new Set(Object.values(STORY_STUDENTS).map((s) => `${s.lastName} ${s.firstName}`));
  const students: DemoStudent[] = [];
  const story: Partial<Record<StoryRole, DemoStudent>> = {};
  let n = 0;
  for (const { classId, level } of DEMO_CLASSES) {
    const placed = (
      Object.entries(STORY_STUDENTS) as [StoryRole, (typeof STORY_STUDENTS)[StoryRole]][]
    ).filter(([, s]) => s.classId === classId);
    for (let i = 0; i < CLASS_SIZE; i++) {
      const role = placed[i]?.[0];
      let name: { lastName: string; firstName: string };
      if (role) name = STORY_STUDENTS[role];
      else
        do
          name = {
            lastName: LAST_NAMES[Math.floor(next() * LAST_NAMES.length)],
            firstName: FIRST_NAMES[Math.floor(next() * FIRST_NAMES.length)],
          };
        while (used.has(`${name.lastName} ${name.firstName}`));
      used.add(`${name.lastName} ${name.firstName}`);
      n += 1;
      const student: DemoStudent = {
        studentId: String(120000 + n),
        ine: ineFor(n, next),
        lastName: name.lastName,
        firstName: name.firstName,
        birthDate: birthDateFor(level, next),
        classId,
        groupIds: [],
      };
      students.push(student);
      if (role) story[role] = student;
    }
  }
  const withGroups = students.map((student) => ({ ...student, groupIds: groupsOf(student, students) }));
  const byId = new Map(withGroups.map((s) => [s.studentId, s]));
  return {
    students: withGroups,
    story: Object.fromEntries(
      Object.entries(story).map(([role, s]) => [role, byId.get(s.studentId) as DemoStudent]),
    ) as Record<StoryRole, DemoStudent>,
  };
};

/** The first half of each class listed in a group's `fromClasses` (the student who changes class excepted). */
const groupsOf = (student: DemoStudent, students: readonly DemoStudent[]): string[] =>
  DEMO_GROUPS.filter((group) => {
    if (!group.fromClasses.includes(student.classId)) return false;
    const classmates = students.filter(
      (s) => s.classId === student.classId && s.lastName !== STORY_STUDENTS.changesClass.lastName,
    );
    const index = classmates.findIndex((s) => s.studentId === student.studentId);
    return index >= 0 && index < GROUP_SHARE_PER_CLASS;
  }).map((group) => group.groupId);

export const fullName = (student: Pick<DemoStudent, 'firstName' | 'lastName'>): string =>
  `${student.firstName} ${student.lastName}`;
