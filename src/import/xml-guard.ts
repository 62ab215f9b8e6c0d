import { invalid } from '../domain/shared/domain-error';

/** SIECLE and STS-web exports are under 10 levels deep; anything far deeper is an attack on the parser. */
export const MAX_XML_DEPTH = 64;

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

/**
 * National exports never declare a DOCTYPE: refusing every declaration shuts out external
 * entities, parameter entities and entity expansion ("billion laughs") before any parser sees them.
 */
const refuseDeclarations = (text: string): void => {
  const match = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (!match) return;
  const line = lineAt(text, match.index);
  throw invalid(
    'IMPORT.DOCTYPE_REFUSED',
    `the file declares a ${match[1].toUpperCase()} at line ${line}: national exports have none, and a declaration can expand or fetch entities`,
    { line, declaration: match[1].toUpperCase() },
  );
};

/** Skips to just after `end` (a comment, CDATA section or processing instruction), or to the end of the text. */
const after = (text: string, from: number, end: string): number => {
  const found = text.indexOf(end, from);
  return found === -1 ? text.length : found + end.length;
};

/** Index just after the `>` that closes the tag opened at `from`, quotes respected; -1 if none. */
const tagEnd = (text: string, from: number): number => {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return -1;
};

/**
 * Refuses nesting deeper than `maxDepth` before the parser builds its tree (it recurses, and
 * 500,000 nested elements overflow its stack). Malformed markup is left to the validator.
 */
const refuseDeepNesting = (text: string, maxDepth: number): void => {
  let depth = 0;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i)) {
    if (text.startsWith('<!--', i)) i = after(text, i + 4, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = after(text, i + 9, ']]>');
    else if (text.startsWith('<?', i)) i = after(text, i + 2, '?>');
    else if (text.startsWith('<!', i)) i = after(text, i + 2, '>');
    else if (text[i + 1] === '/') {
      depth = Math.max(0, depth - 1);
      i = after(text, i + 2, '>');
    } else {
      const end = tagEnd(text, i + 1);
      if (end === -1) return;
      if (text[end - 2] !== '/' && ++depth > maxDepth) {
        const line = lineAt(text, i);
        throw invalid(
          'IMPORT.XML_TOO_DEEP',
          `the file nests elements more than ${maxDepth} levels deep at line ${line}: national exports are under 10`,
          { line, maxDepth },
        );
      }
      i = end;
    }
  }
};

/** What an import refuses in the XML text before parsing it. */
export const guardXmlText = (text: string, maxDepth: number = MAX_XML_DEPTH): void => {
  refuseDeclarations(text);
  refuseDeepNesting(text, maxDepth);
};
