import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProcoreSimulatorOptions } from './options';
import { createProcoreSimulator, type ProcoreSimulator } from './simulator';

/** A running loopback server that serves only the Procore simulator. */
export interface RunningProcoreSimulator {
  /** Base URL, e.g. `http://127.0.0.1:49152`; both `/oauth/…` and `/rest/…` live under it. */
  url: string;
  sim: ProcoreSimulator;
  close(): Promise<void>;
}

/** Convenience for tests: a node:http server on 127.0.0.1:0 serving only this simulator. */
export async function startProcoreSimulator(options: ProcoreSimulatorOptions): Promise<RunningProcoreSimulator> {
  const sim = createProcoreSimulator(options);
  const server = createServer((req, res) => {
    sim.handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ errors: 'Not Found' }));
        }
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ errors: 'Internal Server Error' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sim,
    close: async () => {
      sim.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
