import { Decider } from '../shared/decider';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { Actor } from '../shared/event';
import {
  AssessmentActor,
  AssessmentPeriod,
  TITLE_MAX_LENGTH,
  checkAssessmentWriter,
  checkCoefficient,
  checkId,
  checkOutOf,
  checkPeriodOpen,
  refuseClosedPeriod,
  checkReason,
  checkText,
  hasText,
  periodOf,
} from './assessment-rules';
import {
  AssessmentEvent,
  AssessmentKeys,
  AssessmentTerms,
  CompetencyItem,
  GroupKind,
  StudentGrade,
  StudentLevel,
} from './assessment-events';
import { DEFAULT_OUT_OF, GradeValue, gradeFault, isMarker, MARKERS } from './grade-values';
import { AssessmentForAverages, GradeForAverages } from './averages';
import { LevelForPositioning, LevelValue, isLevel, isSocleComponent, SocleComponent } from './positioning';

// ---- state -------------------------------------------------------------------------------------

export type CreatedAssessment = {
  readonly status: 'created' | 'cancelled';
  readonly keys: AssessmentKeys;
  readonly terms: AssessmentTerms;
  readonly teacherId: string;
  readonly competencyItems: readonly CompetencyItem[];
  /** Each student's current grade. */
  readonly grades: ReadonlyMap<string, GradeValue>;
  /** Each student's current level per item: `levels.get(itemId)?.get(studentId)`. */
  readonly levels: ReadonlyMap<string, ReadonlyMap<string, LevelValue>>;
  readonly createdBy: Actor;
};

export type Assessment = { readonly status: 'none' } | CreatedAssessment;

const byStudent = (a: { studentId: string }, b: { studentId: string }) =>
  a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0;

export const initialAssessment = (): Assessment => ({ status: 'none' });

const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V | null): ReadonlyMap<K, V> => {
  const copy = new Map(map);
  if (value === null) copy.delete(key);
  else copy.set(key, value);
  return copy;
};

const withLevel = (
  state: CreatedAssessment,
  level: { studentId: string; itemId: string; value: LevelValue | null },
) =>
  withEntry(
    state.levels,
    level.itemId,
    withEntry(state.levels.get(level.itemId) ?? new Map<string, LevelValue>(), level.studentId, level.value),
  );

