import { buildWorktag, ref } from '../workday/builders';
import type { Ref, Worktag, WorktagType } from '../workday/data';

/** Reference values and worktags with memoised WIDs: deriving a WID hashes, and records reuse a few hundred. */

const refs = new Map<string, Ref>();
const worktags = new Map<string, Worktag>();

/** `ref(kind, id, descriptor)`, computed once per distinct value. */
export function cachedRef(kind: string, id: string, descriptor: string): Ref {
  const key = `${kind}\u0000${id}\u0000${descriptor}`;
  let value = refs.get(key);
  if (!value) {
    value = ref(kind, id, descriptor);
    refs.set(key, value);
  }
  return { ...value };
}

/** `buildWorktag(type, id, descriptor)`, computed once per distinct value. */
export function cachedWorktag(type: WorktagType, id: string, descriptor: string): Worktag {
  const key = `${type}\u0000${id}\u0000${descriptor}`;
  let value = worktags.get(key);
  if (!value) {
    value = buildWorktag(type, id, descriptor);
    worktags.set(key, value);
  }
  return { ...value };
}
