/** Marks and colours for human output; plain text unless writing to a terminal. */
export interface Style {
  good(text: string): string;
  bad(text: string): string;
  /** ✓ or ✗, coloured on a terminal. */
  mark(ok: boolean): string;
}

/** The style for a terminal (ANSI colours) or for anything else (plain). */
export function styleFor(tty: boolean): Style {
  const paint = (code: number) => (text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
  const good = paint(32);
  const bad = paint(31);
  return { good, bad, mark: (ok) => (ok ? good('✓') : bad('✗')) };
}

/** How long ago an ISO time was, for a person: `just now`, `12 min ago`, `3 h ago`, `5 d ago`. */
export function ago(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
}

/** A progress line rewritten in place on a terminal; silent otherwise. */
export function progressLine(
  write: (text: string) => void,
  tty: boolean,
): { update(text: string): void; done(): void } {
  let shown = false;
  return {
    update(text) {
      if (!tty) return;
      shown = true;
      write(`\r${text}\u001b[K`);
    },
    done() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}
