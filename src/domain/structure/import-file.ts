import { StaffMember, Subject, Teacher, TeachingAssignment } from './school';
import { IsoDate } from '../shared/calendar';

/**
 * What an import file says, once read (the readers live in src/import): the same shapes whether it
 * came from SIECLE, STS-web or a CSV, so that one plan computes the differences for all of them.
 * `where` locates a record in its file ("ELEVE ELEVE_ID=4521, line 57") for error messages.
 */
export interface ExportedStudent {
  readonly studentId: string;
  readonly ine: string | null;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate: IsoDate | null;
  /** Date the student entered the school (may be years ago). */
  readonly entryDate: IsoDate | null;
  /** First day the student is no longer in the school. */
  readonly exitDate: IsoDate | null;
  readonly classId: string | null;
  readonly groupIds: readonly string[];
  readonly where: string;
}

export interface ExportedClass {
  readonly classId: string;
  readonly label?: string;
  readonly where: string;
}

export interface ExportedGroup {
  readonly groupId: string;
  readonly label?: string;
  /** Absent when the file does not say which classes a group draws from. */
  readonly classIds?: readonly string[];
  readonly where: string;
}

/** Something a file holds that Registre does not import, listed in the report with why. */
export interface NotImported {
  readonly element: string;
  readonly reason: string;
}

interface ExportHeader {
  readonly schoolId: string;
  readonly schoolYear: string;
  /** The day the file was exported, when it says: the default date of the changes it brings. */
  readonly exportDate: IsoDate | null;
}

export interface StudentsExport extends ExportHeader {
  readonly format: 'siecle' | 'csv';
  readonly students: readonly ExportedStudent[];
  readonly classes: readonly ExportedClass[];
  readonly groups: readonly ExportedGroup[];
}

export interface StaffExport extends ExportHeader {
  readonly format: 'sts';
  readonly subjects: readonly (Subject & { readonly where: string })[];
  readonly teachers: readonly (Teacher & { readonly where: string })[];
  readonly classes: readonly ExportedClass[];
  readonly groups: readonly ExportedGroup[];
  readonly services: readonly (TeachingAssignment & { readonly where: string })[];
  /** CPE and direction (FONCTION EDU, DIR): known staff of the school. */
  readonly staff: readonly (StaffMember & { readonly where: string })[];
  /** Substitutes, services without a teacher, staff of other functions. */
  readonly notImported: readonly NotImported[];
  /** The school's name (UAJ's DENOM_PRINC and DENOM_COMPL), when the file gives one. */
  readonly schoolName?: { readonly name: string; readonly where: string };
}

export interface SubjectsExport extends ExportHeader {
  readonly format: 'nomenclature';
  readonly subjects: readonly (Subject & { readonly where: string })[];
}

export type StructureExport = StudentsExport | StaffExport | SubjectsExport;
