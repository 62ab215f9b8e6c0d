import {
  SchoolCalendar,
  TimetableLesson,
  TimetableSlot,
  openHalfDaysOn,
  resolveSlot,
} from '../domain/attendance';
import { halfDaysByIsoWeekday } from '../domain/settings/lesson-half-days';
import { DEFAULT_SLOTS } from '../domain/settings/settings';
import { closedDatesOf } from '../domain/structure/closures';
import { DEMO_CLASSES, DEMO_GROUPS, DEMO_SCHOOL_YEAR } from './demo-roster';
import { DEMO_CLOSURES, DEMO_LESSON_HALF_DAYS } from './demo-settings';
import { HalfDay, IsoDate, Weekday, datesBetween, weekdayOf } from '../domain/shared/calendar';

/**
 * Subjects, teachers and the weekly timetable of the demo collège. Each class follows the same ten
 * subjects in a rotation shifted by one slot per class, so that two classes never have the same
 * subject at the same time and no teacher is ever in two rooms at once.
 */

export type DemoSubject = { readonly subjectId: string; readonly label: string; readonly shortLabel: string };

export const DEMO_SUBJECTS: readonly DemoSubject[] = [
  { subjectId: 'FRANC', label: 'Français', shortLabel: 'FRANÇAIS' },
  { subjectId: 'MATHS', label: 'Mathématiques', shortLabel: 'MATHS' },
  { subjectId: 'HIGEO', label: 'Histoire-géographie, enseignement moral et civique', shortLabel: 'HIST-GÉO' },
  { subjectId: 'AGL1', label: 'Anglais LV1', shortLabel: 'ANGLAIS' },
  { subjectId: 'SVT', label: 'Sciences de la vie et de la Terre', shortLabel: 'SVT' },
  { subjectId: 'PHYCH', label: 'Physique-chimie', shortLabel: 'PHYS-CHIM' },
  { subjectId: 'TECHN', label: 'Technologie', shortLabel: 'TECHNO' },
  { subjectId: 'EPS', label: 'Éducation physique et sportive', shortLabel: 'EPS' },
  { subjectId: 'ARPLA', label: 'Arts plastiques', shortLabel: 'ARTS PLA' },
  { subjectId: 'EDMUS', label: 'Éducation musicale', shortLabel: 'ÉD MUS' },
  { subjectId: 'LCALA', label: "Langues et cultures de l'Antiquité : latin", shortLabel: 'LATIN' },
  { subjectId: 'EURO', label: 'Section européenne : histoire-géographie en anglais', shortLabel: 'EURO' },
];

/** The ten subjects every class has, in rotation order. */
const CLASS_SUBJECTS = DEMO_SUBJECTS.slice(0, 10).map((s) => s.subjectId);

export type DemoTeacher = {
  readonly teacherId: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly subjectId: string;
  /** Classes and groups taught. */
  readonly teaches: readonly string[];
};

const ALL_CLASSES = DEMO_CLASSES.map((c) => c.classId);
const FIRST_HALF = ['6A', '6B', '5A'];
const SECOND_HALF = ['5B', '4A', '3A'];

export const DEMO_TEACHERS: readonly DemoTeacher[] = [
  {
    teacherId: 'prof-dubois',
    lastName: 'DUBOIS',
    firstName: 'Claire',
    subjectId: 'FRANC',
    teaches: FIRST_HALF,
  },
  {
    teacherId: 'prof-ndiaye',
    lastName: "N'DIAYE",
    firstName: 'Aminata',
    subjectId: 'FRANC',
    teaches: SECOND_HALF,
  },
  {
    teacherId: 'prof-lefevre',
    lastName: 'LEFÈVRE',
    firstName: 'Hélène',
    subjectId: 'MATHS',
    teaches: FIRST_HALF,
  },
  {
    teacherId: 'prof-benali',
    lastName: 'BENALI',
    firstName: 'Karim',
    subjectId: 'MATHS',
    teaches: SECOND_HALF,
  },
  {
    teacherId: 'prof-roux',
    lastName: 'ROUX',
    firstName: 'Jean-Baptiste',
    subjectId: 'HIGEO',
    teaches: ALL_CLASSES,
  },
  { teacherId: 'prof-garcia', lastName: 'GARCÍA', firstName: 'Inés', subjectId: 'AGL1', teaches: FIRST_HALF },
  {
    teacherId: 'prof-oconnor',
    lastName: "O'CONNOR",
    firstName: 'Siobhan',
    subjectId: 'AGL1',
    teaches: SECOND_HALF,
  },
  {
    teacherId: 'prof-muller',
    lastName: 'MÜLLER',
    firstName: 'Anaïs',
    subjectId: 'SVT',
    teaches: ALL_CLASSES,
  },
  { teacherId: 'prof-leroy', lastName: 'LEROY', firstName: 'Théo', subjectId: 'PHYCH', teaches: ALL_CLASSES },
  {
    teacherId: 'prof-kowalski',
    lastName: 'KOWALSKI',
    firstName: 'Marc',
    subjectId: 'TECHN',
    teaches: ALL_CLASSES,
  },
  {
    teacherId: 'prof-da-silva',
    lastName: 'DA SILVA',
    firstName: 'Joël',
    subjectId: 'EPS',
    teaches: ALL_CLASSES,
  },
  {
    teacherId: 'prof-le-goff',
    lastName: 'LE GOFF',
    firstName: 'Maëlle',
    subjectId: 'ARPLA',
    teaches: ALL_CLASSES,
  },
  {
    teacherId: 'prof-benoit',
    lastName: 'BENOÎT',
    firstName: 'Éloïse',
    subjectId: 'EDMUS',
    teaches: ALL_CLASSES,
  },
  {
    teacherId: 'prof-coeurderoy',
    lastName: 'CŒURDEROY',
    firstName: 'Raphaël',
    subjectId: 'LCALA',
    teaches: ['LATIN-5'],
  },
  {
    teacherId: 'prof-hamidi',
    lastName: 'HAMIDI',
    firstName: 'Yasmine',
    subjectId: 'EURO',
    teaches: ['EURO-ANG'],
  },
];

