/** Code-unit order, as the default `sort()` compares strings. */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `list` sorted in place by `compare`, as `list.sort(compare)` (stable) would leave it; a list already
 * in order is left as it is, without the sort's work and copies (figures over one student's ids,
 * read in order, usually are).
 */
export const sortInPlace = <T>(list: T[], compare: (a: T, b: T) => number): T[] => {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return list.sort(compare);
  return list;
};

/** The distinct strings of `values` in code-unit order, as `[...new Set(values)].sort()`. */
export const sortedUnique = (values: readonly string[]): string[] => {
  for (let i = 1; i < values.length; i++)
    if (!(values[i - 1] < values[i])) return [...new Set(values)].sort();
  return [...values];
};
