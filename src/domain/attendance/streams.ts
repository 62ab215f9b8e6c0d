import { IsoDate } from '../shared/calendar';

/** `rollcall-{uai}-{classOrGroup}-{date}-{slot}`: one roll call per class or group and lesson. */
export const rollCallStreamId = (
  schoolId: string,
  classOrGroupId: string,
  date: IsoDate,
  slotCode: string,
): string => `rollcall-${schoolId}-${classOrGroupId}-${date}-${slotCode}`;

/** `attendance-{uai}-{studentId}`: what the school-life office records about one student. */
export const attendanceStreamId = (schoolId: string, studentId: string): string =>
  `attendance-${schoolId}-${studentId}`;
