import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Options of the one XML parse used for every third-party document. */
export interface XmlParseOptions {
  /** Local element names that always parse as arrays, even with a single occurrence. */
  arrays: ReadonlySet<string>;
  /** Largest accepted document, in UTF-16 code units (about bytes for XML). */
  maxLength?: number;
}

export const DEFAULT_MAX_XML_LENGTH = 64 * 1024 * 1024;
const MAX_DEPTH = 200;
// The parser quotes the offending tag in its messages; a hostile tag name can be megabytes long.
const MAX_MESSAGE = 200;

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** Why a document was refused; the caller wraps it with the record or page it came from. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
}

/**
 * Parses untrusted XML: namespace prefixes removed, every value kept as a string ("00123" survives),
 * attributes as `@_name`, listed elements forced to arrays, DOCTYPE (and with it every custom or
 * external entity) rejected, size and nesting bounded, truncation detected.
 */
export function parseXml(text: string, options: XmlParseOptions): Record<string, unknown> {
  const maxLength = options.maxLength ?? DEFAULT_MAX_XML_LENGTH;
  if (text.length > maxLength) {
    throw new XmlError(`document is ${text.length} characters, over the ${maxLength} limit`);
  }
  if (/<!DOCTYPE/i.test(text)) throw new XmlError('DOCTYPE is not allowed (entity declarations are refused)');
  if (/<!ENTITY/i.test(text)) throw new XmlError('entity declarations are not allowed');
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new XmlError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${clip(valid.err.msg)}`);
  }
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // With DOCTYPE refused only predefined entities and character references (&#233;) remain to decode.
    processEntities: true,
    htmlEntities: true,
    maxNestedTags: MAX_DEPTH,
    isArray: (name, _jpath, _isLeaf, isAttribute) => !isAttribute && options.arrays.has(name),
  });
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new XmlError(`XML could not be parsed: ${clip(error instanceof Error ? error.message : String(error))}`, {
      cause: error,
    });
  }
}