export const evolveAssessment = (state: Assessment, event: AssessmentEvent): Assessment => {
  if (event.type === 'AssessmentCreated') {
    const { data } = event;
    return {
      status: 'created',
      keys: keysOf(data),
      terms: {
        date: data.date,
        periodId: data.periodId,
        title: data.title,
        outOf: data.outOf,
        coefficient: data.coefficient,
        formative: data.formative,
      },
      teacherId: data.teacherId,
      competencyItems: data.competencyItems,
      grades: new Map(),
      levels: new Map(),
      createdBy: data.createdBy,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'GradesRecorded': {
      const grades = new Map(state.grades);
      for (const { studentId, value } of event.data.grades) grades.set(studentId, value);
      return { ...state, grades };
    }
    case 'GradeCorrected':
      return { ...state, grades: withEntry(state.grades, event.data.studentId, event.data.value) };
    case 'AssessmentChanged':
      return { ...state, keys: keysOf(event.data), terms: event.data.terms };
    case 'AssessmentCancelled':
      return { ...state, status: 'cancelled' };
    case 'LevelsRecorded':
      return event.data.levels.reduce(
        (current, level) => ({ ...current, levels: withLevel(current, level) }),
        state,
      );
    case 'LevelCorrected':
      return { ...state, levels: withLevel(state, event.data) };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

const keysOf = (data: AssessmentKeys): AssessmentKeys => ({
  assessmentId: data.assessmentId,
  classOrGroupId: data.classOrGroupId,
  groupKind: data.groupKind,
  subjectId: data.subjectId,
  periodId: data.periodId,
  date: data.date,
});

/** What averages need of an assessment as its events left it. */
export const assessmentForAverages = (state: CreatedAssessment): AssessmentForAverages => ({
  assessmentId: state.keys.assessmentId,
  subjectId: state.keys.subjectId,
  periodId: state.terms.periodId,
  outOf: state.terms.outOf,
  coefficient: state.terms.coefficient,
  formative: state.terms.formative,
  cancelled: state.status === 'cancelled',
});

/** Each student's current grade, sorted by student. */
export const currentGrades = (state: CreatedAssessment): GradeForAverages[] =>
  [...state.grades.entries()]
    .map(([studentId, value]) => ({ assessmentId: state.keys.assessmentId, studentId, value }))
    .sort(byStudent);

/** Each student's current level per item, sorted by student then item. */
export const currentLevels = (state: CreatedAssessment): LevelForPositioning[] =>
  [...state.levels.entries()]
    .flatMap(([itemId, byStudentId]) =>
      [...byStudentId.entries()].map(([studentId, value]) => ({
        assessmentId: state.keys.assessmentId,
        itemId,
        studentId,
        date: state.terms.date,
        value,
        cancelled: state.status === 'cancelled',
      })),
    )
    .sort((a, b) => byStudent(a, b) || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));

// ---- commands ----------------------------------------------------------------------------------

/** What the handler reads from the structure and council read models for a command. */
export type EnrolmentContext = {
  /** Students enrolled in the class or group on the assessment's date. */
  readonly enrolled: ReadonlySet<string>;
  /** The assessment's period has had its council (DOMAIN.md, "Class council"). */
  readonly periodClosed?: boolean;
};

export type PeriodsContext = {
  /** The periods of the class's scheme. */
  readonly periods: readonly AssessmentPeriod[];
  /** The ids of those whose council was held. */
  readonly closedPeriods?: ReadonlySet<string>;
};

type OnAssessment = AssessmentActor & { readonly assessmentId: string };

export type CreateAssessment = OnAssessment & {
  readonly type: 'CreateAssessment';
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly subjectId: string;
  readonly date: string;
  readonly title: string;
  /** Default 20. */
  readonly outOf?: number;
  /** Default 1. */
  readonly coefficient?: number;
  /** Default false. */
  readonly formative?: boolean;
  /** The principal names the teacher; a teacher's assessment is their own. */
  readonly teacherId?: string;
  readonly competencyItems?: readonly {
    readonly itemId: string;
    readonly label: string;
    readonly socleComponent?: SocleComponent | null;
  }[];
  readonly context: PeriodsContext;
};

/** The grades of the whole class (or of the students graded so far), in one event. */
export type RecordGrades = OnAssessment & {
  readonly type: 'RecordGrades';
  readonly grades: readonly StudentGrade[];
  readonly context: EnrolmentContext;
};

export type CorrectGrade = OnAssessment & {
  readonly type: 'CorrectGrade';
  readonly studentId: string;
  /** Null removes the student's grade. */
  readonly value: GradeValue | null;
  readonly reason: string;
  readonly context: EnrolmentContext;
};

export type ChangeAssessment = OnAssessment & {
  readonly type: 'ChangeAssessment';
  readonly date?: string;
  readonly title?: string;
  readonly outOf?: number;
  readonly coefficient?: number;
  readonly formative?: boolean;
  readonly reason?: string;
  /**
   * With a new date: who is enrolled in the class or group on it. A student graded or evaluated
   * who was not there on the new date is refused, as when grading.
   */
  readonly context: PeriodsContext & { readonly enrolledOnNewDate?: ReadonlySet<string> };
};

export type CancelAssessment = OnAssessment & {
  readonly type: 'CancelAssessment';
  readonly reason?: string;
  readonly context?: { readonly periodClosed?: boolean };
};

export type RecordLevels = OnAssessment & {
  readonly type: 'RecordLevels';
  readonly levels: readonly StudentLevel[];
  readonly context: EnrolmentContext;
};

export type CorrectLevel = OnAssessment & {
  readonly type: 'CorrectLevel';
  readonly studentId: string;
  readonly itemId: string;
  readonly value: LevelValue | null;
  readonly reason: string;
  readonly context: EnrolmentContext;
};

export type AssessmentCommand =
  | CreateAssessment
  | RecordGrades
  | CorrectGrade
  | ChangeAssessment
  | CancelAssessment
  | RecordLevels
  | CorrectLevel;

// ---- decisions ---------------------------------------------------------------------------------

const existing = (state: Assessment): CreatedAssessment => {
  if (state.status === 'none')
    throw notFound('ASSESSMENT.NOT_FOUND', 'no assessment was created under this id');
  return state;
};

/** The assessment to write to: it exists, is not cancelled, and the actor may write it. */
const writable = (command: OnAssessment, state: Assessment): CreatedAssessment => {
  const current = existing(state);
  checkAssessmentWriter(command, current.keys.classOrGroupId, current.keys.subjectId);
  if (current.status === 'cancelled')
    throw conflict('ASSESSMENT.CANCELLED', `assessment ${current.keys.assessmentId} was cancelled`, {
      assessmentId: current.keys.assessmentId,
    });
  return current;
};

/** Students the assessment holds a grade or a level for. */
const evaluatedStudents = (state: CreatedAssessment): string[] =>
  [...new Set([...state.grades.keys(), ...[...state.levels.values()].flatMap((m) => [...m.keys()])])].sort();

const sameGrade = (a: GradeValue | null | undefined, b: GradeValue | null | undefined): boolean =>
  (a ?? null) === (b ?? null);

const competencyItemsOf = (items: CreateAssessment['competencyItems']): CompetencyItem[] => {
  const seen = new Set<string>();
  return (items ?? []).map((item, index) => {
    const itemId = checkId(item.itemId, `competencyItems[${index}].itemId`);
    if (seen.has(itemId))
      throw invalid('ASSESSMENT.DUPLICATE_ITEM', `competency item ${itemId} is listed twice`, {
        field: `competencyItems[${index}].itemId`,
        itemId,
      });
    seen.add(itemId);
    const socleComponent = item.socleComponent ?? null;
    if (socleComponent !== null && !isSocleComponent(socleComponent))
      throw invalid(
        'ASSESSMENT.SOCLE_COMPONENT_UNKNOWN',
        `${String(socleComponent)} is not a socle component`,
        {
          field: `competencyItems[${index}].socleComponent`,
        },
      );
    return {
      itemId,
      label: checkText(item.label, `competencyItems[${index}].label`, TITLE_MAX_LENGTH),
      socleComponent,
    };
  });
};

export const createAssessment = (command: CreateAssessment, state: Assessment): AssessmentEvent[] => {
  checkAssessmentWriter(command, command.classOrGroupId, command.subjectId, {
    classOrGroup: command.groupKind === 'group' ? 'groupId' : 'classId',
    subject: 'subjectId',
  });
  const assessmentId = checkId(command.assessmentId, 'assessmentId');
  checkId(command.classOrGroupId, command.groupKind === 'group' ? 'groupId' : 'classId');
  checkId(command.subjectId, 'subjectId');
  if (command.groupKind !== 'class' && command.groupKind !== 'group')
    throw invalid('ASSESSMENT.GROUP_KIND_INVALID', 'groupKind must be class or group', {
      field: 'groupKind',
    });
  const period = periodOf(command.date, command.context.periods);
  refuseClosedPeriod(period.id, command.context.closedPeriods?.has(period.id));
  const formative = command.formative ?? false;
  if (typeof formative !== 'boolean')
    throw invalid('ASSESSMENT.FORMATIVE_INVALID', 'formative must be true or false', { field: 'formative' });
  const data = {
    assessmentId,
    classOrGroupId: command.classOrGroupId,
    groupKind: command.groupKind,
    subjectId: command.subjectId,
    periodId: period.id,
    date: command.date,
    title: checkText(command.title, 'title', TITLE_MAX_LENGTH),
    outOf: checkOutOf(command.outOf ?? DEFAULT_OUT_OF),
    coefficient: checkCoefficient(command.coefficient ?? 1),
    formative,
    teacherId:
      command.actor.role === 'teacher'
        ? command.actor.id
        : checkId(command.teacherId ?? command.actor.id, 'teacherId'),
    competencyItems: competencyItemsOf(command.competencyItems),
    createdBy: command.actor,
  };
  if (state.status !== 'none') {
    const { createdBy: _createdBy, ...sent } = data;
    const recorded = {
      ...state.keys,
      ...state.terms,
      teacherId: state.teacherId,
      competencyItems: state.competencyItems,
    };
    if (JSON.stringify(sortedKeys(sent)) === JSON.stringify(sortedKeys(recorded))) return [];
    throw conflict(
      'ASSESSMENT.ALREADY_EXISTS',
      `assessment ${assessmentId} already exists with other terms`,
      {
        assessmentId,
      },
    );
  }
  return [{ type: 'AssessmentCreated', data }];
};

const sortedKeys = (record: Record<string, unknown>): [string, unknown][] =>
  Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));

