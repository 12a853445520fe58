/** `30s`, `5m`, `3h`, `4d`: a revision's age at a glance, the same in the tree and the CLI. Empty when unknown. */
export function formatAge(createdAt: string | undefined, now = Date.now()): string {
  if (!createdAt) return '';
  const ms = now - Date.parse(createdAt);
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
