// How the details view writes amounts and ages: `1.5Gi`, `250m` of CPU, `3m` ago.

export function bytes(value: number): string {
  for (const [suffix, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) if (Math.abs(value) >= size) return `${Math.round((value / size) * 10) / 10}${suffix}`;
  return `${Math.round(value)}`;
}

export function cores(value: number): string {
  return value >= 1 ? `${Math.round(value * 100) / 100}` : `${Math.round(value * 1000)}m`;
}
