import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PiiPath } from '../../domain/privacy/pii-fields';

/**
 * What an event body holds in place of its personal data, under `data.$pii`: the sealed fields'
 * paths (in clear: they name no one), and their values as one AES-256-GCM ciphertext whose
 * authenticated data binds it to the event's type, school and student — a body moved to another
 * event or student does not open.
 */
export interface PiiEnvelope {
  readonly v: 1;
  /** The student whose key sealed it. */
  readonly k: string;
  readonly f: readonly PiiPath[];
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

export const ENVELOPE_FIELD = '$pii';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

const aadFor = (type: string, schoolId: string, studentId: string) =>
  Buffer.from(`${type}\n${schoolId}\n${studentId}`, 'utf8');

export const sealValues = (
  key: Buffer,
  type: string,
  schoolId: string,
  studentId: string,
  paths: readonly PiiPath[],
  values: readonly string[],
): PiiEnvelope => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(aadFor(type, schoolId, studentId));
  const ct = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return {
    v: 1,
    k: studentId,
    f: paths,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
};

/** The sealed values, in the order of `envelope.f`; throws when the body was altered or the key is not its. */
export const openValues = (key: Buffer, type: string, schoolId: string, envelope: PiiEnvelope): string[] => {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(aadFor(type, schoolId, envelope.k));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
  return JSON.parse(text.toString('utf8')) as string[];
};

export const isEnvelope = (value: unknown): value is PiiEnvelope =>
  typeof value === 'object' &&
  value !== null &&
  (value as PiiEnvelope).v === 1 &&
  typeof (value as PiiEnvelope).k === 'string' &&
  Array.isArray((value as PiiEnvelope).f) &&
  typeof (value as PiiEnvelope).ct === 'string';
