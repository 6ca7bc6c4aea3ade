/** A plain aligned text table (no borders), readable in a terminal and in a log. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { align?: readonly ('left' | 'right')[] } = {},
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return options.align?.[i] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
