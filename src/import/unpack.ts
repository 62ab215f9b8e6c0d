import { fromBuffer, Entry, ZipFile } from 'yauzl';
import { DEFAULT_IMPORT_SETTINGS } from '../config';
import { invalid } from '../domain/shared/domain-error';
import type { ImportKind } from './read-export';

export interface ImportLimits {
  /** Largest file an import reads, sent as is or unpacked from a ZIP. */
  readonly maxBytes: number;
  /** Most students a students file may list (default DEFAULT_IMPORT_SETTINGS.maxStudents). */
  readonly maxStudents?: number;
}

export const DEFAULT_IMPORT_MAX_BYTES = DEFAULT_IMPORT_SETTINGS.maxBytes;

/** Real exports deflate about 20 to 1; a zip bomb, thousands to 1. */
export const MAX_ZIP_RATIO = 200;

interface Signature {
  readonly format: string;
  readonly offset: number;
  readonly bytes: readonly number[];
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const ZIP: Signature = { format: 'a ZIP archive', offset: 0, bytes: ascii('PK\x03\x04') };
const EMPTY_ZIP: Signature = { format: 'an empty ZIP archive', offset: 0, bytes: ascii('PK\x05\x06') };

/** What a school may send by mistake instead of an export, known by its first bytes. */
const NOT_EXPORTS: readonly Signature[] = [
  EMPTY_ZIP,
  { format: 'a gzip archive', offset: 0, bytes: [0x1f, 0x8b] },
  { format: 'a 7z archive', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { format: 'a RAR archive', offset: 0, bytes: ascii('Rar!\x1a\x07') },
  { format: 'a bzip2 archive', offset: 0, bytes: ascii('BZh') },
  { format: 'an xz archive', offset: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'a tar archive', offset: 257, bytes: ascii('ustar') },
  { format: 'a PDF document', offset: 0, bytes: ascii('%PDF-') },
  { format: 'an old Office document', offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
];

const matches = (bytes: Uint8Array, signature: Signature): boolean =>
  bytes.length >= signature.offset + signature.bytes.length &&
  signature.bytes.every((b, i) => bytes[signature.offset + i] === b);

/** `a gzip archive` when the bytes are one of the known non-export formats (a ZIP is not one). */
export const notAnExport = (bytes: Uint8Array): string | undefined =>
  NOT_EXPORTS.find((signature) => matches(bytes, signature))?.format;

export const isZip = (bytes: Uint8Array): boolean => matches(bytes, ZIP);

const EXTENSIONS: Record<ImportKind, readonly string[]> = {
  siecle: ['.xml'],
  sts: ['.xml'],
  csv: ['.csv', '.txt'],
};

const refuseNonExport = (bytes: Uint8Array, where: string): void => {
  const format = notAnExport(bytes);
  if (format)
    throw invalid(
      'IMPORT.NOT_AN_EXPORT',
      `${where} is ${format}, not an export: send the XML or CSV file itself (SIECLE's ZIP is accepted as delivered)`,
      { format },
    );
};

const unreadable = (error: unknown) =>
  invalid(
    'IMPORT.ZIP_UNREADABLE',
    `the ZIP file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    {},
  );

const openZip = (bytes: Uint8Array): Promise<ZipFile> =>
  new Promise((resolve, reject) =>
    fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => (error ? reject(unreadable(error)) : resolve(zip)),
    ),
  );

/** Every entry's header: the archive is read only as far as its central directory. */
const entriesOf = (zip: ZipFile): Promise<Entry[]> =>
  new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (error) => reject(unreadable(error)));
    zip.readEntry();
  });

/** The entry's bytes; yauzl stops with an error when they outgrow the size its header declares. */
const contentOf = (zip: ZipFile, entry: Entry): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(unreadable(error));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (cause) => reject(unreadable(cause)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    }),
  );

const isMetadata = (entry: Entry): boolean =>
  entry.fileName.endsWith('/') || entry.fileName.startsWith('__MACOSX/');

const listed = (names: readonly string[]): string =>
  names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > name.lastIndexOf('/') ? name.slice(dot).toLowerCase() : '';
};

/** The one export a ZIP holds, as SIECLE delivers it: refused when it holds anything else. */
const unzipExport = async (
  kind: ImportKind,
  bytes: Uint8Array,
  limits: ImportLimits,
): Promise<Uint8Array> => {
  const zip = await openZip(bytes);
  try {
    const files = (await entriesOf(zip)).filter((entry) => !isMetadata(entry));
    const names = files.map((entry) => entry.fileName);
    const encrypted = files.filter((entry) => entry.isEncrypted()).map((entry) => entry.fileName);
    if (encrypted.length > 0)
      throw invalid(
        'IMPORT.ZIP_ENCRYPTED',
        `the ZIP holds encrypted files (${listed(encrypted)}): send them unencrypted`,
        {
          files: encrypted,
        },
      );
    if (files.length !== 1 || !EXTENSIONS[kind].includes(extensionOf(files[0].fileName))) {
      const expected = EXTENSIONS[kind].join(' or ');
      throw invalid(
        files.length > 1 ? 'IMPORT.ZIP_SEVERAL_FILES' : 'IMPORT.ZIP_WITHOUT_EXPORT',
        files.length === 0
          ? `the ZIP holds no file, not an export`
          : files.length > 1
            ? `the ZIP holds ${files.length} files (${listed(names)}): send one export (${expected}) per import`
            : `the ZIP holds ${names[0]}, not an export (${expected})`,
        { files: names },
      );
    }
    const [entry] = files;
    if (entry.uncompressedSize > limits.maxBytes)
      throw invalid(
        'IMPORT.TOO_LARGE',
        `${entry.fileName} unpacks to ${entry.uncompressedSize} bytes, over the ${limits.maxBytes} an import reads`,
        { file: entry.fileName, size: entry.uncompressedSize, maxBytes: limits.maxBytes },
      );
    if (entry.uncompressedSize > MAX_ZIP_RATIO * Math.max(entry.compressedSize, 1))
      throw invalid(
        'IMPORT.ZIP_RATIO_REFUSED',
        `${entry.fileName} unpacks ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} times its packed size, over the ${MAX_ZIP_RATIO} a real export reaches`,
        { file: entry.fileName, size: entry.uncompressedSize, packedSize: entry.compressedSize },
      );
    const content = await contentOf(zip, entry);
    refuseNonExport(content, `${entry.fileName} in the ZIP`);
    if (isZip(content))
      throw invalid('IMPORT.NOT_AN_EXPORT', `${entry.fileName} in the ZIP is a ZIP archive, not an export`, {
        format: 'a ZIP archive',
      });
    return content;
  } finally {
    zip.close();
  }
};

/** The export's own bytes: a ZIP (whatever its name or media type) is unpacked, other archives refused. */
export const unpackExport = async (
  kind: ImportKind,
  bytes: Uint8Array,
  limits: ImportLimits = { maxBytes: DEFAULT_IMPORT_MAX_BYTES },
): Promise<Uint8Array> => {
  if (bytes.length > limits.maxBytes)
    throw invalid(
      'IMPORT.TOO_LARGE',
      `the file has ${bytes.length} bytes, over the ${limits.maxBytes} an import reads`,
      {
        size: bytes.length,
        maxBytes: limits.maxBytes,
      },
    );
  if (isZip(bytes)) return unzipExport(kind, bytes, limits);
  refuseNonExport(bytes, 'the file');
  return bytes;
};