/** The teacher whose token the demo prints: Mme Lefèvre, maths in 6A, 6B and 5A. */
export const DEMO_TEACHER_ID = 'prof-lefevre';

export const teacherOf = (subjectId: string, classOrGroupId: string): DemoTeacher => {
  const teacher = DEMO_TEACHERS.find((t) => t.subjectId === subjectId && t.teaches.includes(classOrGroupId));
  if (!teacher) throw new Error(`the demo has no ${subjectId} teacher for ${classOrGroupId}`);
  return teacher;
};

/** The default timetable without S4: lessons end at 16:30. */
export const DEMO_SLOTS: readonly TimetableSlot[] = DEFAULT_SLOTS.filter((slot) => slot.code !== 'S4');

export const slotOf = (code: string): TimetableSlot => {
  const slot = DEMO_SLOTS.find((s) => s.code === code);
  if (!slot) throw new Error(`no slot ${code} in the demo timetable`);
  return slot;
};

const DEMO_CLOSED_DATES = closedDatesOf(DEMO_CLOSURES, DEMO_SCHOOL_YEAR.start, DEMO_SCHOOL_YEAR.end);

/**
 * No lessons on Wednesday afternoon; the Toussaint holidays and 11 November (Armistice) are closed.
 * The same settings and closures are recorded on the school stream, so the API's views agree.
 */
export const DEMO_CALENDAR: SchoolCalendar = {
  week: halfDaysByIsoWeekday(DEMO_LESSON_HALF_DAYS),
  closedDates: new Set(DEMO_CLOSED_DATES.keys()),
  closureLabels: DEMO_CLOSED_DATES,
};

export const DEMO_MONTH = { from: '2026-11-02', to: '2026-11-27' } as const;

export const schoolDaysOf = (from: IsoDate, to: IsoDate): IsoDate[] =>
  datesBetween(from, to).filter((date) => openHalfDaysOn(DEMO_CALENDAR, date).length > 0);

const halfDayOfSlot = (code: string): HalfDay => resolveSlot(slotOf(code)).halfDay;

/** Group lessons take the slots their classes have free. */
const GROUP_SLOTS: Readonly<Record<string, readonly { weekday: Weekday; slotCode: string }[]>> = {
  'LATIN-5': [
    { weekday: 2, slotCode: 'S3' },
    { weekday: 4, slotCode: 'S3' },
  ],
  'EURO-ANG': [
    { weekday: 1, slotCode: 'S3' },
    { weekday: 5, slotCode: 'S3' },
  ],
};

export type DemoLesson = TimetableLesson & { readonly subjectId: string };

/** The weekly lessons of every class and group, each with its teacher. */
export const weeklyLessons = (): DemoLesson[] => {
  const week: { weekday: Weekday; slotCode: string }[] = [];
  for (const weekday of [1, 2, 3, 4, 5] as const)
    for (const slot of DEMO_SLOTS)
      if ((DEMO_CALENDAR.week?.[weekday] ?? []).includes(halfDayOfSlot(slot.code)))
        week.push({ weekday, slotCode: slot.code });
  const lessons: DemoLesson[] = [];
  DEMO_CLASSES.forEach(({ classId }, classIndex) =>
    week.forEach(({ weekday, slotCode }, k) => {
      const groupTime = DEMO_GROUPS.some(
        (g) =>
          g.fromClasses.includes(classId) &&
          GROUP_SLOTS[g.groupId].some((s) => s.weekday === weekday && s.slotCode === slotCode),
      );
      if (groupTime) return;
      const subjectId = CLASS_SUBJECTS[(classIndex + k) % CLASS_SUBJECTS.length];
      lessons.push({
        classOrGroupId: classId,
        teacherId: teacherOf(subjectId, classId).teacherId,
        weekday,
        slotCode,
        subjectId,
      });
    }),
  );
  for (const group of DEMO_GROUPS)
    for (const { weekday, slotCode } of GROUP_SLOTS[group.groupId])
      lessons.push({
        classOrGroupId: group.groupId,
        teacherId: teacherOf(group.subjectId, group.groupId).teacherId,
        weekday,
        slotCode,
        subjectId: group.subjectId,
      });
  return lessons;
};

/** The lessons of one date, in slot order. */
export const lessonsOn = (lessons: readonly DemoLesson[], date: IsoDate): DemoLesson[] => {
  const open = openHalfDaysOn(DEMO_CALENDAR, date);
  return lessons
    .filter((l) => l.weekday === weekdayOf(date) && open.includes(halfDayOfSlot(l.slotCode)))
    .sort((a, b) => (slotOf(a.slotCode).start < slotOf(b.slotCode).start ? -1 : 1));
};
