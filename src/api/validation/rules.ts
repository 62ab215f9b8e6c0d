import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import {
  describeUnsafeCharacter,
  isCalendarDate,
  isCalendarMonth,
  isUai,
  unsafeCharacterIn,
} from '../../domain/shared';

/** The rule names a 400 reports in `details[].rule`, and that the OpenAPI document translates. */
export const RULES = {
  safeText: 'isSafeText',
  uai: 'isUai',
  calendarDate: 'isCalendarDate',
  calendarMonth: 'isCalendarMonth',
  notBefore: 'notBefore',
} as const;

export type SafeTextOptions = { readonly multiline?: boolean };

/**
 * A string free of NUL, control characters and bidirectional overrides; with `multiline`, tab and
 * line breaks are allowed (a note, a reason). Type and length stay the job of IsString and Length.
 */
export const IsSafeText = (
  options: SafeTextOptions = {},
  validation?: ValidationOptions,
): PropertyDecorator =>
  ValidateBy(
    {
      name: RULES.safeText,
      constraints: [options.multiline === true],
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || unsafeCharacterIn(value, options) === undefined,
        defaultMessage: (args?: ValidationArguments) => {
          const found = typeof args?.value === 'string' ? unsafeCharacterIn(args.value, options) : undefined;
          return found === undefined
            ? '$property must not contain control characters or bidirectional overrides'
            : `$property ${describeUnsafeCharacter(found)}`;
        },
      },
    },
    validation,
  );

/** A rule of one value, named as a 400 reports it, with the message that says what it must be. */
const valueRule =
  (name: string, test: (value: unknown) => boolean, message: string) =>
  (validation?: ValidationOptions): PropertyDecorator =>
    ValidateBy({ name, validator: { validate: test, defaultMessage: () => message } }, validation);

/** A school's UAI: seven digits and a capital letter (0670001A). */
export const IsUai = valueRule(
  RULES.uai,
  isUai,
  '$property must be a UAI: seven digits and a capital letter, such as 0670001A',
);

/** `YYYY-MM-DD` of a day that exists: 2026-02-30 and 2027-02-29 are refused, 2028-02-29 accepted. */
export const IsCalendarDate = valueRule(
  RULES.calendarDate,
  isCalendarDate,
  '$property must be a date YYYY-MM-DD that exists in the calendar',
);

/** `YYYY-MM`. */
export const IsCalendarMonth = valueRule(
  RULES.calendarMonth,
  isCalendarMonth,
  '$property must be a month YYYY-MM',
);

/**
 * The end of a range is not before its start (`to` ≥ `from`). Compared only when both are calendar
 * dates: a malformed one is already refused by its own rule.
 */
export const IsNotBefore = (start: string, validation?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: RULES.notBefore,
      constraints: [start],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const first = (args?.object as Record<string, unknown> | undefined)?.[start];
          return !isCalendarDate(value) || !isCalendarDate(first) || first <= value;
        },
        defaultMessage: () => `$property must not be before ${start}`,
      },
    },
    validation,
  );
