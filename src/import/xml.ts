import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalid } from '../domain/shared/domain-error';
import { decodeXml } from './decode';
import { guardXmlText } from './xml-guard';
import { isIsoDate, IsoDate } from '../domain/shared/calendar';

/**
 * One parsed XML export, with what the readers need to speak about it: the line of any element
 * (fast-xml-parser's metadata gives its offset) and checked accessors that name what is missing.
 */
export type XmlNode = { readonly [key: string]: XmlValue };
export type XmlValue = string | XmlNode | readonly XmlValue[];

const metadata = XMLParser.getMetaDataSymbol() as unknown as symbol;

export class XmlDocument {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly rootName: string,
    readonly root: XmlNode,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  lineOf(node: XmlNode): number | undefined {
    const start = (node as unknown as Record<symbol, { startIndex?: number } | undefined>)[metadata]
      ?.startIndex;
    if (start === undefined) return undefined;
    let [low, high] = [0, this.lineStarts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= start) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** `ELEVE ELEVE_ID="4521" (line 57)`: how messages name an element. */
  where(name: string, node: XmlNode, idAttribute?: string): string {
    const id = idAttribute ? attribute(node, idAttribute) : undefined;
    const line = this.lineOf(node);
    return `${name}${id !== undefined ? ` ${idAttribute}="${id}"` : ''}${line !== undefined ? ` (line ${line})` : ''}`;
  }
}

const malformed = (message: string, details: Record<string, unknown> = {}) =>
  invalid('IMPORT.MALFORMED_XML', `the file is not well-formed XML: ${message}`, details);

/** The parser's own failures (a RangeError, an unexpected token) are the file's fault, never ours. */
const validateXml = (text: string): ReturnType<typeof XMLValidator.validate> => {
  try {
    return XMLValidator.validate(text);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error));
  }
};

const parseOrRefuse = (parser: XMLParser, text: string): Record<string, XmlValue> => {
  try {
    return parser.parse(text) as Record<string, XmlValue>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /line:?\s*(\d+)[^\d]+(?:col(?:umn)?:?\s*(\d+))?/i.exec(message);
    throw malformed(
      message,
      position ? { line: Number(position[1]), ...(position[2] ? { column: Number(position[2]) } : {}) } : {},
    );
  }
};

export const parseXmlExport = (bytes: Uint8Array, arrayTags: readonly string[]): XmlDocument => {
  const text = decodeXml(bytes);
  guardXmlText(text);
  const validation = validateXml(text);
  if (validation !== true)
    throw invalid(
      'IMPORT.MALFORMED_XML',
      `the file is not well-formed XML at line ${validation.err.line}, column ${validation.err.col}: ${validation.err.msg}`,
      {
        line: validation.err.line,
        column: validation.err.col,
      },
    );
  const arrays = new Set(arrayTags);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Character references (&#233;, &#x202E;) are the characters they name: decoded here, so that
    // every rule on names sees what will be stored. Entity declarations never get this far (xml-guard).
    htmlEntities: true,
    captureMetaData: true,
    // Matchers instead of path strings: the callbacks only look at the tag name.
    jPath: false,
    isArray: (name) => arrays.has(name),
  });
  const parsed = parseOrRefuse(parser, text);
  const rootName = Object.keys(parsed).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  const root = rootName === undefined ? undefined : parsed[rootName];
  if (rootName === undefined || root === undefined)
    throw invalid('IMPORT.MALFORMED_XML', 'the file holds no XML element', {});
  return new XmlDocument(
    text,
    rootName,
    typeof root === 'object' && !Array.isArray(root) ? (root as XmlNode) : {},
  );
};

export const isNode = (value: XmlValue | undefined): value is XmlNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const attribute = (node: XmlNode, name: string): string | undefined => {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
};

/** The text of a child element ('' for an empty one), or undefined when there is none. */
export const childText = (node: XmlNode, name: string): string | undefined => {
  const value = node[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  if (typeof first === 'string') return first.trim();
  if (isNode(first)) {
    const text = first['#text'];
    return typeof text === 'string' ? text.trim() : '';
  }
  return undefined;
};

/** A child element's text if not empty, else its attribute (STS writes `<UAJ CODE="…"/>`, BEE `<UAJ>…</UAJ>`). */
export const textOrAttribute = (node: XmlNode, name: string, attributeName: string): string | undefined => {
  const text = childText(node, name);
  if (text) return text;
  const child = node[name];
  const first = Array.isArray(child) ? child[0] : child;
  return isNode(first) ? attribute(first, attributeName) || undefined : undefined;
};

export const child = (node: XmlNode, name: string): XmlNode | undefined => {
  const value = node[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return isNode(first) ? first : {};
};

export const children = (node: XmlNode | undefined, ...path: string[]): XmlNode[] => {
  if (!node) return [];
  const [head, ...rest] = path;
  const value = node[head];
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const nodes = list.map((item) => (isNode(item) ? item : {}));
  return rest.length === 0 ? nodes : nodes.flatMap((item) => children(item, ...rest));
};

export const missing = (where: string, what: string) =>
  invalid('IMPORT.MISSING_ELEMENT', `${where} has no ${what}`, { element: where, missing: what });

export const required = (value: string | undefined, where: string, what: string): string => {
  if (value === undefined || value === '') throw missing(where, what);
  return value;
};

const FRENCH_DATE = /^(\d{2})\/(\d{2})\/(\d{4})(?:\s.*)?$/;

/** `dd/mm/yyyy` (SIECLE, optionally followed by a time) or `yyyy-mm-dd` (STS); '' is no date. */
export const parseExportDate = (value: string | undefined, where: string, what: string): IsoDate | null => {
  if (value === undefined || value === '') return null;
  const french = FRENCH_DATE.exec(value);
  const iso = french ? `${french[3]}-${french[2]}-${french[1]}` : value.slice(0, 10);
  if (!isIsoDate(iso))
    throw invalid(
      'IMPORT.INVALID_VALUE',
      `${where}: ${what} ${JSON.stringify(value)} is not a date dd/mm/yyyy`,
      {
        element: where,
        field: what,
      },
    );
  return iso;
};
