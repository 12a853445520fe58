import { starterSpec } from './specDefaults';

/** Plain YAML where that reads the same, else a JSON string (valid YAML); numbers stay numbers. */
function scalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const plain = /^[A-Za-z0-9][-A-Za-z0-9./:@ ]*[A-Za-z0-9]$/.test(value) && Number.isNaN(Number(value)) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value) && !value.includes(': ');
  return plain ? value : JSON.stringify(value);
}

/**
 * The starting point for a new spec file: the smallest spec that passes every check, written
 * out from starterSpec. Built by hand rather than with the YAML library, which the extension's
 * own bundle does not carry.
 */
export function newRevisionSpecTemplate(service?: string): string {
  const spec = starterSpec(service === undefined ? {} : { service });
  const lines = [`apiVersion: ${spec.apiVersion}`, `kind: ${spec.kind}`, `service: ${scalar(spec.service)}`, `message: ${scalar(spec.message)}`, `image: ${scalar(spec.image)}`];
  if (spec.resources) lines.push('resources:', `  cpu: ${scalar(String(spec.resources.cpu))}`, `  memory: ${scalar(String(spec.resources.memory))}`);
  lines.push('ports:');
  for (const port of spec.ports ?? []) {
    lines.push(`  - name: ${scalar(port.name ?? '')}`, `    containerPort: ${port.containerPort}`, `    protocol: ${scalar(port.protocol ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}
