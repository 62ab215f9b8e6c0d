import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../event-store/handle-command';
import { Roles } from '../auth/decorators';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import {
  AcceptJustificationDto,
  CollectiveExemptionAnswer,
  CollectiveExemptionDto,
  FactAnswer,
  InfirmaryVisitDto,
  JustificationAnswer,
  ReceiveJustificationDto,
  RecordDepartureDto,
  RejectJustificationDto,
  ReportAbsenceDto,
  VoidFactDto,
} from './student-attendance.dto';
import { classOrGroupOf } from './roll-call.commands';
import {
  AcceptJustification,
  boundOf,
  idFor,
  ReceiveJustification,
  RecordCollectiveExemptionCommand,
  RecordEarlyDeparture,
  RecordInfirmaryVisit,
  RegulariseJustification,
  RejectJustification,
  ReportAbsence,
  VoidAttendanceFact,
} from './student-attendance.commands';
import { SchoolRoutes } from '../validation/path-parameters';

/**
 * The principal corrects the absences of a period whose class council was held (DOMAIN.md, "Class
 * council"): these routes let them through, and the decision refuses them outside such a period.
 */
const CORRECTING_A_CLOSED_PERIOD = ['cpe', 'principal'] as const;

/** What the school-life office records outside roll calls, and the families' justifications: the CPE's. */
@ApiTags('attendance: school-life office')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
@Roles('cpe')
export class StudentAttendanceController {
  constructor(private readonly commands: CommandBus) {}

  @Post('students/:studentId/absences')
  @Roles(...CORRECTING_A_CLOSED_PERIOD)
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: FactAnswer, description: 'An absence reported ahead of time or after the fact' })
  reportAbsence(
    @Param('studentId') studentId: string,
    @Body() body: ReportAbsenceDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FactAnswer> {
    return this.commands.execute(new ReportAbsence(ctx, studentId, body));
  }

  @Post('students/:studentId/departures')
  @Roles(...CORRECTING_A_CLOSED_PERIOD)
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: FactAnswer,
    description: 'A departure during the day: absent from the slots after it',
  })
  recordDeparture(
    @Param('studentId') studentId: string,
    @Body() body: RecordDepartureDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FactAnswer> {
    return this.commands.execute(new RecordEarlyDeparture(ctx, studentId, body));
  }

  @Post('students/:studentId/infirmary-visits')
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: FactAnswer,
    description: "Present under the school's responsibility: not an absence",
  })
  recordInfirmaryVisit(
    @Param('studentId') studentId: string,
    @Body() body: InfirmaryVisitDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FactAnswer> {
    return this.commands.execute(new RecordInfirmaryVisit(ctx, studentId, body));
  }

  @Post('students/:studentId/attendance-facts/:factId/void')
  @Roles(...CORRECTING_A_CLOSED_PERIOD)
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: FactAnswer,
    description: 'A fact or justification recorded by mistake, voided with a reason',
  })
  voidFact(
    @Param('studentId') studentId: string,
    @Param('factId') factId: string,
    @Body() body: VoidFactDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<FactAnswer> {
    return this.commands.execute(new VoidAttendanceFact(ctx, studentId, factId, body));
  }

  @Post('students/:studentId/justifications')
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: JustificationAnswer,
    description: "A family's reason for a range of half-days, pending",
  })
  receiveJustification(
    @Param('studentId') studentId: string,
    @Body() body: ReceiveJustificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<JustificationAnswer> {
    return this.commands.execute(new ReceiveJustification(ctx, studentId, body));
  }

  @Post('students/:studentId/justifications/:justificationId/accept')
  @Roles(...CORRECTING_A_CLOSED_PERIOD)
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: JustificationAnswer,
    description: 'Legitimate: the absences it covers become justified',
  })
  acceptJustification(
    @Param('studentId') studentId: string,
    @Param('justificationId') justificationId: string,
    @Body() body: AcceptJustificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<JustificationAnswer> {
    return this.commands.execute(new AcceptJustification(ctx, studentId, justificationId, body));
  }

  @Post('students/:studentId/justifications/:justificationId/reject')
  @Roles(...CORRECTING_A_CLOSED_PERIOD)
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: JustificationAnswer, description: 'Not accepted: the absences stay unjustified' })
  rejectJustification(
    @Param('studentId') studentId: string,
    @Param('justificationId') justificationId: string,
    @Body() body: RejectJustificationDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<JustificationAnswer> {
    return this.commands.execute(new RejectJustification(ctx, studentId, justificationId, body));
  }

  @Post('students/:studentId/justifications/:justificationId/regularise')
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: JustificationAnswer, description: 'The paperwork was received (a flag of its own)' })
  regulariseJustification(
    @Param('studentId') studentId: string,
    @Param('justificationId') justificationId: string,
    @CommandCtx() ctx: CommandContext,
  ): Promise<JustificationAnswer> {
    return this.commands.execute(new RegulariseJustification(ctx, studentId, justificationId));
  }

  @Post('collective-exemptions')
  @HttpCode(200)
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: CollectiveExemptionAnswer,
    description: 'A school outing for every student of a class or group, under one correlation id',
  })
  recordCollectiveExemption(
    @Body() body: CollectiveExemptionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CollectiveExemptionAnswer> {
    return this.commands.execute(
      new RecordCollectiveExemptionCommand(ctx, {
        ...classOrGroupOf(body),
        exemptionId: idFor('outing', ctx, body.exemptionId),
        label: body.label,
        from: boundOf(body.from),
        to: boundOf(body.to),
        notParticipating: body.notParticipating ?? [],
        ...(body.note !== undefined ? { note: body.note } : {}),
      }),
    );
  }
}