type Fault = { readonly field: string; readonly studentId: unknown; readonly rule: string };

const refuseFaults = (code: string, what: string, faults: readonly Fault[]) => {
  if (faults.length > 0)
    throw invalid(
      code,
      `${what} refused, nothing recorded: ${faults.map((f) => `${String(f.studentId)} ${f.rule}`).join('; ')}`,
      { field: faults[0].field, faults },
    );
};

const refuseNotEnrolled = (
  state: CreatedAssessment,
  studentIds: readonly string[],
  fields: readonly string[],
) => {
  if (studentIds.length > 0)
    throw conflict(
      'ASSESSMENT.STUDENT_NOT_ENROLLED',
      `not enrolled in ${state.keys.classOrGroupId} on ${state.terms.date}: ${studentIds.join(', ')}`,
      {
        field: fields[0],
        studentIds,
        classOrGroupId: state.keys.classOrGroupId,
        date: state.terms.date,
      },
    );
};

const checkStudentId = (studentId: unknown, field: string, faults: Fault[]): boolean => {
  if (typeof studentId !== 'string' || studentId.length === 0) {
    faults.push({ field, studentId, rule: 'is not a student id' });
    return false;
  }
  return true;
};

export const recordGrades = (command: RecordGrades, state: Assessment): AssessmentEvent[] => {
  const current = writable(command, state);
  refuseClosedPeriod(current.keys.periodId, command.context.periodClosed);
  const { outOf } = current.terms;
  const faults: Fault[] = [];
  const seen = new Set<string>();
  command.grades.forEach(({ studentId, value }, index) => {
    if (!checkStudentId(studentId, `grades[${index}].studentId`, faults)) return;
    if (seen.has(studentId))
      faults.push({ field: `grades[${index}].studentId`, studentId, rule: 'is listed twice' });
    seen.add(studentId);
    const fault = gradeFault(value, outOf);
    if (fault !== undefined) faults.push({ field: `grades[${index}].value`, studentId, rule: fault });
  });
  refuseFaults('ASSESSMENT.GRADES_INVALID', 'the grades were', faults);
  const notEnrolled = command.grades.filter((g) => !command.context.enrolled.has(g.studentId));
  refuseNotEnrolled(
    current,
    notEnrolled.map((g) => g.studentId),
    notEnrolled.map((g) => `grades[${command.grades.indexOf(g)}].studentId`),
  );
  const changed = command.grades.filter(
    (g) => current.grades.has(g.studentId) && !sameGrade(current.grades.get(g.studentId), g.value),
  );
  if (changed.length > 0)
    throw conflict(
      'ASSESSMENT.GRADE_ALREADY_RECORDED',
      `already graded otherwise, correct each with a reason: ${changed.map((g) => g.studentId).join(', ')}`,
      {
        field: `grades[${command.grades.indexOf(changed[0])}].value`,
        studentIds: changed.map((g) => g.studentId),
        recorded: Object.fromEntries(changed.map((g) => [g.studentId, current.grades.get(g.studentId)])),
      },
    );
  const added = command.grades
    .filter((g) => !current.grades.has(g.studentId))
    .map(({ studentId, value }) => ({ studentId, value }))
    .sort(byStudent);
  if (added.length === 0) return [];
  return [{ type: 'GradesRecorded', data: { ...current.keys, grades: added, recordedBy: command.actor } }];
};

