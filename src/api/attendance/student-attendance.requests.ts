import { SlotBound } from '../../domain/attendance';
import { CommandContext } from '../../event-store/handle-command';
import { ApiError } from '../errors/api-error';
import { classOrGroupOf } from './roll-call.commands';
import {
  ChangeStudentAttendance,
  RecordCollectiveExemptionCommand,
  StudentInputs,
  idFor,
} from './student-attendance.commands';
import {
  AcceptJustificationDto,
  CollectiveExemptionDto,
  FactAnswer,
  InfirmaryVisitDto,
  JustificationAnswer,
  ReceiveJustificationDto,
  RecordDepartureDto,
  RejectJustificationDto,
  ReportAbsenceDto,
  SlotBoundDto,
  VoidFactDto,
} from './student-attendance.dto';

/** Requests of the student attendance routes, turned into commands; the ids of new facts are fixed here. */

const boundOf = (bound: SlotBoundDto): SlotBound =>
  bound.slot === undefined ? { date: bound.date } : { date: bound.date, slotCode: bound.slot };

const knownReason = (inputs: StudentInputs, code: string | undefined): string | undefined => {
  if (code !== undefined && !inputs.reasons().some((r) => r.code === code))
    throw new ApiError(400, 'ATTENDANCE.REASON_UNKNOWN', `reason ${code} is not in the school's list`, {
      field: 'reasonCode',
      reasonCode: code,
      knownReasons: inputs.reasons().map((r) => r.code),
    });
  return code;
};

export const reportAbsence = (ctx: CommandContext, studentId: string, body: ReportAbsenceDto) => {
  const factId = idFor('abs', ctx, body.factId);
  return new ChangeStudentAttendance<FactAnswer>(
    ctx,
    studentId,
    (inputs) => ({
      type: 'ReportAbsence',
      studentId,
      actor: inputs.actor,
      factId,
      from: boundOf(body.from),
      to: boundOf(body.to),
      classId: body.classId ?? inputs.classOn(body.from.date),
      reasonCode: knownReason(inputs, body.reasonCode),
      note: body.note,
      context: inputs.attendance(body.from.date),
    }),
    { factId },
  );
};

export const recordEarlyDeparture = (ctx: CommandContext, studentId: string, body: RecordDepartureDto) => {
  const factId = idFor('dep', ctx, body.factId);
  return new ChangeStudentAttendance<FactAnswer>(
    ctx,
    studentId,
    (inputs) => ({
      type: 'RecordEarlyDeparture',
      studentId,
      actor: inputs.actor,
      factId,
      date: body.date,
      at: body.at,
      classId: body.classId ?? inputs.classOn(body.date),
      authorisedBy: body.authorisedBy,
      note: body.note,
      context: inputs.attendance(body.date),
    }),
    { factId },
  );
};

export const recordInfirmaryVisit = (ctx: CommandContext, studentId: string, body: InfirmaryVisitDto) => {
  const factId = idFor('inf', ctx, body.factId);
  return new ChangeStudentAttendance<FactAnswer>(
    ctx,
    studentId,
    (inputs) => ({
      type: 'RecordInfirmaryVisit',
      studentId,
      actor: inputs.actor,
      factId,
      date: body.date,
      from: body.from,
      to: body.to,
      classId: body.classId ?? inputs.classOn(body.date),
      note: body.note,
      context: inputs.attendance(body.date),
    }),
    { factId },
  );
};

export const voidFact = (ctx: CommandContext, studentId: string, factId: string, body: VoidFactDto) =>
  new ChangeStudentAttendance<FactAnswer>(
    ctx,
    studentId,
    (inputs) => ({ type: 'VoidAttendanceFact', studentId, actor: inputs.actor, factId, reason: body.reason }),
    { factId },
  );

export const receiveJustification = (
  ctx: CommandContext,
  studentId: string,
  body: ReceiveJustificationDto,
) => {
  const justificationId = idFor('just', ctx, body.justificationId);
  return new ChangeStudentAttendance<JustificationAnswer>(
    ctx,
    studentId,
    (inputs) => ({
      type: 'ReceiveJustification',
      studentId,
      actor: inputs.actor,
      justificationId,
      from: { date: body.from.date, halfDay: body.from.halfDay },
      to: { date: body.to.date, halfDay: body.to.halfDay },
      reasonCode: body.reasonCode,
      source: body.source,
      receivedOn: body.receivedOn ?? inputs.today,
      note: body.note,
      context: inputs.justification(body.from.date),
    }),
    { justificationId },
  );
};

export const acceptJustification = (
  ctx: CommandContext,
  studentId: string,
  justificationId: string,
  body: AcceptJustificationDto,
) =>
  new ChangeStudentAttendance<JustificationAnswer>(
    ctx,
    studentId,
    (inputs) => ({
      type: 'AcceptJustification',
      studentId,
      actor: inputs.actor,
      justificationId,
      reasonCode: body.reasonCode,
      reason: body.reason,
      context: { reasons: inputs.reasons() },
    }),
    { justificationId },
  );

export const rejectJustification = (
  ctx: CommandContext,
  studentId: string,
  justificationId: string,
  body: RejectJustificationDto,
) =>
  new ChangeStudentAttendance<JustificationAnswer>(
    ctx,
    studentId,
    (inputs) => ({
      type: 'RejectJustification',
      studentId,
      actor: inputs.actor,
      justificationId,
      note: body.note,
      reason: body.reason,
    }),
    { justificationId },
  );

export const regulariseJustification = (ctx: CommandContext, studentId: string, justificationId: string) =>
  new ChangeStudentAttendance<JustificationAnswer>(
    ctx,
    studentId,
    (inputs) => ({ type: 'RegulariseJustification', studentId, actor: inputs.actor, justificationId }),
    { justificationId },
  );

export const recordCollectiveExemption = (ctx: CommandContext, body: CollectiveExemptionDto) =>
  new RecordCollectiveExemptionCommand(ctx, {
    ...classOrGroupOf(body),
    exemptionId: idFor('outing', ctx, body.exemptionId),
    label: body.label,
    from: boundOf(body.from),
    to: boundOf(body.to),
    notParticipating: body.notParticipating ?? [],
    ...(body.note !== undefined ? { note: body.note } : {}),
  });
