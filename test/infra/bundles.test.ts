import { describe, expect, it } from 'vitest';
import { HANDLERS, handlerBundles } from '../../lib/bundle';

/** The npm packages bundled into each handler, from esbuild's metafile. */
function packagesOf(handler: string): Set<string> {
  const { metafile } = handlerBundles();
  const [, output] = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`${handler}/index.mjs`)) ?? [];
  if (output === undefined) throw new Error(`no bundle for ${handler}`);
  return new Set(
    Object.keys(output.inputs).flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? []),
  );
}

describe('handler bundles', () => {
  it('builds one bundle per handler, and none carries SQLite or the CLI', () => {
    for (const handler of HANDLERS) {
      const packages = packagesOf(handler);
      expect(packages.has('better-sqlite3')).toBe(false);
      expect(packages.has('commander')).toBe(false);
    }
  });

  it('keeps the HTTP client (undici) out of the functions that call neither Workday nor Procore', () => {
    expect(packagesOf('poller').has('undici')).toBe(true);
    expect(packagesOf('writer').has('undici')).toBe(true);
    expect(packagesOf('mapper').has('undici')).toBe(false);
    expect(packagesOf('replay').has('undici')).toBe(false);
  });
});