export const correctGrade = (command: CorrectGrade, state: Assessment): AssessmentEvent[] => {
  const current = writable(command, state);
  const reason = checkReason(command.reason, 'correcting a grade');
  checkPeriodOpen(command, current.keys.periodId, command.context.periodClosed, reason);
  const faults: Fault[] = [];
  if (checkStudentId(command.studentId, 'studentId', faults) && command.value !== null) {
    const fault = gradeFault(command.value, current.terms.outOf);
    if (fault !== undefined) faults.push({ field: 'value', studentId: command.studentId, rule: fault });
  }
  refuseFaults('ASSESSMENT.GRADES_INVALID', 'the grade was', faults);
  const previous = current.grades.get(command.studentId) ?? null;
  if (sameGrade(previous, command.value)) return [];
  if (command.value !== null && !command.context.enrolled.has(command.studentId))
    refuseNotEnrolled(current, [command.studentId], ['studentId']);
  return [
    {
      type: 'GradeCorrected',
      data: {
        ...current.keys,
        studentId: command.studentId,
        previous,
        value: command.value,
        reason,
        correctedBy: command.actor,
      },
    },
  ];
};

const COUNTED_TERMS = ['date', 'outOf', 'coefficient', 'formative'] as const;

export const changeAssessment = (command: ChangeAssessment, state: Assessment): AssessmentEvent[] => {
  const current = writable(command, state);
  const previous = current.terms;
  const date = command.date ?? previous.date;
  const period = date === previous.date ? { id: previous.periodId } : periodOf(date, command.context.periods);
  const formative = command.formative ?? previous.formative;
  if (typeof formative !== 'boolean')
    throw invalid('ASSESSMENT.FORMATIVE_INVALID', 'formative must be true or false', { field: 'formative' });
  const terms: AssessmentTerms = {
    date,
    periodId: period.id,
    title: command.title === undefined ? previous.title : checkText(command.title, 'title', TITLE_MAX_LENGTH),
    outOf: command.outOf === undefined ? previous.outOf : checkOutOf(command.outOf),
    coefficient:
      command.coefficient === undefined ? previous.coefficient : checkCoefficient(command.coefficient),
    formative,
  };
  const countedChange = COUNTED_TERMS.some((term) => terms[term] !== previous[term]);
  if (!countedChange && terms.title === previous.title) return [];
  const studentIds = evaluatedStudents(current);
  if (countedChange && studentIds.length > 0)
    checkReason(
      command.reason,
      `changing the ${COUNTED_TERMS.filter((t) => terms[t] !== previous[t]).join(', ')} of an assessment with grades`,
    );
  else if (command.reason !== undefined && hasText(command.reason)) checkReason(command.reason, 'a change');
  for (const periodId of new Set([previous.periodId, terms.periodId]))
    checkPeriodOpen(command, periodId, command.context.closedPeriods?.has(periodId), command.reason);
  const enrolledThen = command.context.enrolledOnNewDate;
  if (terms.date !== previous.date && enrolledThen !== undefined) {
    const absent = studentIds.filter((id) => !enrolledThen.has(id));
    if (absent.length > 0)
      throw conflict(
        'ASSESSMENT.STUDENT_NOT_ENROLLED',
        `not enrolled in ${current.keys.classOrGroupId} on ${terms.date}: ${absent.join(', ')}`,
        { field: 'date', studentIds: absent, classOrGroupId: current.keys.classOrGroupId, date: terms.date },
      );
  }
  const above = [...current.grades.entries()]
    .filter(([, value]) => typeof value === 'number' && value > terms.outOf)
    .map(([studentId]) => studentId)
    .sort();
  if (above.length > 0)
    throw conflict(
      'ASSESSMENT.GRADES_ABOVE_OUT_OF',
      `outOf ${terms.outOf} is below the grades of ${above.join(', ')}: correct them first`,
      { field: 'outOf', studentIds: above },
    );
  return [
    {
      type: 'AssessmentChanged',
      data: {
        ...current.keys,
        periodId: terms.periodId,
        date: terms.date,
        previous,
        terms,
        studentIds,
        reason: hasText(command.reason) ? command.reason : null,
        changedBy: command.actor,
      },
    },
  ];
};

