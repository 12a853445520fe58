/** The CLI commands that look at a revision: `describe` (why it is not ready) and `logs` (all its pods, merged). */
import type { LogEvent, RevisionClient } from '../bundles/loadKube';
import { escapeControl } from '../core/escapeText';
import { ContainerName } from '../core/kube/labels';
import { detailsText } from '../core/observe/detailsText';
import { formatLogLine, parseLogFilter, parseSince } from '../core/observe/logLines';
import { ExitCode, UsageError, type CliIo } from './cliIo';

/** What these commands read of a parsed command line (the cluster commands' Run has it all). */
export interface ObserveRun {
  command: string;
  values: { follow?: boolean; tail?: string; since?: string; previous?: boolean; container?: string; grep?: string };
  positionals: string[];
  io: CliIo;
  client: RevisionClient;
  namespace: string;
  print(text: string, json: unknown): void;
}

function revisionArgs(run: ObserveRun): { service: string; revision: number; namespace: string } {
  const [service, revision] = run.positionals;
  if (run.positionals.length !== 2 || !service || !/^\d+$/.test(revision ?? '') || Number(revision) < 1) {
    throw new UsageError(`${run.command} needs SERVICE and REVISION, e.g. "serve-revisions ${run.command} iris 3"`);
  }
  return { service, revision: Number(revision), namespace: run.namespace };
}

export async function describe(run: ObserveRun): Promise<number> {
  const ref = revisionArgs(run);
  const { details, problems } = await run.client.describe(ref);
  run.print(`${detailsText(details)}${problems.map((p) => `Not shown: ${p}\n`).join('')}`, { details, problems });
  return ExitCode.ok;
}

/** The options of `logs` as the log stream takes them. */
function logRequest(values: ObserveRun['values']): { follow: boolean; tailLines: number; sinceSeconds?: number; previous?: boolean; container?: string } {
  if (values.follow && values.previous) throw new UsageError('--previous reads the previous containers once; it cannot be followed (drop -f)');
  const tail = values.tail ?? '100';
  if (!/^\d+$/.test(tail)) throw new UsageError(`--tail must be a whole number of lines, not "${tail}"`);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && since === undefined) throw new UsageError(`--since must be a duration such as 30s, 10m or 1h30m, not "${values.since}"`);
  return { follow: values.follow ?? false, tailLines: Number(tail), ...(since ? { sinceSeconds: since } : {}), ...(values.previous ? { previous: true } : {}), ...(values.container ? { container: values.container } : {}) };
}

export async function logs(run: ObserveRun): Promise<number> {
  const ref = revisionArgs(run);
  const request = logRequest(run.values);
  let filter;
  try {
    filter = parseLogFilter(run.values.grep);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const stream = run.client.logs(ref, request);
  const out = run.io;
  return new Promise<number>((resolve, reject) => {
    stream.onEvent((event: LogEvent) => {
      switch (event.kind) {
        case 'line':
          if (!filter || filter.matches(event.text)) out.stdout(`${formatLogLine(event, { showContainer: event.container !== ContainerName, colours: false })}\n`);
          return;
        case 'joined':
          if (request.follow) out.stderr(`serve-revisions: following ${escapeControl(event.pod)} (${escapeControl(event.container)})\n`);
          return;
        case 'left':
          out.stderr(`serve-revisions: pod ${escapeControl(event.pod)} left (${escapeControl(event.why)})\n`);
          return;
        case 'notice':
        case 'reconnecting':
          out.stderr(`serve-revisions: ${escapeControl(event.message)}\n`);
          return;
        case 'resumed':
          out.stderr('serve-revisions: connected again; following resumes where it stopped\n');
          return;
        case 'failed':
          out.stderr(`serve-revisions: ${escapeControl(event.message)}\n`);
          resolve(ExitCode.findings);
          return;
        case 'ended':
          if (request.follow) out.stderr(`serve-revisions: ${escapeControl(event.message)}\n`);
          resolve(ExitCode.ok);
          return;
      }
    });
    stream.start().catch(reject);
  });
}
