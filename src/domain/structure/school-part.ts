import { invalid } from '../shared/domain-error';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../shared/text';

/** What the parts of the `school-{uai}` stream share: the school id on every change, codes, labels. */

export type WithSchool<D> = { readonly schoolId: string } & D;

export type SchoolCmd<T extends string, D> = { readonly type: T; readonly data: WithSchool<D> };

export const set = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  new Map(map).set(key, value);

export const without = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
};

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// Codes end up in stream ids and URLs: printable characters, no slash.
const STRUCTURE_CODE = /^[^/\\]{1,40}$/;
const hasControlCharacter = (value: string): boolean => [...value].some((c) => c.charCodeAt(0) < 0x20);

export const checkCode = (value: unknown, field: string, what: string): string => {
  if (
    typeof value !== 'string' ||
    value.trim() !== value ||
    !STRUCTURE_CODE.test(value) ||
    hasControlCharacter(value)
  )
    throw invalid(
      'STRUCTURE.CODE_INVALID',
      `${what} ${JSON.stringify(value)} is not a valid code: 1 to 40 characters, no slash, no surrounding spaces`,
      { field },
    );
  return value;
};

/** A name or label: trimmed, and free of control characters and bidirectional overrides. */
export const checkText = (value: string | undefined, field: string): string => {
  const text = value?.trim() ?? '';
  const unsafe = unsafeCharacterIn(text);
  if (unsafe)
    throw invalid('STRUCTURE.TEXT_UNSAFE', `${field} ${describeUnsafeCharacter(unsafe)}`, {
      field,
      codePoint: unsafe.codePoint,
    });
  return text;
};
