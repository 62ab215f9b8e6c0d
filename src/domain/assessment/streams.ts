/** `assessment-{uai}-{assessmentId}`: one assessment, its grades and competency levels. */
export const assessmentStreamId = (schoolId: string, assessmentId: string): string =>
  `assessment-${schoolId}-${assessmentId}`;

/** `report-{uai}-{classId}-{subject}-{period}`: positionings and subject appreciations. */
export const reportStreamId = (
  schoolId: string,
  classId: string,
  subjectId: string,
  periodId: string,
): string => `report-${schoolId}-${classId}-${subjectId}-${periodId}`;
