import { createServer } from 'node:http';
import { type Listening, listen } from './emulators';

/**
 * Lambda's Invoke API (RequestResponse) for the real SDK client, calling handlers in this process: no Lambda
 * emulator installs here. A thrown error answers as Lambda does, `X-Amz-Function-Error: Unhandled` with
 * `{errorType, errorMessage}`; an unknown function is a ResourceNotFoundException.
 */
export async function startFakeLambda(
  functions: Record<string, (event: unknown) => Promise<unknown>>,
): Promise<Listening> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const name = decodeURIComponent(/^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '');
    const handler = functions[name];
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', Message: `Function not found: ${name}` }));
      return;
    }
    try {
      const result = await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
      res.end(JSON.stringify({ errorType: e.name, errorMessage: e.message }));
    }
  });
  return listen(server);
}
