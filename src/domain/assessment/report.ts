import { Decider } from '../shared/decider';
import { conflict, invalid } from '../shared/domain-error';
import { Actor, DomainEvent, eventTypeGuard } from '../shared/event';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../shared/text';
import {
  AssessmentActor,
  checkAssessmentWriter,
  checkPeriodOpen,
  checkText,
  hasText,
  REASON_MAX_LENGTH,
} from './assessment-rules';
import { Level, isLevel } from './positioning';

/**
 * `report-{uai}-{classId}-{subject}-{period}`: what the subject's teacher writes for the class
 * council of one period — each student's final positioning (beside the engine's suggestion) and the
 * subject appreciation.
 */

/** The LSU's limit for a subject appreciation. */
export const APPRECIATION_MAX_LENGTH = 600;

export type ReportKeys = {
  readonly classId: string;
  readonly subjectId: string;
  readonly periodId: string;
};

export type PositioningSetData = ReportKeys & {
  readonly studentId: string;
  /** Null: the final positioning is withdrawn and the suggestion is shown again. */
  readonly positioning: Level | null;
  readonly previous: Level | null;
  /** The engine's suggestion when the teacher decided, kept beside the final value. */
  readonly suggested: Level | null;
  readonly reason: string | null;
  readonly setBy: Actor;
};

export type AppreciationWrittenData = ReportKeys & {
  readonly studentId: string;
  /** Empty: the appreciation is withdrawn. */
  readonly text: string;
  readonly previous: string | null;
  readonly reason: string | null;
  readonly writtenBy: Actor;
};

export type PositioningSet = DomainEvent<'PositioningSet', PositioningSetData>;
export type AppreciationWritten = DomainEvent<'AppreciationWritten', AppreciationWrittenData>;
export type ReportEvent = PositioningSet | AppreciationWritten;

export const REPORT_EVENT_TYPES = [
  'PositioningSet',
  'AppreciationWritten',
] as const satisfies readonly ReportEvent['type'][];
export const isReportEvent = eventTypeGuard<ReportEvent>(REPORT_EVENT_TYPES);

export type StudentReport = {
  readonly positioning: Level | null;
  readonly suggested: Level | null;
  readonly appreciation: string | null;
  /** Who wrote the appreciation: replacing someone else's needs a reason. */
  readonly appreciationBy: string | null;
};

export type Report = { readonly students: ReadonlyMap<string, StudentReport> };

export const initialReport = (): Report => ({ students: new Map() });

const EMPTY: StudentReport = { positioning: null, suggested: null, appreciation: null, appreciationBy: null };

const withStudent = (state: Report, studentId: string, change: Partial<StudentReport>): Report => ({
  students: new Map(state.students).set(studentId, {
    ...(state.students.get(studentId) ?? EMPTY),
    ...change,
  }),
});

