import { readExport } from '../../src/import/read-export';
import { refusalOf } from './fixtures';

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

const students = (lastName: string) =>
  `<BEE_ELEVES VERSION="3.1">\n<PARAMETRES><UAJ>0670001A</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE>` +
  `<DATE_EXPORT>28/08/2026</DATE_EXPORT></PARAMETRES>\n<DONNEES><ELEVES>\n` +
  `<ELEVE ELEVE_ID="1"><NOM_DE_FAMILLE>${lastName}</NOM_DE_FAMILLE><PRENOM>Léa</PRENOM></ELEVE>\n` +
  `</ELEVES></DONNEES></BEE_ELEVES>\n`;

const billionLaughs = () => {
  const entities = ['<!ENTITY lol "lol">'];
  for (let level = 1; level <= 9; level++)
    entities.push(`<!ENTITY lol${level} "${`&lol${level === 1 ? '' : level - 1};`.repeat(10)}">`);
  return `${HEADER}<!DOCTYPE BEE_ELEVES [\n${entities.join('\n')}\n]>\n${students('&lol9;')}`;
};

const refusal = (text: string) => refusalOf(() => readExport('siecle', Buffer.from(text, 'utf8')));

describe('XML attacks on an import', () => {
  it('refuses a "billion laughs" file naming the DOCTYPE line, instead of storing &lol9; as a last name', async () => {
    const error = await refusal(billionLaughs());
    expect([error.code, error.kind, error.details]).toEqual([
      'IMPORT.DOCTYPE_REFUSED',
      'invalid',
      { line: 2, declaration: 'DOCTYPE' },
    ]);
  });

  it('refuses an external entity', async () => {
    const error = await refusal(
      `${HEADER}<!DOCTYPE BEE_ELEVES [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n${students('&xxe;')}`,
    );
    expect([error.code, error.details]).toEqual([
      'IMPORT.DOCTYPE_REFUSED',
      { line: 2, declaration: 'DOCTYPE' },
    ]);
  });

  it('refuses a parameter entity', async () => {
    const error = await refusal(
      `${HEADER}\n<!DOCTYPE BEE_ELEVES [ <!ENTITY % remote SYSTEM "http://example.org/x.dtd"> %remote; ]>\n${students('X')}`,
    );
    expect([error.code, error.details]).toEqual([
      'IMPORT.DOCTYPE_REFUSED',
      { line: 3, declaration: 'DOCTYPE' },
    ]);
  });

  it('refuses a large entity', async () => {
    const error = await refusal(
      `${HEADER}<!DOCTYPE BEE_ELEVES [ <!ENTITY big "${'A'.repeat(1_000_000)}"> ]>\n${students('&big;')}`,
    );
    expect(error.code).toBe('IMPORT.DOCTYPE_REFUSED');
  });

  it('refuses an ENTITY declared without a DOCTYPE', async () => {
    const error = await refusal(`${HEADER}${students('X')}<!ENTITY a "b">\n`);
    expect([error.code, error.details]).toEqual([
      'IMPORT.DOCTYPE_REFUSED',
      { line: 7, declaration: 'ENTITY' },
    ]);
  });

  it('refuses 500,000 nested elements naming the line where the nesting goes too deep', async () => {
    const depth = 500_000;
    const error = await refusal(
      `${HEADER}<BEE_ELEVES>\n${'<A>'.repeat(depth)}${'</A>'.repeat(depth)}</BEE_ELEVES>\n`,
    );
    expect([error.code, error.kind, error.details]).toEqual([
      'IMPORT.XML_TOO_DEEP',
      'invalid',
      { line: 3, maxDepth: 64 },
    ]);
  });

  it('accepts 64 levels, counting self-closed, commented and CDATA tags as no level', async () => {
    const nested = `${'<A x="a>b">'.repeat(60)}<B/><!-- <C> --><![CDATA[<D>]]>${'</A>'.repeat(60)}`;
    const error = await refusal(`${HEADER}<BEE_ELEVES><X><Y>${nested}</Y></X></BEE_ELEVES>\n`);
    expect(error.code).toBe('IMPORT.MISSING_ELEMENT');
  });
});
