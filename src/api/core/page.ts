import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { validationError } from '../errors/api-error';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;

const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;
const CURSOR_MESSAGE = 'after must be the `next` of a previous page of the same list';

/** `?limit=`: how many items a page holds at most. */
export const PageLimit = () =>
  applyDecorators(
    ApiPropertyOptional({
      minimum: 1,
      maximum: MAX_PAGE,
      default: DEFAULT_PAGE,
      description: 'Items per page at most',
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE),
  );

/** `?after=`: the opaque cursor a previous page answered as `next`. */
export const PageAfter = (description = 'The `next` of the previous page: the page starts after it') =>
  applyDecorators(
    ApiPropertyOptional({ description, example: 'WyIyMDI2LTExIiwic3QwMDAxIl0' }),
    IsOptional(),
    Matches(CURSOR, { message: CURSOR_MESSAGE }),
  );

export type CursorKey = readonly (string | number)[];

/** base64url of the last item's key in the list's order: opaque to clients, a keyset bound to the query. */
export const encodeCursor = (key: CursorKey): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The 400 for an `after` that is not a cursor of this list. */
export const badCursor = () => validationError([{ field: 'after', rule: 'cursor', message: CURSOR_MESSAGE }]);

/**
 * The key an `after` cursor carries, checked against the shape of the list's key (`kinds`, one per
 * column): a cursor that does not decode, or names another list's key, is a 400 naming `after`.
 */
export const decodeCursor = <K extends CursorKey>(
  after: string | undefined,
  kinds: readonly ('string' | 'number')[],
): K | undefined => {
  if (after === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!isKeyOf<K>(key, kinds)) throw badCursor();
  return key;
};

const isKeyOf = <K extends CursorKey>(key: unknown, kinds: readonly ('string' | 'number')[]): key is K =>
  Array.isArray(key) &&
  key.length === kinds.length &&
  key.every(
    (part: unknown, i) =>
      typeof part === kinds[i] && (typeof part !== 'number' || Number.isSafeInteger(part)),
  );

export type Page<T> = { readonly items: readonly T[]; readonly next: string | null };

/** The first `limit` of `rows` (read with one more, to know whether a page follows) and the cursor past them. */
export const pageOf = <T>(rows: readonly T[], limit: number, keyOf: (row: T) => CursorKey): Page<T> => ({
  items: rows.slice(0, limit),
  next: rows.length > limit ? encodeCursor(keyOf(rows[limit - 1])) : null,
});