export const evolveReport = (state: Report, event: ReportEvent): Report => {
  switch (event.type) {
    case 'PositioningSet':
      return withStudent(state, event.data.studentId, {
        positioning: event.data.positioning,
        suggested: event.data.suggested,
      });
    case 'AppreciationWritten':
      return withStudent(state, event.data.studentId, {
        appreciation: event.data.text === '' ? null : event.data.text,
        appreciationBy: event.data.text === '' ? null : event.data.writtenBy.id,
      });
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

/** What the handler reads for a report command. */
export type ReportContext = {
  /** Students enrolled in the class at some time during the period. */
  readonly students: ReadonlySet<string>;
  readonly periodClosed?: boolean;
};

type OnReport = AssessmentActor &
  ReportKeys & {
    readonly studentId: string;
    readonly reason?: string;
    readonly context: ReportContext;
  };

export type SetPositioning = OnReport & {
  readonly type: 'SetPositioning';
  readonly positioning: Level | null;
  /** The suggestion the teacher saw (from the competency read model). */
  readonly suggested: Level | null;
};

export type WriteAppreciation = OnReport & {
  readonly type: 'WriteAppreciation';
  readonly text: string;
};

export type ReportCommand = SetPositioning | WriteAppreciation;

const checkReportWriter = (command: OnReport) => {
  checkAssessmentWriter(command, command.classId, command.subjectId);
  if (!command.context.students.has(command.studentId))
    throw conflict(
      'REPORT.STUDENT_NOT_IN_CLASS',
      `${command.studentId} was not in ${command.classId} during ${command.periodId}`,
      {
        field: 'studentId',
        studentId: command.studentId,
        classId: command.classId,
        periodId: command.periodId,
      },
    );
  checkPeriodOpen(command, command.periodId, command.context.periodClosed, command.reason);
  if (hasText(command.reason)) checkText(command.reason, 'reason', REASON_MAX_LENGTH);
};

export const setPositioning = (command: SetPositioning, state: Report): ReportEvent[] => {
  checkReportWriter(command);
  if (command.positioning !== null && !isLevel(command.positioning))
    throw invalid('REPORT.POSITIONING_INVALID', 'positioning must be 1, 2, 3 or 4 (or null to withdraw it)', {
      field: 'positioning',
    });
  if (command.suggested !== null && !isLevel(command.suggested))
    throw invalid('REPORT.POSITIONING_INVALID', 'suggested must be 1, 2, 3 or 4, or null', {
      field: 'suggested',
    });
  const previous = state.students.get(command.studentId)?.positioning ?? null;
  if (previous === command.positioning) return [];
  return [
    {
      type: 'PositioningSet',
      data: {
        classId: command.classId,
        subjectId: command.subjectId,
        periodId: command.periodId,
        studentId: command.studentId,
        positioning: command.positioning,
        previous,
        suggested: command.suggested,
        reason: hasText(command.reason) ? command.reason : null,
        setBy: command.actor,
      },
    },
  ];
};

export const writeAppreciation = (command: WriteAppreciation, state: Report): ReportEvent[] => {
  checkReportWriter(command);
  if (typeof command.text !== 'string')
    throw invalid('REPORT.APPRECIATION_INVALID', 'text must be a text (empty to withdraw it)', {
      field: 'text',
    });
  const text = command.text.trim();
  if (text.length > APPRECIATION_MAX_LENGTH)
    throw invalid(
      'REPORT.APPRECIATION_TOO_LONG',
      `an appreciation is at most ${APPRECIATION_MAX_LENGTH} characters (the LSU's limit), got ${text.length}`,
      { field: 'text', maxLength: APPRECIATION_MAX_LENGTH, length: text.length },
    );
  const unsafe = unsafeCharacterIn(text, { multiline: true });
  if (unsafe !== undefined)
    throw invalid('REPORT.APPRECIATION_INVALID', `text ${describeUnsafeCharacter(unsafe)}`, {
      field: 'text',
    });
  const current = state.students.get(command.studentId);
  const previous = current?.appreciation ?? null;
  if ((previous ?? '') === text) return [];
  if (previous !== null && current?.appreciationBy !== command.actor.id && !hasText(command.reason))
    throw conflict(
      'ASSESSMENT.REASON_REQUIRED',
      'replacing an appreciation someone else wrote needs a reason',
      {
        field: 'reason',
        writtenBy: current?.appreciationBy,
      },
    );
  return [
    {
      type: 'AppreciationWritten',
      data: {
        classId: command.classId,
        subjectId: command.subjectId,
        periodId: command.periodId,
        studentId: command.studentId,
        text,
        previous,
        reason: hasText(command.reason) ? command.reason : null,
        writtenBy: command.actor,
      },
    },
  ];
};

export const decideReport = (command: ReportCommand, state: Report): ReportEvent[] => {
  switch (command.type) {
    case 'SetPositioning':
      return setPositioning(command, state);
    case 'WriteAppreciation':
      return writeAppreciation(command, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const reportDecider: Decider<ReportCommand, Report, ReportEvent> = {
  initialState: initialReport,
  evolve: evolveReport,
  decide: decideReport,
};
