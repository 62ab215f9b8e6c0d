import { gzipSync } from 'node:zlib';
import { SubjectsExport } from '../../src/domain/structure/import-file';
import { readExportFile } from '../../src/import/read-export';
import { fixture, NOVEMBER_EXPORT, refusalOf } from './fixtures';
import { NOMENCLATURE_ZIP, realExport } from './real-exports';
import { zipOf } from './zip-files';

/** One entry named ElevesSansAdresses.xml: local header, central entry, end record, the name twice. */
const ZIP_OVERHEAD = 30 + 46 + 22 + 2 * 'ElevesSansAdresses.xml'.length;

const refusal = (bytes: Buffer, maxBytes?: number) =>
  refusalOf(() => readExportFile('siecle', bytes, maxBytes === undefined ? undefined : { maxBytes }));

describe('archives sent as an import', () => {
  it('unpacks the ZIP SIECLE delivers and reads the Nomenclature it holds, as the XML itself reads', async () => {
    const fromZip = (await readExportFile('siecle', realExport(NOMENCLATURE_ZIP))) as SubjectsExport;
    const fromXml = await readExportFile('siecle', realExport('siecle/Nomenclature-2018-19.xml'));
    expect([fromZip.format, fromZip.schoolId, fromZip.subjects.length]).toEqual([
      'nomenclature',
      '0750680G',
      100,
    ]);
    expect(fromZip).toEqual(fromXml);
  });

  it('refuses a ZIP of a PDF, saying what it holds', async () => {
    const error = await refusal(zipOf([{ name: 'notice.pdf', content: Buffer.from('%PDF-1.7\n...') }]));
    expect([error.code, error.message, error.details]).toEqual([
      'IMPORT.ZIP_WITHOUT_EXPORT',
      'the ZIP holds notice.pdf, not an export (.xml)',
      { files: ['notice.pdf'] },
    ]);
  });

  it('refuses a ZIP of several files, naming them', async () => {
    const xml = fixture(NOVEMBER_EXPORT);
    const error = await refusal(
      zipOf([
        { name: 'ElevesSansAdresses.xml', content: xml },
        { name: 'Nomenclature.xml', content: xml },
      ]),
    );
    expect([error.code, error.details]).toEqual([
      'IMPORT.ZIP_SEVERAL_FILES',
      { files: ['ElevesSansAdresses.xml', 'Nomenclature.xml'] },
    ]);
  });

  it('refuses an empty ZIP and a ZIP holding only a folder', async () => {
    expect((await refusal(zipOf([]))).code).toBe('IMPORT.NOT_AN_EXPORT');
    expect((await refusal(zipOf([{ name: 'export/', content: Buffer.alloc(0) }]))).message).toBe(
      'the ZIP holds no file, not an export',
    );
  });

  it('refuses a ZIP inside a ZIP, even named .xml', async () => {
    const inner = zipOf([{ name: 'Nomenclature.xml', content: fixture(NOVEMBER_EXPORT) }]);
    const error = await refusal(zipOf([{ name: 'Nomenclature.xml', content: inner }]));
    expect([error.code, error.message]).toEqual([
      'IMPORT.NOT_AN_EXPORT',
      'Nomenclature.xml in the ZIP is a ZIP archive, not an export',
    ]);
  });

  it('refuses a zip bomb by its ratio before inflating it', async () => {
    const bomb = zipOf([{ name: 'ElevesSansAdresses.xml', content: Buffer.alloc(40 * 1024 * 1024, 0x20) }]);
    const error = await refusal(bomb);
    expect([error.code, error.details]).toEqual([
      'IMPORT.ZIP_RATIO_REFUSED',
      { file: 'ElevesSansAdresses.xml', size: 41943040, packedSize: bomb.length - ZIP_OVERHEAD },
    ]);
  });

  it('stops inflating a zip bomb whose header lies about its size', async () => {
    const liar = zipOf([
      {
        name: 'ElevesSansAdresses.xml',
        content: Buffer.alloc(40 * 1024 * 1024, 0x20),
        declaredSize: 4_000_000,
      },
    ]);
    const unreadable = await refusal(liar);
    expect(unreadable.code).toBe('IMPORT.ZIP_UNREADABLE');
    expect(unreadable.message).toMatch(
      /^the ZIP file cannot be read: too many bytes in the stream. expected 4000000\./,
    );
  });

  it('refuses a ZIP whose export unpacks over the size an import reads', async () => {
    const error = await refusal(
      zipOf([{ name: 'ElevesSansAdresses.xml', content: fixture(NOVEMBER_EXPORT) }]),
      2048,
    );
    expect([error.code, error.details.maxBytes]).toEqual(['IMPORT.TOO_LARGE', 2048]);
  });

  it('refuses an encrypted entry', async () => {
    const error = await refusal(
      zipOf([{ name: 'ElevesSansAdresses.xml', content: fixture(NOVEMBER_EXPORT), encrypted: true }]),
    );
    expect([error.code, error.details]).toEqual([
      'IMPORT.ZIP_ENCRYPTED',
      { files: ['ElevesSansAdresses.xml'] },
    ]);
  });

  it('refuses a truncated ZIP as unreadable', async () => {
    const zip = realExport(NOMENCLATURE_ZIP);
    expect((await refusal(zip.subarray(0, zip.length - 100))).code).toBe('IMPORT.ZIP_UNREADABLE');
  });

  it.each([
    ['a gzip archive', gzipSync(fixture(NOVEMBER_EXPORT))],
    ['a 7z archive', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
    ['a RAR archive', Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1')],
    ['a PDF document', Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1')],
  ])('refuses %s saying it is not an export', async (format, bytes) => {
    const error = await refusal(bytes);
    expect([error.code, error.message, error.details]).toEqual([
      'IMPORT.NOT_AN_EXPORT',
      `the file is ${format}, not an export: send the XML or CSV file itself (SIECLE's ZIP is accepted as delivered)`,
      { format },
    ]);
  });
});
