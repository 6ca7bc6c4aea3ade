import { afterEach, beforeEach, vi } from 'vitest';

// Unexpected console output fails a test: product code logs through the injected logger only.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let spies: ReturnType<typeof vi.spyOn>[] = [];

beforeEach(() => {
  spies = methods.map((m) => vi.spyOn(console, m));
});

afterEach(() => {
  const calls = spies.flatMap((s) => s.mock.calls.map((c: unknown[]) => c.map(String).join(' ')));
  for (const s of spies) s.mockRestore();
  if (calls.length > 0) throw new Error(`unexpected console output:\n${calls.join('\n')}`);
});
