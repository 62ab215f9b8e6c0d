/**
 * One CSV cell, ready for a spreadsheet: quoted when it holds the separator, a quote or a line
 * break, and neutralised when it starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return),
 * as OWASP's CSV-injection advice says: a leading apostrophe makes the spreadsheet show text.
 * Every CSV Registre writes goes through it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const csvCell = (value: string | number | boolean | null | undefined, separator = ';'): string => {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvRow = (
  values: readonly (string | number | boolean | null | undefined)[],
  separator = ';',
): string => values.map((value) => csvCell(value, separator)).join(separator);
