import { TextDecoder } from 'node:util';
import { invalid } from '../domain/shared/domain-error';

/**
 * National exports are ISO-8859-15 (the XML declaration says so; some say ISO-8859-1 or UTF-8).
 * Node's TextDecoder knows all three; 'iso-8859-1' is decoded as windows-1252, its superset.
 */
const DECLARED_ENCODING = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

const hasUtf8Bom = (bytes: Uint8Array): boolean => UTF8_BOM.every((b, i) => bytes[i] === b);

export const declaredXmlEncoding = (bytes: Uint8Array): string | undefined => {
  // The declaration is ASCII in every encoding these files use.
  const head = Buffer.from(bytes.subarray(hasUtf8Bom(bytes) ? 3 : 0, 200)).toString('latin1');
  return DECLARED_ENCODING.exec(head)?.[1].toLowerCase();
};

const decoderFor = (label: string, fatal: boolean): TextDecoder => {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    throw invalid(
      'IMPORT.ENCODING_UNSUPPORTED',
      `the file declares the encoding ${label}, which cannot be read`,
      { encoding: label },
    );
  }
};

/** Decodes with the declared encoding; without a declaration, UTF-8 if the bytes are UTF-8, else ISO-8859-15. */
export const decodeXml = (bytes: Uint8Array): string => {
  if (hasUtf8Bom(bytes)) return decoderFor('utf-8', false).decode(bytes.subarray(3));
  const declared = declaredXmlEncoding(bytes);
  if (declared) return decoderFor(declared, false).decode(bytes);
  return decodeUtf8OrLatin(bytes, 'iso-8859-15');
};

/** Spreadsheets save CSV as UTF-8 (often with a BOM) or as Windows-1252. */
export const decodeText = (bytes: Uint8Array): string =>
  hasUtf8Bom(bytes)
    ? decoderFor('utf-8', false).decode(bytes.subarray(3))
    : decodeUtf8OrLatin(bytes, 'windows-1252');

const decodeUtf8OrLatin = (bytes: Uint8Array, fallback: string): string => {
  try {
    return decoderFor('utf-8', true).decode(bytes);
  } catch {
    return decoderFor(fallback, false).decode(bytes);
  }
};
