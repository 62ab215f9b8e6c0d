/** `council-{uai}-{classId}-{period}`: one class council — its date, decisions, hold and reopenings. */
export const councilStreamId = (schoolId: string, classId: string, periodId: string): string =>
  `council-${schoolId}-${classId}-${periodId}`;
