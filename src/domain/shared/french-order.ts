/** Names in French order: ÉTIENNE with the E, not after ZIMMER as SQLite's byte order puts it. */
const FRENCH = new Intl.Collator('fr', { sensitivity: 'base' });

/** Last name, then first name, in French order; the id last, so that two namesakes keep one order. */
export const byFrenchName =
  <P extends string>(idOf: P) =>
  (
    a: { readonly lastName: string; readonly firstName: string } & Readonly<Record<P, string>>,
    b: { readonly lastName: string; readonly firstName: string } & Readonly<Record<P, string>>,
  ): number =>
    FRENCH.compare(a.lastName, b.lastName) ||
    FRENCH.compare(a.firstName, b.firstName) ||
    (a[idOf] < b[idOf] ? -1 : a[idOf] > b[idOf] ? 1 : 0);
