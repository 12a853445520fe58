import * as vscode from 'vscode';
import type { LogEvent, LogRequest, RevisionClient, RevisionLogStream } from '../../bundles/loadKube';
import { escapeControl } from '../../core/escapeText';
import { ContainerName } from '../../core/kube/labels';
import { formatLogLine, stripColours, type LogFilter } from '../../core/observe/logLines';
import type { Logger } from '../common/logger';

/** How many lines a log view keeps for the tests' eyes (the terminal keeps its own scrollback). */
const KeptLines = 2000;

const dim = (text: string): string => `\u001b[2m${text}\u001b[0m`;
const yellow = (text: string): string => `\u001b[33m${text}\u001b[0m`;
const red = (text: string): string => `\u001b[31m${text}\u001b[0m`;

export interface LogViewOptions extends LogRequest {
  filter?: LogFilter;
}

/**
 * A revision's logs in a terminal (a Pseudoterminal): every pod's lines after the pod's name in
 * its own colour, the log's own colours kept and every other control sequence escaped (a line
 * cannot clear the screen, move the cursor or retitle the tab). Closing the terminal, or Ctrl+C in
 * it, stops every stream.
 */
export class RevisionLogTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidClose = this.closer.event;
  private stream: RevisionLogStream | undefined;
  private readonly kept: string[] = [];
  private closed = false;

  constructor(
    private readonly client: RevisionClient,
    readonly ref: { service: string; revision: number; namespace: string },
    readonly options: LogViewOptions,
    private readonly logger: Logger,
  ) {}

  /** What the view has shown, without colours (for the end-to-end tests). */
  get text(): string {
    return this.kept.join('\n');
  }

  /** Streams still open (0 once closed). */
  get openStreams(): number {
    return this.stream?.openStreams ?? 0;
  }

  private write(line: string): void {
    if (this.closed) return;
    this.kept.push(stripColours(line));
    if (this.kept.length > KeptLines) this.kept.splice(0, this.kept.length - KeptLines);
    this.writer.fire(`${line}\r\n`);
  }

  private describeRequest(): string {
    const o = this.options;
    const what = o.previous ? 'the previous containers' : o.follow === false ? 'once' : `following, from the last ${o.tailLines ?? 100} lines of each`;
    return [what, o.sinceSeconds ? `since ${o.sinceSeconds} s ago` : '', o.container ? `container ${o.container}` : '', o.filter ? `only lines matching ${o.filter.description}` : ''].filter(Boolean).join(' · ');
  }

  open(): void {
    const { service, revision, namespace } = this.ref;
    this.write(dim(escapeControl(`Logs of revision ${revision} of "${service}" in namespace "${namespace}" of context "${this.client.contextName}": ${this.describeRequest()}. Close this terminal (or press Ctrl+C) to stop.`)));
    const { filter: _filter, ...request } = this.options;
    const stream = this.client.logs(this.ref, request);
    this.stream = stream;
    stream.onEvent((event) => this.show(event));
    stream.start().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(message, error);
      this.write(red(escapeControl(message)));
    });
  }

  private show(event: LogEvent): void {
    switch (event.kind) {
      case 'line':
        if (!this.options.filter || this.options.filter.matches(event.text)) this.write(formatLogLine(event, { showContainer: event.container !== ContainerName, colours: true }));
        return;
      case 'joined':
        this.write(dim(escapeControl(`── ${event.pod}${event.container !== ContainerName ? `/${event.container}` : ''} joined`)));
        return;
      case 'left':
        this.write(dim(escapeControl(`── ${event.pod} left (${event.why})`)));
        return;
      case 'notice':
        this.write(dim(escapeControl(`── ${event.message}`)));
        return;
      case 'reconnecting':
        this.write(yellow(escapeControl(`── Not live: ${event.message} Retrying in ${Math.ceil(event.retryInMs / 1000)} s; following resumes where it stopped.`)));
        return;
      case 'resumed':
        this.write(yellow('── Connected again: following resumes where it stopped.'));
        return;
      case 'failed':
        this.write(red(escapeControl(`── ${event.message}`)));
        return;
      case 'ended':
        this.write(dim(escapeControl(`── ${event.message}`)));
        return;
    }
  }

  handleInput(data: string): void {
    // Ctrl+C, as in `kubectl logs -f`: stop and close.
    if (data === '\u0003') this.closer.fire();
  }

  close(): void {
    this.closed = true;
    void this.stream?.stop();
    this.writer.dispose();
  }
}

/** The open log views, so a test can read what they show and check that closing stops them. */
export class RevisionLogViews {
  private readonly views = new Set<RevisionLogTerminal>();

  constructor(private readonly logger: Logger) {}

  open(client: RevisionClient, ref: { service: string; revision: number; namespace: string }, options: LogViewOptions): RevisionLogTerminal {
    const view = new RevisionLogTerminal(client, ref, options, this.logger);
    const name = `Logs: ${ref.service} #${ref.revision}${options.previous ? ' (previous)' : ''}`;
    const terminal = vscode.window.createTerminal({ name, pty: view, iconPath: new vscode.ThemeIcon('output'), isTransient: true });
    this.views.add(view);
    view.onDidClose(() => terminal.dispose());
    const closed = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      this.views.delete(view);
      closed.dispose();
    });
    terminal.show();
    return view;
  }

  get shown(): readonly RevisionLogTerminal[] {
    return [...this.views];
  }
}
