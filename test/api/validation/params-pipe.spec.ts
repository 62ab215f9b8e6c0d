import fc from 'fast-check';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import {
  AssessmentParams,
  GradeBookParams,
  GradeParams,
  LevelParams,
  ReportParams,
} from '../../../src/api/assessment/assessment.dto';
import { RollCallParams } from '../../../src/api/attendance/roll-call.dto';
import { StudentAsOfParams } from '../../../src/api/audit/as-of.dto';
import { CampaignParams } from '../../../src/api/audit/campaign.dto';
import { CouncilParams, CouncilStudentParams } from '../../../src/api/council/council.dto';
import { validationError } from '../../../src/api/errors/api-error';
import { fieldProblems, registreValidationPipe } from '../../../src/api/errors/validation';
import { StudentParams } from '../../../src/api/privacy/privacy.controller';

type Outcome = { readonly value: unknown; readonly of: string | undefined } | { readonly refused: unknown };

const outcomeOf = async (run: () => Promise<unknown>): Promise<Outcome> => {
  try {
    const value = await run();
    return { value: { ...(value as object) }, of: (value as object | null)?.constructor?.name };
  } catch (error) {
    return { refused: (error as { getResponse(): unknown }).getResponse() };
  }
};

/** The pipe without its shorter way for parameters: class-transformer and class-validator every time. */
const reference = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => validationError(fieldProblems(errors)),
});
const pipe = registreValidationPipe();

const CLASSES = {
  RollCallParams: {
    metatype: RollCallParams,
    valid: { schoolId: '0670001A', classOrGroup: '5B', date: '2026-11-16', slot: 'M1' },
  },
  AssessmentParams: {
    metatype: AssessmentParams,
    valid: { schoolId: '0670001A', assessmentId: 'ctrl-5B-maths-2026-10-02' },
  },
  GradeParams: {
    metatype: GradeParams,
    valid: { schoolId: '0670001A', assessmentId: 'a1', studentId: '4521' },
  },
  LevelParams: {
    metatype: LevelParams,
    valid: { schoolId: '0670001A', assessmentId: 'a1', studentId: '4521', itemId: 'C1.2' },
  },
  ReportParams: {
    metatype: ReportParams,
    valid: { schoolId: '0670001A', classId: '5B', subjectId: 'MATHS', periodId: 'T1', studentId: '4521' },
  },
  GradeBookParams: {
    metatype: GradeBookParams,
    valid: { schoolId: '0670001A', classOrGroup: '5B', subjectId: 'MATHS', periodId: 'T1' },
  },
  CampaignParams: { metatype: CampaignParams, valid: { schoolId: '0670001A', correlationId: 'camp:2026.1' } },
  StudentAsOfParams: { metatype: StudentAsOfParams, valid: { schoolId: '0670001A', studentId: '4521' } },
  StudentParams: { metatype: StudentParams, valid: { schoolId: '0670001A', studentId: '4521' } },
  CouncilParams: { metatype: CouncilParams, valid: { schoolId: '0670001A', classId: '5B', periodId: 'T1' } },
  CouncilStudentParams: {
    metatype: CouncilStudentParams,
    valid: { schoolId: '0670001A', classId: '5B', periodId: 'T1', studentId: '4521' },
  },
} as const;

const text = fc.oneof(
  fc.constantFrom('0670001A', '0670001a', '067001A', '5B', 'T1', 'M1', '2026-11-16', '2026-02-30', 'a.b:c'),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/),
  fc.constantFrom('', 'with space', 'x'.repeat(65), 'x'.repeat(101), 'é', '__proto__', 'a\u0000b'),
  fc.string({ maxLength: 12 }),
);
const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.constant(['5B']));

describe.each(Object.entries(CLASSES))(
  'The validation pipe on %s path parameters',
  (_, { metatype, valid }) => {
    const metadata: ArgumentMetadata = { type: 'param', metatype, data: undefined };
    const keys = Object.keys(valid);
    const params = fc.oneof(
      // Each parameter kept, changed, or dropped; now and then one more.
      fc
        .tuple(
          fc.array(fc.oneof(fc.constant('keep'), fc.constant('drop'), text, anything), {
            minLength: keys.length,
            maxLength: keys.length,
          }),
          fc.option(fc.tuple(fc.constantFrom('extra', 'constructor', 'schoolid'), text), { nil: undefined }),
        )
        .map(([changes, extra]) => {
          const sent: Record<string, unknown> = {};
          keys.forEach((key, i) => {
            const change = changes[i];
            if (change === 'keep') sent[key] = (valid as Record<string, string>)[key];
            else if (change !== 'drop') sent[key] = change;
          });
          if (extra) sent[extra[0]] = extra[1];
          return sent;
        }),
      // One parameter changed, the others right: where a rule skipped would show.
      fc
        .tuple(fc.nat(keys.length - 1), fc.oneof(text, anything))
        .map(([i, changed]) => ({ ...valid, [keys[i]]: changed })),
      fc.constant(valid),
    );

    it('answers every set of parameters exactly as the ValidationPipe alone does', async () => {
      await fc.assert(
        fc.asyncProperty(params, async (sent) => {
          const fast = await outcomeOf(() => pipe.transform({ ...sent }, metadata));
          const slow = await outcomeOf(() => reference.transform({ ...sent }, metadata));
          expect(fast).toStrictEqual(slow);
        }),
        { numRuns: 300 },
      );
    });

    it('builds valid parameters into the class without class-transformer or class-validator', async () => {
      const walked = jest.spyOn(ValidationPipe.prototype, 'transform');
      try {
        const built = await pipe.transform({ ...valid }, metadata);
        expect(built).toBeInstanceOf(metatype);
        expect({ ...(built as object) }).toStrictEqual(valid);
        expect(walked).not.toHaveBeenCalled();
      } finally {
        walked.mockRestore();
      }
    });

    it("takes them the short way as Fastify's router hands them over, in an object without a prototype", async () => {
      // find-my-way's NullObject: a constructor whose prototype is Object.create(null).
      function NullObject() {}
      NullObject.prototype = Object.create(null) as object;
      const routed = Object.assign(new (NullObject as unknown as new () => object)(), valid);
      const walked = jest.spyOn(ValidationPipe.prototype, 'transform');
      try {
        const built = await pipe.transform(routed, metadata);
        expect(built).toBeInstanceOf(metatype);
        expect({ ...(built as object) }).toStrictEqual(valid);
        expect(walked).not.toHaveBeenCalled();
      } finally {
        walked.mockRestore();
      }
    });
  },
);

describe('The validation pipe on path parameters it cannot take the short way', () => {
  it('refuses a wrong parameter with the field and the rule, as the ValidationPipe does', async () => {
    await expect(
      pipe.transform(
        { schoolId: '0670001A', assessmentId: 'with space' },
        { type: 'param', metatype: AssessmentParams, data: undefined },
      ),
    ).rejects.toMatchObject({
      response: {
        code: 'VALIDATION',
        details: [{ field: 'assessmentId', rule: 'matches' }],
      },
    });
  });
});
