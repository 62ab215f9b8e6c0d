/**
 * What changed in a view between two moments, figure by figure: each leaf value (a number, a text,
 * a flag, null) that differs, named by its path in the view. Lists of records are matched by their
 * id (a student by `studentId`, a subject by `subjectId`…), not by their place, so that a student
 * added to a class does not make every later student look changed.
 */
export interface FigureChange {
  /** e.g. `students[4521].subjects[MATHS].average.value` */
  readonly figure: string;
  readonly before: Leaf | undefined;
  readonly after: Leaf | undefined;
}

export type Leaf = string | number | boolean | null;

/** The keys a list's records are matched by, in order of preference. */
const RECORD_KEYS = [
  'studentId',
  'subjectId',
  'assessmentId',
  'component',
  'periodId',
  'classId',
  'groupId',
  'classOrGroupId',
  'month',
  'date',
  'slot',
  'code',
  'id',
] as const;

type Json = Leaf | readonly Json[] | { readonly [key: string]: Json };

const isRecord = (value: unknown): value is { readonly [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const recordKeyOf = (items: readonly Json[]): string | undefined =>
  items.length === 0
    ? undefined
    : RECORD_KEYS.find((key) => {
        const seen = new Set<unknown>();
        for (const item of items) {
          if (!isRecord(item)) return false;
          const value = item[key];
          if (typeof value !== 'string' && typeof value !== 'number') return false;
          if (seen.has(value)) return false;
          seen.add(value);
        }
        return true;
      });

const flatten = (
  value: unknown,
  path: string,
  ignore: ReadonlySet<string>,
  into: Map<string, Leaf>,
): void => {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    into.set(path, value as Leaf);
    return;
  }
  if (Array.isArray(value)) {
    const items = value as readonly Json[];
    const key = recordKeyOf(items);
    if (key !== undefined) {
      for (const item of items)
        flatten(item, `${path}[${String((item as Record<string, Json>)[key])}]`, ignore, into);
    } else if (items.every((item) => item === null || typeof item !== 'object')) {
      // A list of plain values (ids, dates) is one figure: what it holds, in order.
      into.set(path, JSON.stringify(items));
    } else items.forEach((item, index) => flatten(item, `${path}[#${index}]`, ignore, into));
    return;
  }
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (ignore.has(name)) continue;
    flatten(child, path === '' ? name : `${path}.${name}`, ignore, into);
  }
};

/** Every figure of `after` that differs from `before`, in path order; keys in `ignore` are skipped at any depth. */
export const diffViews = (
  before: unknown,
  after: unknown,
  ignore: readonly string[] = [],
): FigureChange[] => {
  const skipped = new Set(ignore);
  const was = new Map<string, Leaf>();
  const now = new Map<string, Leaf>();
  flatten(before, '', skipped, was);
  flatten(after, '', skipped, now);
  const figures = [...new Set([...was.keys(), ...now.keys()])].sort();
  const changes: FigureChange[] = [];
  for (const figure of figures) {
    const a = was.get(figure);
    const b = now.get(figure);
    if (a !== b) changes.push({ figure, before: a, after: b });
  }
  return changes;
};
