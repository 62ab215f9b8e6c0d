import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { errorResponse } from '../../src/api/errors/error-response';
import { conflict, forbidden, invalid, notFound } from '../../src/domain/shared/domain-error';
import { IdempotencyKeyReusedError, WrongExpectedRevisionError } from '../../src/event-store/event-store';

describe('errorResponse', () => {
  it.each([
    [invalid('GRADE.OUT_OF_RANGE', 'grade 21 is over 20', { grade: 21 }), 400],
    [notFound('STUDENT.UNKNOWN', 'no such student'), 404],
    [forbidden('PERIOD.CLOSED', 'the council was held'), 403],
    [conflict('ROLL_CALL.VOIDED', 'voided'), 409],
  ])('maps the DomainError %p to %i with its code and details', (error, status) => {
    expect(errorResponse(error, 'r1')).toEqual({
      body: { statusCode: status, code: error.code, message: error.message, details: error.details },
      headers: {},
      unexpected: false,
    });
  });

  it('maps a revision conflict to 409 with the current revision', () => {
    const { body } = errorResponse(new WrongExpectedRevisionError('rollcall-x', 2, 5), 'r1');
    expect(body).toMatchObject({
      statusCode: 409,
      code: 'STORE.WRONG_EXPECTED_REVISION',
      details: { currentRevision: 5 },
    });
  });

  it('maps an Idempotency-Key reused for another request to 422, naming the key', () => {
    expect(errorResponse(new IdempotencyKeyReusedError('idem-x', 'rc-5A'), 'r1').body).toEqual({
      statusCode: 422,
      code: 'IDEMPOTENCY.KEY_REUSED',
      message:
        'Idempotency-Key rc-5A was already used for a different request; send this one under a new key',
      details: { field: 'Idempotency-Key', idempotencyKey: 'rc-5A' },
    });
  });

  it('gives Nest HTTP exceptions a code', () => {
    expect(errorResponse(new NotFoundException('Cannot GET /x'), 'r1').body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /x',
      details: {},
    });
    expect(errorResponse(new BadRequestException(['a is bad', 'b is bad']), 'r1').body.message).toBe(
      'a is bad; b is bad',
    );
    expect(errorResponse(new HttpException('too big', 413), 'r1').body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hides anything unknown behind 500 INTERNAL and flags it for the log', () => {
    const answer = errorResponse(
      new TypeError("Cannot read properties of undefined (reading 'secret')"),
      'r9',
    );
    expect(answer.unexpected).toBe(true);
    expect(answer.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: expect.stringContaining('r9'),
      details: { requestId: 'r9' },
    });
    expect(answer.body.message).not.toContain('secret');
  });
});