export const cancelAssessment = (command: CancelAssessment, state: Assessment): AssessmentEvent[] => {
  const current = existing(state);
  checkAssessmentWriter(command, current.keys.classOrGroupId, current.keys.subjectId);
  if (current.status === 'cancelled') return [];
  const studentIds = evaluatedStudents(current);
  if (studentIds.length > 0) checkReason(command.reason, 'cancelling an assessment with grades');
  else if (hasText(command.reason)) checkReason(command.reason, 'a cancellation');
  checkPeriodOpen(command, current.keys.periodId, command.context?.periodClosed, command.reason);
  return [
    {
      type: 'AssessmentCancelled',
      data: {
        ...current.keys,
        studentIds,
        reason: hasText(command.reason) ? command.reason : null,
        cancelledBy: command.actor,
      },
    },
  ];
};

const levelFault = (value: unknown): string | undefined =>
  isLevel(value) || isMarker(value) ? undefined : `must be a level 1 to 4 or one of ${MARKERS.join(', ')}`;

const checkItem = (state: CreatedAssessment, itemId: unknown, field: string) => {
  if (!state.competencyItems.some((item) => item.itemId === itemId))
    throw invalid(
      'ASSESSMENT.ITEM_UNKNOWN',
      `this assessment evaluates no competency item ${String(itemId)}`,
      {
        field,
        itemId,
        items: state.competencyItems.map((item) => item.itemId),
      },
    );
};

const levelOf = (state: CreatedAssessment, studentId: string, itemId: string): LevelValue | null =>
  state.levels.get(itemId)?.get(studentId) ?? null;

