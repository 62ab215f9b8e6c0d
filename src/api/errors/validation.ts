import { ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { FieldProblem, validationError } from './api-error';

const UNKNOWN_FIELD = 'whitelistValidation';

/** class-validator's tree, flattened to one problem per broken rule, each naming its full path. */
export const fieldProblems = (errors: readonly ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === UNKNOWN_FIELD
        ? { field, rule: 'unknownField', message: `${field} is not an accepted field` }
        : {
            field,
            rule,
            message: message.startsWith(error.property)
              ? field + message.slice(error.property.length)
              : message,
          },
    );
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });

/** Unknown fields refused, payloads turned into their DTO classes, every problem named. */
export const registreValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(fieldProblems(errors)),
  });
