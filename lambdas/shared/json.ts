/** The JSON value `text` holds, or `undefined` when it is not JSON: for bodies whose shape a schema checks next. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
