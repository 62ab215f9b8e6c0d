import { CommandBus } from '@nestjs/cqrs';
import { makeSiecleExport } from '../../../src/import/fixtures-generator';
import { ImportReader } from '../../../src/import/reader/import-reader';
import { fixture, NOVEMBER_EXPORT } from '../../import/fixtures';
import { SCHOOL_YEAR_2026 } from '../../import/import-harness';
import { NOMENCLATURE_ZIP, realExport } from '../../import/real-exports';
import { zipOf } from '../../import/zip-files';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../../support/http';

const ARAGO = '0750680G';

const billionLaughs = () => {
  const entities = ['<!ENTITY lol "lol">'];
  for (let level = 1; level <= 9; level++)
    entities.push(`<!ENTITY lol${level} "${`&lol${level === 1 ? '' : level - 1};`.repeat(10)}">`);
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE BEE_ELEVES [\n${entities.join('\n')}\n]>\n` +
      fixture(NOVEMBER_EXPORT)
        .toString('latin1')
        .replace(/^<\?xml[^>]*>\n/, '')
        .replace(/<NOM_DE_FAMILLE>[^<]*</, '<NOM_DE_FAMILLE>&lol9;<'),
    'latin1',
  );
};

/** Resolves once the reader is reading `count` files in its threads. */
const readingStarted = async (reader: ImportReader, count = 1): Promise<void> => {
  while (reader.load().running < count) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('import files over HTTP: transport and safety', () => {
  let app: TestApp;
  let admin: string;
  const open = async (env: Record<string, string> = {}) => {
    app = await startTestApp({ env });
    admin = await tokenFor('admin', '*');
    for (const school of [SCHOOL, ARAGO])
      await app
        .http()
        .put(`/schools/${school}/year`)
        .set('Authorization', admin)
        .send(
          school === ARAGO
            ? { schoolYear: '2018-2019', start: '2018-09-03', end: '2019-07-06' }
            : SCHOOL_YEAR_2026,
        )
        .expect(200);
  };
  afterEach(() => app?.close());

  const send = (bytes: Buffer, type: string, school = SCHOOL, query = '?dryRun=true') =>
    app
      .http()
      .post(`/schools/${school}/imports/siecle${query}`)
      .set('Authorization', admin)
      .set('Content-Type', type)
      .send(bytes);

  it('imports the ZIP SIECLE delivers, sent as application/zip or as octet-stream', async () => {
    await open();
    for (const type of ['application/zip', 'application/octet-stream']) {
      const response = await send(realExport(NOMENCLATURE_ZIP), type, ARAGO).expect(200);
      expect([response.body.schoolYear, response.body.summary]).toEqual([
        '2018-2019',
        expect.objectContaining({ subjectsDefined: 100 }),
      ]);
    }
  });

  it('refuses a ZIP of something else, a gzip and a PDF with 400 saying what they are', async () => {
    await open();
    const pdfInZip = await send(
      zipOf([{ name: 'eleves.pdf', content: Buffer.from('%PDF-1.4') }]),
      'application/zip',
    );
    expect([pdfInZip.status, pdfInZip.body.code, pdfInZip.body.message]).toEqual([
      400,
      'IMPORT.ZIP_WITHOUT_EXPORT',
      'the ZIP holds eleves.pdf, not an export (.xml)',
    ]);
    const pdf = await send(Buffer.from('%PDF-1.4\n'), 'application/pdf');
    expect([pdf.status, pdf.body.code, pdf.body.details]).toEqual([
      400,
      'IMPORT.NOT_AN_EXPORT',
      { format: 'a PDF document' },
    ]);
    const bomb = await send(
      zipOf([{ name: 'ElevesSansAdresses.xml', content: Buffer.alloc(20 * 1024 * 1024, 0x20) }]),
      'application/zip',
    );
    expect([bomb.status, bomb.body.code]).toEqual([400, 'IMPORT.ZIP_RATIO_REFUSED']);
  });

  it('refuses a billion-laughs file with 400 naming the DOCTYPE line, writing nothing', async () => {
    await open();
    const response = await send(billionLaughs(), 'application/xml', SCHOOL, '');
    expect([response.status, response.body]).toEqual([
      400,
      {
        statusCode: 400,
        code: 'IMPORT.DOCTYPE_REFUSED',
        message:
          'the file declares a DOCTYPE at line 2: national exports have none, and a declaration can expand or fetch entities',
        details: { line: 2, declaration: 'DOCTYPE' },
      },
    ]);
    const classes = await app
      .http()
      .get(`/schools/${SCHOOL}/classes`)
      .set('Authorization', admin)
      .expect(200);
    expect(classes.body).toEqual([]);
  });

  it('refuses 500,000 nested elements with 400, not 500', async () => {
    await open();
    const deep = Buffer.from(`<BEE_ELEVES>${'<A>'.repeat(500_000)}${'</A>'.repeat(500_000)}</BEE_ELEVES>`);
    const response = await send(deep, 'application/xml');
    expect([response.status, response.body.code, response.body.details]).toEqual([
      400,
      'IMPORT.XML_TOO_DEEP',
      { line: 1, maxDepth: 64 },
    ]);
  });

  it('refuses a body over REGISTRE_IMPORT_MAX_BYTES with 413 IMPORT.TOO_LARGE', async () => {
    await open({ REGISTRE_IMPORT_MAX_BYTES: '4096' });
    const response = await send(Buffer.alloc(5000, 0x20), 'application/xml');
    expect([response.status, response.body]).toEqual([
      413,
      {
        statusCode: 413,
        code: 'IMPORT.TOO_LARGE',
        message: 'the file has 5000 bytes, over the 4096 bytes an import reads',
        details: { maxBytes: 4096, size: 5000 },
      },
    ]);
  });

  it('refuses a students file over REGISTRE_IMPORT_MAX_STUDENTS with 413 naming both counts, writing nothing', async () => {
    await open({ REGISTRE_IMPORT_MAX_STUDENTS: '20' });
    const response = await send(
      makeSiecleExport({ students: 21, classes: 2, groups: 1 }),
      'application/xml',
      SCHOOL,
      '',
    );
    expect([response.status, response.body]).toEqual([
      413,
      {
        statusCode: 413,
        code: 'IMPORT.TOO_MANY_STUDENTS',
        message:
          'the file lists 21 students, more than the 20 an import takes (REGISTRE_IMPORT_MAX_STUDENTS)',
        details: { students: 21, maxStudents: 20 },
      },
    ]);
    const classes = await app
      .http()
      .get(`/schools/${SCHOOL}/classes`)
      .set('Authorization', admin)
      .expect(200);
    expect(classes.body).toEqual([]);
    const twenty = await send(makeSiecleExport({ students: 20, classes: 2, groups: 1 }), 'application/xml');
    expect([twenty.status, twenty.body.summary.studentsRegistered]).toEqual([200, 20]);
  }, 60_000);

  it('refuses a file whose reading outgrows REGISTRE_IMPORT_WORKER_MEMORY_MB with 413, and lives on', async () => {
    await open({ REGISTRE_IMPORT_WORKER_MEMORY_MB: '64', REGISTRE_IMPORT_MAX_STUDENTS: '100000' });
    const big = makeSiecleExport({ students: 12_000, classes: 400, groups: 20 });
    const response = await send(big, 'application/xml');
    expect([response.status, response.body.code, response.body.details]).toEqual([
      413,
      'IMPORT.TOO_COMPLEX',
      { memoryMb: 64 },
    ]);
    await app.http().get('/health').expect(200);
  }, 60_000);

  it('answers other requests while an import is read, before the import answers', async () => {
    await open();
    const reader = app.app.get(ImportReader);
    const big = makeSiecleExport({ students: 3000, classes: 100, groups: 20 });
    let importAnswered = false;
    const importing = send(big, 'application/xml').then((response) => {
      importAnswered = true;
      return response;
    });
    await readingStarted(reader);
    await app.http().get('/health').expect(200);
    await app.http().get(`/schools/${SCHOOL}/classes`).set('Authorization', admin).expect(200);
    expect(importAnswered).toBe(false);
    const response = await importing;
    expect([response.status, response.body.summary.studentsRegistered]).toEqual([200, 3000]);
  }, 60_000);

  it('answers other requests while a 10,000-student file is planned, after its reading thread has answered', async () => {
    await open();
    const reader = app.app.get(ImportReader);
    const bus = app.app.get(CommandBus);
    const read = reader.read;
    const execute = bus.execute.bind(bus);
    let planned = false;
    let health: Promise<{ status: number; importPlannedFirst: boolean }> | undefined;
    // Once the file is read, the rest (current structure, plan, answer) is on the thread serving HTTP:
    // /health, asked then, must be answered before the import's command has finished.
    Object.assign(reader, {
      read: async (...args: Parameters<ImportReader['read']>) => {
        const file = await read(...args);
        health = app
          .http()
          .get('/health')
          .then((response) => ({ status: response.status, importPlannedFirst: planned }));
        return file;
      },
    });
    Object.assign(bus, {
      execute: async (...args: Parameters<CommandBus['execute']>) => {
        const answer: unknown = await execute(...args);
        planned = true;
        return answer;
      },
    });
    const big = makeSiecleExport({ students: 10_000, classes: 334, groups: 20 });
    const response = await send(big, 'application/xml');
    expect([response.status, response.body.summary.studentsRegistered]).toEqual([200, 10_000]);
    expect(await health).toEqual({ status: 200, importPlannedFirst: false });
  }, 90_000);

  it('reads REGISTRE_IMPORT_CONCURRENCY files at once, queues REGISTRE_IMPORT_QUEUE, and refuses more with 503 and Retry-After', async () => {
    await open({ REGISTRE_IMPORT_CONCURRENCY: '1', REGISTRE_IMPORT_QUEUE: '0' });
    const reader = app.app.get(ImportReader);
    const big = makeSiecleExport({ students: 3000, classes: 100, groups: 20 });
    // supertest sends on then(): start it now.
    const first = send(big, 'application/xml').then((response) => response);
    await readingStarted(reader);
    const second = await send(fixture(NOVEMBER_EXPORT), 'application/xml');
    expect([second.status, second.headers['retry-after'], second.body.code]).toEqual([
      503,
      '5',
      'IMPORT.BUSY',
    ]);
    expect((await first).status).toBe(200);
    await send(fixture(NOVEMBER_EXPORT), 'application/xml').expect(200);
  }, 60_000);
});
