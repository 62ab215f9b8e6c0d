import fc from 'fast-check';
import { ArgumentMetadata } from '@nestjs/common';
import { TakeRollCallDto } from '../../../src/api/attendance/roll-call.dto';
import { TakeRollCallBodyPipe } from '../../../src/api/attendance/take-roll-call.pipe';
import { registreValidationPipe } from '../../../src/api/errors/validation';

const metadata: ArgumentMetadata = { type: 'body', metatype: Object, data: undefined };
const fullMetadata: ArgumentMetadata = { type: 'body', metatype: TakeRollCallDto, data: undefined };

type Outcome = { readonly value: unknown } | { readonly refused: unknown };

const outcomeOf = async (run: () => Promise<unknown>): Promise<Outcome> => {
  try {
    return { value: await run() };
  } catch (error) {
    return { refused: (error as { getResponse(): unknown }).getResponse() };
  }
};

const id = fc.oneof(
  fc.constantFrom('4521', '5B', 'a.b:c-d_e'),
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
const lateness = fc.oneof(
  fc.record({
    studentId: id,
    minutes: fc.oneof(fc.integer({ min: -2, max: 250 }), fc.double(), fc.string()),
  }),
  fc.record({ studentId: id }),
  fc.record({ studentId: id, minutes: fc.integer({ min: 1, max: 240 }), extra: anything }),
  anything,
);
const body = fc.record(
  {
    classId: fc.oneof(id, anything),
    groupId: fc.oneof(id, anything),
    date: fc.oneof(fc.constantFrom('2026-11-16', '2026-1-16', '16/11/2026'), anything),
    slot: fc.oneof(fc.constantFrom('M1', 'S3', 'a-b_c', 'M 1', 'x'.repeat(17)), anything),
    absent: fc.oneof(
      fc.array(id, { maxLength: 5 }),
      fc.array(fc.constant('1'), { minLength: 199, maxLength: 202 }),
      anything,
    ),
    late: fc.oneof(fc.array(lateness, { maxLength: 4 }), anything),
    reason: fc.oneof(fc.string({ maxLength: 3 }), fc.constant('🙂'.repeat(300)), anything),
    unknown: anything,
  },
  { requiredKeys: [] },
);
const mostlyValid = fc.record(
  {
    classId: fc.constantFrom('5B', '4A'),
    date: fc.constant('2026-11-16'),
    slot: fc.constant('M1'),
    absent: fc.array(fc.constantFrom('1', '2', '3'), { maxLength: 3 }),
    late: fc.array(
      fc.record({ studentId: fc.constantFrom('4', '5'), minutes: fc.integer({ min: 0, max: 241 }) }),
      {
        maxLength: 2,
      },
    ),
  },
  { requiredKeys: ['date', 'slot', 'absent'] },
);

describe('TakeRollCallBodyPipe', () => {
  const pipe = new TakeRollCallBodyPipe();
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

  it('turns a valid body into the DTO, late students included', async () => {
    const dto = await pipe.transform(
      {
        classId: '5B',
        date: '2026-11-16',
        slot: 'M1',
        absent: ['1'],
        late: [{ studentId: '2', minutes: 5 }],
      },
      metadata,
    );
    expect(dto).toBeInstanceOf(TakeRollCallDto);
    expect(dto).toMatchObject({ classId: '5B', absent: ['1'], late: [{ studentId: '2', minutes: 5 }] });
  });
});
