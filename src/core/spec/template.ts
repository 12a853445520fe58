/** The starting point for a new spec file: the smallest spec that passes every check. */
export function newRevisionSpecTemplate(service = 'my-model'): string {
  return [
    'apiVersion: serve-revisions/v1',
    'kind: Revision',
    `service: ${service}`,
    'message: First revision',
    'image: ghcr.io/example/my-model:1.0.0',
    'resources:',
    '  cpu: "1"',
    '  memory: 2Gi',
    'ports:',
    '  - name: http',
    '    containerPort: 8080',
    '    protocol: http',
    '',
  ].join('\n');
}
