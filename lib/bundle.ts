import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, type Metafile } from 'esbuild';

/** The four handlers in `lambdas/handlers/`. */
export const HANDLERS = ['poller', 'mapper', 'writer', 'replay'] as const;
export type HandlerName = (typeof HANDLERS)[number];

/** The handlers' bundles: one directory per handler holding `index.mjs` and its source map. */
export interface HandlerBundles {
  dirs: Record<HandlerName, string>;
  metafile: Metafile;
}

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
// esbuild's ESM output has no `require`; some dependencies still call it.
const REQUIRE_BANNER = "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

/**
 * Bundles every handler in one esbuild run (the modules they share are parsed once) into `outdir`: minified
 * ESM for node22 with source maps and no sources, module-first main fields, nothing external. The bundles are
 * the same for every customer (the config ships in a layer), so a synth builds them once for all stacks.
 */
export function bundleHandlers(outdir: string): HandlerBundles {
  const result = buildSync({
    entryPoints: Object.fromEntries(HANDLERS.map((h) => [`${h}/index`, root(`lambdas/handlers/${h}.ts`)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    logLevel: 'error',
  });
  return {
    dirs: Object.fromEntries(HANDLERS.map((h) => [h, join(outdir, h)])) as Record<HandlerName, string>,
    metafile: result.metafile,
  };
}

let built: HandlerBundles | undefined;

/** This process's bundles, built on first use into a fresh temporary directory. */
export function handlerBundles(): HandlerBundles {
  built ??= bundleHandlers(mkdtempSync(join(tmpdir(), 'ml-connector-bundles-')));
  return built;
}
