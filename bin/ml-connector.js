#!/usr/bin/env node
// Plain-JavaScript launcher so `npx ml-connector` runs on Node 20 with nothing installed globally:
// tsx (a dependency) compiles the TypeScript entry on the fly.
import { register } from 'tsx/esm/api';

register();
await import('./ml-connector.ts');
