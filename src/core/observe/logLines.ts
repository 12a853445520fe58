/**
 * The lines of a revision's logs: split from the stream, their timestamps read, made safe to show
 * (colours may render in a terminal; no other control sequence may move the cursor, clear the
 * screen or retitle the view), prefixed with their pod, and filtered. Pure: the kube layer streams
 * (src/kube/revisionLogs.ts), the CLI and the VS Code terminal show.
 */
import { escapeControl } from '../escapeText';

/** Longer lines are cut: a log line is not a place for megabytes. */
export const MaxLineLength = 16 * 1024;

/** Splits a byte stream's text into lines; keeps the unfinished tail until more arrives. */
export class LineSplitter {
  private rest = '';

  /** The complete lines in `chunk` (after what came before), without their line ends. */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split('\n');
    this.rest = parts.pop() ?? '';
    if (this.rest.length > MaxLineLength * 4) {
      parts.push(this.rest);
      this.rest = '';
    }
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** What is left once the stream ended (a last line without a line end). */
  end(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest === '' ? [] : [rest];
  }
}

const Timestamped = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s;

/** A line asked for with `timestamps=true`: its RFC 3339 time (kept as text, nanoseconds included) and the text. */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const match = Timestamped.exec(line);
  return match ? { time: match[1] as string, text: match[2] as string } : { text: line };
}

/** Orders RFC 3339 times with nanoseconds (as the API server writes them, all in UTC with Z). */
export function compareTimes(a: string, b: string): number {
  const [aSec, aFrac = ''] = a.replace(/Z$/, '').split('.');
  const [bSec, bFrac = ''] = b.replace(/Z$/, '').split('.');
  if (aSec !== bSec) return (aSec ?? '') < (bSec ?? '') ? -1 : 1;
  const width = Math.max(aFrac.length, bFrac.length);
  const x = aFrac.padEnd(width, '0');
  const y = bFrac.padEnd(width, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}

/** SGR ("select graphic rendition"): colours and bold, the only escape sequence a log may keep. */
const Sgr = /\u001b\[[0-9;:]*m/g;

/** The text without colour codes: what a filter matches and what a plain view shows. */
export function stripColours(text: string): string {
  return text.replace(Sgr, '');
}

/**
 * A log line made safe for the view: with `colours`, SGR colour codes are kept and every other
 * control character escaped (so a line cannot move the cursor, erase, or retitle the terminal);
 * without, colour codes are dropped too. Tabs stay. Cut at MaxLineLength.
 */
export function safeLogText(text: string, options: { colours: boolean }): string {
  const cut = text.length > MaxLineLength ? `${text.slice(0, MaxLineLength)}… (${text.length - MaxLineLength} more characters)` : text;
  if (!options.colours) return escapeControl(stripColours(cut).replace(/\t/g, '    '));
  let out = '';
  let last = 0;
  for (const match of cut.matchAll(Sgr)) {
    out += escapeControl(cut.slice(last, match.index).replace(/\t/g, '    ')) + match[0];
    last = match.index + match[0].length;
  }
  out += escapeControl(cut.slice(last).replace(/\t/g, '    '));
  // A colour left on would bleed into the next line's prefix.
  return last > 0 ? `${out}\u001b[0m` : out;
}

export interface LogLine {
  pod: string;
  container: string;
  text: string;
  time?: string;
}

/** A filter that shows only matching lines: plain text (case-insensitive) or `/regular expression/flags`. */
export interface LogFilter {
  readonly description: string;
  matches(text: string): boolean;
}

/** Reads a filter as typed; throws with a sentence when a /regular expression/ does not compile. */
export function parseLogFilter(input: string | undefined): LogFilter | undefined {
  const text = input?.trim() ?? '';
  if (text === '') return undefined;
  const regex = /^\/(.+)\/([imsu]*)$/.exec(text);
  if (regex) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(regex[1] as string, regex[2]);
    } catch (error) {
      throw new Error(`The filter ${text} is not a valid regular expression: ${(error as Error).message}.`, { cause: error });
    }
    return { description: text, matches: (line) => pattern.test(stripColours(line)) };
  }
  const needle = text.toLowerCase();
  return { description: `"${text}"`, matches: (line) => stripColours(line).toLowerCase().includes(needle) };
}

const PrefixColours = ['36', '33', '35', '32', '34', '91', '96', '93'];

function colourOf(pod: string): string {
  let hash = 0;
  for (const c of pod) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return PrefixColours[Math.abs(hash) % PrefixColours.length] as string;
}

/** `[pod]` or `[pod/container]` before the text; in colour, one per pod, when asked. */
export function formatLogLine(line: LogLine, options: { showContainer: boolean; colours: boolean }): string {
  const who = escapeControl(options.showContainer ? `${line.pod}/${line.container}` : line.pod);
  const prefix = options.colours ? `\u001b[${colourOf(line.pod)}m[${who}]\u001b[0m` : `[${who}]`;
  return `${prefix} ${safeLogText(line.text, options)}`;
}

/** `10m`, `2h`, `30s`, `1h30m` → seconds, as kubectl's --since reads it; undefined when it is not a duration. */
export function parseSince(input: string): number | undefined {
  const text = input.trim();
  if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const n = Number(value);
    seconds += unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : unit === 's' ? n : n / 1000;
  }
  return seconds > 0 ? Math.max(1, Math.ceil(seconds)) : undefined;
}
