import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isMarker } from '../../domain/assessment';
import { ID, MAX_CLASS_SIZE } from '../attendance/roll-call.dto';
import { registreValidationPipe } from '../errors/validation';
import { isPlainObject } from '../validation/plain-json';
import { RecordGradesDto, StudentGradeDto } from './assessment.dto';

const GRADE_FIELDS = 2;

const isGrade = (value: unknown): value is { studentId: string; value: number | string } => {
  if (!isPlainObject(value) || Object.keys(value).length !== GRADE_FIELDS) return false;
  const { studentId, value: grade } = value;
  return (
    typeof studentId === 'string' &&
    ID.test(studentId) &&
    ((typeof grade === 'number' && Number.isFinite(grade)) || isMarker(grade))
  );
};

/** A body class-validator would accept as it stands: `{ grades: [...] }` and nothing else, every entry right. */
const isPlainlyValid = (
  body: unknown,
): body is { grades: { studentId: string; value: number | string }[] } => {
  if (!isPlainObject(body) || Object.keys(body).length !== 1) return false;
  const { grades } = body;
  return Array.isArray(grades) && grades.length <= MAX_CLASS_SIZE && grades.every(isGrade);
};

const gradeOf = (item: { studentId: string; value: number | string }): StudentGradeDto =>
  Object.assign(new StudentGradeDto(), { studentId: item.studentId, value: item.value });

/**
 * The grades of a class, validated once: on a Sunday evening every teacher sends thirty of them,
 * nearly all right. Those become the DTO directly (checking thirty nested objects one rule at a
 * time was most of the request's cost); any other body goes through the service's ValidationPipe,
 * so that a refusal reads exactly as on any other route. The route declares its body as
 * `Readonly<RecordGradesDto>` so that the global pipe leaves it to this one.
 */
@Injectable()
export class RecordGradesBodyPipe implements PipeTransform<unknown, Promise<RecordGradesDto>> {
  private readonly full = registreValidationPipe();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<RecordGradesDto> {
    if (!isPlainlyValid(value))
      return (await this.full.transform(value, {
        ...metadata,
        metatype: RecordGradesDto,
      })) as RecordGradesDto;
    return Object.assign(new RecordGradesDto(), { grades: value.grades.map(gradeOf) });
  }
}
