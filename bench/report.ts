import type { BundleMeasure } from './bundles';
import type { CycleMeasure } from './connector';
import type { ScenarioResult } from './scenarios';
import { budgetHours, per1000, ratio, round } from './stats';

/** Peak RSS of one initial load in a child process. */
export interface MemoryMeasure {
  scale: string;
  done: boolean;
  capped: boolean;
  elapsedMs: number;
  polled?: number;
  workdayCalls: number;
  procoreCalls: number;
  startRssMb: number;
  afterOpenRssMb: number;
  maxRssMb: number;
  /** The most heap in use right after a full collection, sampled every second. */
  retainedHeapMb: number;
}

export interface BenchResults {
  machine: { cpu: string; cores: number; totalMemoryGb: number; node: string; platform: string; date: string };
  mode: 'quick' | 'full';
  durationMs: number;
  scenarios: ScenarioResult[];
  memory: MemoryMeasure[];
  bundles: BundleMeasure[];
  warnings: string[];
}

const dash = (v: number | string | undefined) => (v === undefined ? '—' : String(v));
const lat = (s: ScenarioResult) => `P ${s.latency.procoreMs} ms / W ${s.latency.workdayMs} ms`;

function table(head: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(dash).join(' | ')} |`),
  ].join('\n');
}

function stages(c: CycleMeasure): string {
  if (c.wallMs === 0) return 'n/a';
  return Object.entries(c.stagesMs)
    .map(
      ([stage, ms]) => `${stage} ${ms} ms${c.polled > 0 && ms > 0 ? ` (${Math.round((c.polled / ms) * 1000)}/s)` : ''}`,
    )
    .join(', ');
}

function cycleRows(s: ScenarioResult) {
  const rows: [string, CycleMeasure][] = [
    ['initial load', s.initial],
    [`1% changed (${s.incremental.changes} changes)`, s.incremental],
    ['nothing changed', s.noChange],
  ];
  return rows.map(([name, c]) => [
    s.scale,
    lat(s),
    name,
    c.polled,
    c.procoreCalls,
    per1000(c.procoreCalls, c.polled),
    c.workdayCalls,
    per1000(c.workdayCalls, c.polled),
    round(c.wallMs / 1000, 2),
    c.wallMs > 0 ? Math.round((c.polled / c.wallMs) * 1000) : undefined,
    stages(c),
  ]);
}

/** The whole report as markdown; the same text goes to stdout and `bench/results/latest.md`. */
export function renderMarkdown(r: BenchResults): string {
  const out: string[] = [];
  out.push(`# ml-connector bench (${r.mode})`, '');
  out.push(
    `${r.machine.date} · ${r.machine.cpu} × ${r.machine.cores} · ${r.machine.totalMemoryGb} GB · Node ${r.machine.node} · ${r.machine.platform} · took ${round(r.durationMs / 1000, 1)} s`,
    '',
  );
  for (const w of r.warnings) out.push(`> **WARNING:** ${w}`, '');

  out.push('## Calls per 1,000 records polled (connector)', '');
  out.push(
    table(
      [
        'scale',
        'latency',
        'cycle',
        'records',
        'Procore calls',
        'Procore /1k',
        'Workday calls',
        'Workday /1k',
        'wall s',
        'records/s',
        'per stage',
      ],
      r.scenarios.flatMap(cycleRows),
    ),
    '',
  );
  out.push(
    'Procore calls are API calls (quota) from the simulator’s own log; token requests are left out. Per stage: wall time between the runner’s progress marks (poll pages, map batches, write batches), attributed to the stage that was running.',
    '',
  );

  out.push('## Initial load: connector vs per-record baseline (same data, same run)', '');
  out.push(
    table(
      [
        'scale',
        'latency',
        'commands',
        'connector calls',
        'baseline calls',
        'calls ×',
        'connector wall s',
        'baseline wall s',
        'wall ×',
      ],
      r.scenarios.map((s) => [
        s.scale,
        lat(s),
        Object.entries(s.commands)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
        s.initial.procoreCalls,
        s.baseline.plannedCalls,
        ratio(s.baseline.plannedCalls, s.initial.procoreCalls),
        round(s.initial.wallMs / 1000, 2),
        `${round(s.baseline.wallMs / 1000, 2)}${s.baseline.extrapolated ? ` (extrapolated from ${s.baseline.sentCalls} calls)` : ''}`,
        ratio(s.baseline.wallMs, s.initial.wallMs),
      ]),
    ),
    '',
  );
  out.push(
    'Baseline (bench/baseline.ts): per command one GET by origin_id and one POST; per line one budget-code GET (no cache) and one write; requisition items one write each. No vendor lookups, so a lower bound. Only Procore calls; its Workday reads would be the same pages. Connector wall time includes Workday polling, the baseline’s does not.',
    '',
  );

  out.push('## Procore rate budget for the initial load', '');
  const zero = r.scenarios.filter((s) => s.latency.procoreMs === 0);
  out.push(
    table(
      [
        'scale',
        'records',
        'Procore calls',
        'hours @ 3,600/h',
        'hours @ 600/h',
        'baseline hours @ 3,600/h',
        'baseline hours @ 600/h',
      ],
      zero.map((s) => [
        s.scale,
        s.initial.polled,
        s.initial.procoreCalls,
        budgetHours(s.initial.procoreCalls, 3600),
        budgetHours(s.initial.procoreCalls, 600),
        budgetHours(s.baseline.plannedCalls, 3600),
        budgetHours(s.baseline.plannedCalls, 600),
      ]),
    ),
    '',
  );

  out.push('## Top Procore routes, initial load', '');
  out.push(
    table(
      ['scale', 'route', 'calls', 'share'],
      zero.flatMap((s) =>
        Object.entries(s.initial.procoreByRoute)
          .filter(([route]) => !route.includes(' /oauth/'))
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([route, n]) => [s.scale, `\`${route}\``, n, `${Math.round((n / s.initial.procoreCalls) * 100)}%`]),
      ),
    ),
    '',
  );

  if (r.memory.length > 0) {
    out.push(
      '## Memory of an initial load (connector in a child process per size, the sandbox in another, zero latency)',
      '',
    );
    out.push(
      table(
        [
          'scale',
          'records polled',
          'Workday calls',
          'RSS at start MB',
          'RSS after opening MB',
          'peak RSS MB',
          'peak − opened MB',
          'max retained heap MB',
          'status',
        ],
        r.memory.map((m) => [
          m.scale,
          m.polled ?? 'n/a (capped)',
          m.workdayCalls,
          m.startRssMb,
          m.afterOpenRssMb,
          m.maxRssMb,
          m.maxRssMb - m.afterOpenRssMb,
          m.retainedHeapMb,
          m.done ? `done in ${round(m.elapsedMs / 1000, 1)} s` : `stopped at ${round(m.elapsedMs / 1000, 1)} s cap`,
        ]),
      ),
      '',
    );
    out.push(
      'The sandbox runs in its own process, so these are the connector’s numbers. Retained heap is what the connector holds (sampled after a full collection each second); peak RSS adds the garbage of the Workday page being parsed, which `workday.pageSize` bounds, not the dataset.',
      '',
    );
  }

  out.push('## Lambda bundles (built as the PipelineFunction construct builds them)', '');
  out.push(
    table(
      ['handler', 'bundle KB', 'source map KB', 'import ms (median of 5)', 'largest contributors (KB)'],
      r.bundles.map((b) => [
        b.handler,
        Math.round(b.bytes / 1024),
        Math.round(b.sourceMapBytes / 1024),
        // One line: a markdown table cell cannot hold the line breaks of a multi-line error.
        `${b.importMs}${b.importError ? ` (threw: ${b.importError.replace(/\s+/g, ' ')})` : ''}`,
        b.top.map((t) => `${t.source} ${Math.round(t.bytes / 1024)}`).join(', '),
      ]),
    ),
    '',
  );
  return out.join('\n');
}
