import fc from 'fast-check';
import { ArgumentMetadata } from '@nestjs/common';
import { RecordGradesDto, StudentGradeDto } from '../../../src/api/assessment/assessment.dto';
import { RecordGradesBodyPipe } from '../../../src/api/assessment/record-grades.pipe';
import { registreValidationPipe } from '../../../src/api/errors/validation';

const metadata: ArgumentMetadata = { type: 'body', metatype: Object, data: undefined };
const fullMetadata: ArgumentMetadata = { type: 'body', metatype: RecordGradesDto, data: undefined };

type Outcome = { readonly value: unknown } | { readonly refused: unknown };

const outcomeOf = async (run: () => Promise<unknown>): Promise<Outcome> => {
  try {
    return { value: await run() };
  } catch (error) {
    return { refused: (error as { getResponse(): unknown }).getResponse() };
  }
};

const id = fc.oneof(
  fc.constantFrom('4521', 'b1', 'a.b:c-d_e'),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/),
  fc.constantFrom('', 'with space', 'x'.repeat(65), 'é'),
);
const anything = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string(),
  fc.constant([]),
  fc.constant({}),
);
const value = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 105 }),
  fc.constantFrom('ABS', 'DISP', 'NN', 'abs', ''),
  anything,
);
const grade = fc.oneof(
  fc.record({ studentId: id, value }),
  fc.record({ studentId: id }),
  fc.record({ studentId: id, value, extra: anything }),
  anything,
);
const body = fc.record(
  {
    grades: fc.oneof(
      fc.array(grade, { maxLength: 5 }),
      fc.array(fc.constant({ studentId: '1', value: 10 }), { minLength: 199, maxLength: 202 }),
      anything,
    ),
    reason: fc.oneof(fc.string({ maxLength: 3 }), anything),
    unknown: anything,
  },
  { requiredKeys: [] },
);
const mostlyValid = fc.record({
  grades: fc.array(
    fc.record({
      studentId: fc.constantFrom('1', '2', '3'),
      value: fc.oneof(fc.integer({ min: -1, max: 21 }), fc.constantFrom('ABS', 'DISP', 'NN')),
    }),
    { maxLength: 4 },
  ),
});

describe('RecordGradesBodyPipe', () => {
  const pipe = new RecordGradesBodyPipe();
  const full = registreValidationPipe();

  it('answers every body exactly as the service-wide ValidationPipe does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, mostlyValid), async (sent) => {
        const json = JSON.parse(JSON.stringify(sent)) as unknown;
        const fast = await outcomeOf(() => pipe.transform(JSON.parse(JSON.stringify(sent)), metadata));
        const reference = await outcomeOf(() => full.transform(json, fullMetadata));
        expect(fast).toStrictEqual(reference);
      }),
      { numRuns: 500 },
    );
  });

  it('turns a valid body into the DTO, markers included', async () => {
    const dto = await pipe.transform(
      {
        grades: [
          { studentId: 'b1', value: 14.5 },
          { studentId: 'b2', value: 'ABS' },
        ],
      },
      metadata,
    );
    expect(dto).toBeInstanceOf(RecordGradesDto);
    expect(dto.grades[0]).toBeInstanceOf(StudentGradeDto);
    expect(dto).toMatchObject({
      grades: [
        { studentId: 'b1', value: 14.5 },
        { studentId: 'b2', value: 'ABS' },
      ],
    });
  });
});
