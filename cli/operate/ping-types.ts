/** One line of `ping`: what was checked, whether it holds, and for ✗ what to do. */
export interface PingCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix: string | null;
}

/** A Workday worktag of a type the project rules use, seen on recent lines that no rule maps. */
export interface UnmappedWorktag {
  type: string;
  id: string;
  documents: number;
}

/** The `ping --json` object (README, "Commands"). */
export interface PingReport {
  ok: boolean;
  checks: PingCheck[];
  unmappedWorktags: UnmappedWorktag[];
}

/** A passed check. */
export function passed(name: string, detail: string): PingCheck {
  return { name, ok: true, detail, fix: null };
}

/** A failed check with what to do about it. */
export function failed(name: string, detail: string, fix: string): PingCheck {
  return { name, ok: false, detail, fix };
}
