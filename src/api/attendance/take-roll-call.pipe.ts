import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { registreValidationPipe } from '../errors/validation';
import { isPlainObject } from '../validation/plain-json';
import { isCalendarDate } from '../../domain/shared';
import {
  ID,
  LatenessDto,
  MAX_CLASS_SIZE,
  MAX_LATENESS_MINUTES,
  SLOT,
  TakeRollCallDto,
} from './roll-call.dto';

const BODY_FIELDS = new Set(['classId', 'groupId', 'date', 'slot', 'absent', 'late']);
const LATENESS_FIELDS = 2;

const isId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

const isLateness = (value: unknown): value is { studentId: string; minutes: number } => {
  if (!isPlainObject(value) || Object.keys(value).length !== LATENESS_FIELDS) return false;
  const { studentId, minutes } = value;
  return (
    isId(studentId) &&
    typeof minutes === 'number' &&
    Number.isInteger(minutes) &&
    minutes >= 1 &&
    minutes <= MAX_LATENESS_MINUTES
  );
};

const isOptionalId = (body: Record<string, unknown>, field: string): boolean =>
  !(field in body) || isId(body[field]);

/**
 * A body that class-validator would accept as it stands: plain JSON, known fields only, every rule
 * met. Anything else — a reason (its length counts characters as class-validator does), a null, an
 * unknown field — takes the full validation, which names each problem.
 */
const isPlainlyValid = (body: unknown): body is Record<string, unknown> => {
  if (!isPlainObject(body)) return false;
  for (const field in body) if (!BODY_FIELDS.has(field)) return false;
  const { date, slot, absent, late } = body;
  return (
    isOptionalId(body, 'classId') &&
    isOptionalId(body, 'groupId') &&
    isCalendarDate(date) &&
    typeof slot === 'string' &&
    SLOT.test(slot) &&
    Array.isArray(absent) &&
    absent.length <= MAX_CLASS_SIZE &&
    absent.every(isId) &&
    (!('late' in body) || (Array.isArray(late) && late.length <= MAX_CLASS_SIZE && late.every(isLateness)))
  );
};

const latenessOf = (item: { studentId: string; minutes: number }): LatenessDto =>
  Object.assign(new LatenessDto(), { studentId: item.studentId, minutes: item.minutes });

/**
 * The roll-call body, validated once: at 8 o'clock every class sends one, nearly all of them right.
 * Those are turned into the DTO directly; any other goes through the service's ValidationPipe, so
 * that every refusal reads exactly as on any other route. The route declares its body as
 * `Readonly<TakeRollCallDto>` so that the global pipe leaves it to this one.
 */
@Injectable()
export class TakeRollCallBodyPipe implements PipeTransform<unknown, Promise<TakeRollCallDto>> {
  private readonly full = registreValidationPipe();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<TakeRollCallDto> {
    if (!isPlainlyValid(value))
      return (await this.full.transform(value, {
        ...metadata,
        metatype: TakeRollCallDto,
      })) as TakeRollCallDto;
    const dto: Record<string, unknown> = {};
    for (const field in value) dto[field] = value[field];
    dto.absent = [...(value.absent as string[])];
    if (Array.isArray(value.late)) dto.late = value.late.map(latenessOf);
    return Object.assign(new TakeRollCallDto(), dto);
  }
}