export const recordLevels = (command: RecordLevels, state: Assessment): AssessmentEvent[] => {
  const current = writable(command, state);
  refuseClosedPeriod(current.keys.periodId, command.context.periodClosed);
  const faults: Fault[] = [];
  const seen = new Set<string>();
  command.levels.forEach(({ studentId, itemId, value }, index) => {
    checkItem(current, itemId, `levels[${index}].itemId`);
    if (!checkStudentId(studentId, `levels[${index}].studentId`, faults)) return;
    const key = `${itemId}/${studentId}`;
    if (seen.has(key))
      faults.push({ field: `levels[${index}]`, studentId, rule: `is listed twice for ${itemId}` });
    seen.add(key);
    const fault = levelFault(value);
    if (fault !== undefined) faults.push({ field: `levels[${index}].value`, studentId, rule: fault });
  });
  refuseFaults('ASSESSMENT.LEVELS_INVALID', 'the levels were', faults);
  const notEnrolled = command.levels.filter((l) => !command.context.enrolled.has(l.studentId));
  refuseNotEnrolled(
    current,
    [...new Set(notEnrolled.map((l) => l.studentId))],
    notEnrolled.map((l) => `levels[${command.levels.indexOf(l)}].studentId`),
  );
  const changed = command.levels.filter((l) => {
    const recorded = levelOf(current, l.studentId, l.itemId);
    return recorded !== null && recorded !== l.value;
  });
  if (changed.length > 0)
    throw conflict(
      'ASSESSMENT.LEVEL_ALREADY_RECORDED',
      `already evaluated otherwise, correct each with a reason: ${changed.map((l) => `${l.studentId} on ${l.itemId}`).join(', ')}`,
      {
        field: `levels[${command.levels.indexOf(changed[0])}].value`,
        levels: changed.map((l) => ({
          studentId: l.studentId,
          itemId: l.itemId,
          recorded: levelOf(current, l.studentId, l.itemId),
        })),
      },
    );
  const added = command.levels
    .filter((l) => levelOf(current, l.studentId, l.itemId) === null)
    .map(({ studentId, itemId, value }) => ({ studentId, itemId, value }))
    .sort((a, b) => byStudent(a, b) || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  if (added.length === 0) return [];
  return [{ type: 'LevelsRecorded', data: { ...current.keys, levels: added, recordedBy: command.actor } }];
};

export const correctLevel = (command: CorrectLevel, state: Assessment): AssessmentEvent[] => {
  const current = writable(command, state);
  const reason = checkReason(command.reason, 'correcting a level');
  checkPeriodOpen(command, current.keys.periodId, command.context.periodClosed, reason);
  checkItem(current, command.itemId, 'itemId');
  const faults: Fault[] = [];
  if (checkStudentId(command.studentId, 'studentId', faults) && command.value !== null) {
    const fault = levelFault(command.value);
    if (fault !== undefined) faults.push({ field: 'value', studentId: command.studentId, rule: fault });
  }
  refuseFaults('ASSESSMENT.LEVELS_INVALID', 'the level was', faults);
  const previous = levelOf(current, command.studentId, command.itemId);
  if (previous === command.value) return [];
  if (command.value !== null && !command.context.enrolled.has(command.studentId))
    refuseNotEnrolled(current, [command.studentId], ['studentId']);
  return [
    {
      type: 'LevelCorrected',
      data: {
        ...current.keys,
        studentId: command.studentId,
        itemId: command.itemId,
        previous,
        value: command.value,
        reason,
        correctedBy: command.actor,
      },
    },
  ];
};

export const decideAssessment = (command: AssessmentCommand, state: Assessment): AssessmentEvent[] => {
  switch (command.type) {
    case 'CreateAssessment':
      return createAssessment(command, state);
    case 'RecordGrades':
      return recordGrades(command, state);
    case 'CorrectGrade':
      return correctGrade(command, state);
    case 'ChangeAssessment':
      return changeAssessment(command, state);
    case 'CancelAssessment':
      return cancelAssessment(command, state);
    case 'RecordLevels':
      return recordLevels(command, state);
    case 'CorrectLevel':
      return correctLevel(command, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const assessmentDecider: Decider<AssessmentCommand, Assessment, AssessmentEvent> = {
  initialState: initialAssessment,
  evolve: evolveAssessment,
  decide: decideAssessment,
};
