/** Counts of the requests the simulator saw, for assertions on how a client spends its quota. */
export class CallLog {
  total = 0;
  reads = 0;
  writes = 0;
  /** Responses with a 4xx status, 429 included. */
  clientErrors = 0;
  throttled = 0;
  serverErrors = 0;
  /** Requests answered by destroying the socket (drop, timeout, lost response). */
  dropped = 0;
  /** Key: `METHOD /route/{template}`; unknown paths count under `METHOD (unmatched)`. */
  readonly byRoute: Record<string, number> = {};
  readonly byStatus: Record<number, number> = {};

  /** Records the start of a request. */
  begin(routeKey: string, write: boolean): void {
    this.total += 1;
    if (write) this.writes += 1;
    else this.reads += 1;
    this.byRoute[routeKey] = (this.byRoute[routeKey] ?? 0) + 1;
  }

  /** Records the status a request was answered with. */
  finish(status: number): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (status >= 400 && status < 500) this.clientErrors += 1;
    if (status === 429) this.throttled += 1;
    if (status >= 500) this.serverErrors += 1;
  }

  /** How many times `METHOD /template` was called. */
  count(method: string, template: string): number {
    return this.byRoute[`${method} ${template}`] ?? 0;
  }

  /** Starts counting from zero. */
  reset(): void {
    this.total = 0;
    this.reads = 0;
    this.writes = 0;
    this.clientErrors = 0;
    this.throttled = 0;
    this.serverErrors = 0;
    this.dropped = 0;
    for (const key of Object.keys(this.byRoute)) delete this.byRoute[key];
    for (const key of Object.keys(this.byStatus)) delete this.byStatus[Number(key)];
  }
}
