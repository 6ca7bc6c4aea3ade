/** Small readers over `parseXml` output (prefix-free names, `@_` attributes, `#text`). */

export type XmlNode = Record<string, unknown>;

/** True for a parsed element (an object, not a list or text). */
export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that may be one element or several, as a list. */
export function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The child element `name` of `node` when it is an element (the first when repeated). */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!isNode(node)) return undefined;
  const value = list(node[name])[0];
  if (isNode(value)) return value;
  // An empty or text-only element still exists.
  return typeof value === 'string' ? { '#text': value } : undefined;
}

/** The text of an element value (plain string or `#text` of an element with attributes). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isNode(value)) {
    const text = value['#text'];
    return typeof text === 'string' ? text : '';
  }
  return undefined;
}

/** The text of the child element `name`. */
export function childText(node: unknown, name: string): string | undefined {
  return isNode(node) ? textOf(list(node[name])[0]) : undefined;
}

/** An attribute by local name. */
export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** xsd:boolean text (`1`/`true`/`0`/`false`); undefined when absent or not a boolean. */
export function parseBoolean(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === '1' || t === 'true') return true;
  if (t === '0' || t === 'false') return false;
  return undefined;
}

/** Child element names in document order (attributes and text excluded). */
export function childNames(node: unknown): string[] {
  return isNode(node) ? Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text') : [];
}
