/**
 * A school's UAI (unité administrative immatriculée): seven digits and a capital letter, e.g.
 * 0670001A. The check letter is not verified: test and demo schools use numbers whose letter is
 * not the computed one, and the national register, not Registre, decides which UAIs exist.
 */
export const UAI_PATTERN = /^[0-9]{7}[A-Z]$/;

export const isUai = (value: unknown): value is string =>
  typeof value === 'string' && UAI_PATTERN.test(value);
