export interface AgeOptions {
  /**
   * Under a minute, say `<1m` instead of counting seconds: a view that keeps its ages current then
   * redraws a young revision once a minute, not every second (the CLI prints once, with seconds).
   */
  coarse?: boolean;
}

const Minute = 60;
const Hour = 60 * Minute;
const Day = 24 * Hour;

function ageSeconds(createdAt: string | undefined, now: number): number | undefined {
  if (!createdAt) return undefined;
  const ms = now - Date.parse(createdAt);
  if (!Number.isFinite(ms)) return undefined;
  return Math.max(0, Math.round(ms / 1000));
}

/** `30s`, `5m`, `3h`, `4d`: a revision's age at a glance, the same in the tree and the CLI. Empty when unknown. */
export function formatAge(createdAt: string | undefined, now = Date.now(), options: AgeOptions = {}): string {
  const s = ageSeconds(createdAt, now);
  if (s === undefined) return '';
  if (s < Minute) return options.coarse ? '<1m' : `${s}s`;
  const m = Math.floor(s / Minute);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/**
 * Milliseconds until formatAge's text for `createdAt` changes (100 ms after, never before), so
 * a view redraws an age exactly when it would read differently. Undefined when there is no age.
 */
export function msUntilAgeChanges(createdAt: string | undefined, now = Date.now(), options: AgeOptions = {}): number | undefined {
  const s = ageSeconds(createdAt, now);
  if (s === undefined || createdAt === undefined) return undefined;
  let step: number;
  if (s < Minute) step = options.coarse ? Minute : 1;
  else if (s < Hour) step = Minute;
  else if (s < 48 * Hour) step = Hour;
  else step = Day;
  const nextChangeAt = Date.parse(createdAt) + (Math.floor(s / step) + 1) * step * 1000;
  // formatAge rounds to the second, so the text changes half a second before the boundary; 100 ms later it has.
  return Math.max(100, nextChangeAt - now - 400);
}

/** A time a person reads: `2026-01-02 11:55 (5m ago)`, in the viewer's time zone; empty when unknown. */
export function formatTime(at: string | undefined, now = Date.now()): string {
  if (!at) return '';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const age = formatAge(at, now);
  return `${day} (${age} ago)`;
}
