/**
 * Inputs that have made YAML checkers slow, hungry or loud, up to and past the 1 MiB a spec may
 * be: deep nesting, long flow lists, huge scalars, many tiny values, many keys, duplicate keys,
 * alias fan-out, control characters, walls of syntax errors; and the largest specs a person or a
 * tool plausibly writes, which must be checked in full. Shared by the fuzz test (time and memory
 * budget per input) and `npm run bench:yaml` (every input's time, ratio and memory).
 * Deterministic: no randomness.
 */
export interface PathologicalInput {
  name: string;
  text: string;
}

const KB = 1024;

/** The memory a validation may take (design.md), above what the process held before. */
export const MemoryBudgetMb = 100;

/**
 * The main thread's CPU time in milliseconds: what a validation costs, without the wait for a
 * core that a loaded machine adds to the wall time (Node 24 has threadCpuUsage; older Nodes count
 * the whole process).
 */
export function threadCpuMs(): number {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The time a validation may take (design.md): 100 ms per 100 KB, and at least 20 ms. */
export function timeBudgetMs(bytes: number): number {
  return Math.max(20, (bytes / (100 * KB)) * 100);
}
const head = 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: m\nimage: ghcr.io/acme/iris:1.0.0\n';

/** Repeats `unit` until the text is about `bytes` long. */
function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

function ladder(levels: number): string {
  const lines = ['a:'];
  for (let i = 0; i < levels; i++) lines.push(`${' '.repeat(i + 1)}- `);
  return lines.join('\n');
}

function mapLadder(levels: number): string {
  const lines: string[] = [];
  for (let i = 0; i < levels; i++) lines.push(`${' '.repeat(i)}k${i}:`);
  return `${lines.join('\n')} x\n`;
}

export function pathologicalInputs(): PathologicalInput[] {
  const inputs: PathologicalInput[] = [];
  const add = (name: string, text: string): void => {
    inputs.push({ name, text });
  };
  // Deep nesting, closed and unclosed, flow and block.
  for (const n of [800, 5_000, 100_000, 1_000_000]) add(`${n} unclosed [`, `service: ${'['.repeat(n)}`);
  for (const n of [1_600, 50_000, 500_000]) add(`${n} nested [] closed`, `service: ${'['.repeat(n)}${']'.repeat(n)}`);
  add('200,000 nested { a:', `service: ${'{ a: '.repeat(200_000)}`);
  add('1,400-level block ladder', ladder(1_400));
  add('1,000-level mapping ladder', mapLadder(1_000));
  add('300,000 nested - - -', `a:\n  ${'- '.repeat(300_000)}x\n`);
  // Long lists, flow and block.
  add('flow list of 9,900 items', `${head}command: [${'a, '.repeat(9_900)}a]\n`);
  add('flow list of 1,200 items (just under the token floor)', `${head}command: [${'a, '.repeat(1_200)}a]\n`);
  add('flow list of 150,000 items (over the token limit)', `${head}command: [${fill('a, ', 450 * KB)}a]\n`);
  add('flow list of 3,300 env mappings', `${head}env: [${'{name: A, value: x}, '.repeat(3_300)}{name: B, value: y}]\n`);
  add('4,900 block env items with bad names', `${head}env:\n${Array.from({ length: 4_900 }, (_, i) => `  - name: "A=${i}"\n    value: x\n`).join('')}`);
  add('20,000 block env items (over the token limit)', `${head}env:\n${Array.from({ length: 20_000 }, (_, i) => `  - name: "A=${i}"\n    value: x\n`).join('')}`);
  add('2,400 volumes', `${head}volumes:\n${Array.from({ length: 2_400 }, (_, i) => `  - name: v${i}\n    mountPath: /m/${i % 50}\n    emptyDir: {}\n`).join('')}`);
  // Many keys and duplicate keys.
  add('9,900 distinct keys', `${head}${Array.from({ length: 9_900 }, (_, i) => `k${i}: 1\n`).join('')}`);
  add('9,900 duplicate keys', `${head}${'kind: Revision\n'.repeat(9_900)}`);
  add('60,000 duplicate keys (over the token limit)', `${head}${fill('kind: Revision\n', 900 * KB)}`);
  add('9,900 keys in one flow mapping', `${head}resources: {${Array.from({ length: 9_900 }, (_, i) => `k${i}: 1`).join(', ')}}\n`);
  // Huge scalars.
  add('1 MB plain scalar', `${head.replace('message: m', `message: ${'x'.repeat(1000 * KB)}`)}`);
  add('1 MB double-quoted scalar with escapes', `${head.replace('message: m', `message: "${fill('\\u00e9\\t\\"', 1000 * KB)}"`)}`);
  add('1 MB block scalar', `${head}command: |\n${fill('  echo hello world\n', 1000 * KB)}`);
  add('1 MB key', `${'k'.repeat(1000 * KB)}: 1\n`);
  add('a 400-digit number', `${head}replicas: ${'9'.repeat(400)}\n`);
  // Aliases.
  const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  add('billion laughs', laughs.join('\n'));
  add('one anchor used 4,900 times', `${head.replace('message: m', 'message: &m hello')}env:\n${Array.from({ length: 4_900 }, (_, i) => `  - name: V${i}\n    value: *m\n`).join('')}`);
  add('4,900 merge keys', `${head}x: &x {cpu: 1, memory: 1Gi}\n${Array.from({ length: 4_900 }, (_, i) => `m${i}: {<<: *x}\n`).join('')}`);
  add('an alias inside its own anchor', 'a: &a [1, *a]\n');
  // Control characters and line endings.
  add('control characters everywhere', `${head}${'k\u0000\u001b[31m: "\u0007\b\u001b]0;x\u0007"\r\n'.repeat(9_900)}`);
  add('ESC sequences in keys and values', `${head}env:\n${Array.from({ length: 4_900 }, (_, i) => `  - name: "\\u001b[2J${i}"\n    valu\u001be: "\\u001b[31m"\n`).join('')}`);
  add('CR-only line endings', 'a: 1\r'.repeat(9_900));
  add('NUL bytes', fill('\u0000', 500 * KB));
  // Walls of syntax errors.
  add('1 MB of colons', fill(':', 1000 * KB));
  add('1 MB of - - -', fill('- - - ', 1000 * KB));
  add('9,900 unclosed quotes', 'a: "x\n'.repeat(9_900));
  add('800 unclosed quotes (just under the token floor)', 'a: "x\n'.repeat(800));
  add('tabs as indentation', `${head}resources:\n${'\t\tcpu: 1\n'.repeat(9_900)}`);
  add('1 MB of [}]{', fill('[}]{,:?-|>&*!%@`', 1000 * KB));
  add('1,600 documents', `---\n${head}`.repeat(1_600));
  add('a mutated 36 KB spec', mutatedSpec());
  // Over the limit.
  add('1.5 MB file (refused unread)', `${head}# ${'x'.repeat(1536 * KB)}\n`);
  // The largest specs a person or a tool plausibly writes: read in full, within budget.
  for (const spec of largestRealSpecs()) add(`largest real spec: ${spec.name}`, spec.text);
  return inputs;
}

/**
 * The largest specs a person or a tool plausibly writes (a real spec has a few hundred values):
 * 2,000 environment variables, as YAML and as the JSON a tool emits, and 2,000 volumes. The
 * checker must read them in full and place every finding exactly.
 */
export function largestRealSpecs(): PathologicalInput[] {
  const envItem = (i: number): { name: string; value: string } => ({ name: `MODEL_SETTING_${i}`, value: `value-${i}` });
  const json = { apiVersion: 'serve-revisions/v1', kind: 'Revision', service: 'iris', message: 'm', image: 'ghcr.io/acme/iris:1.0.0', env: Array.from({ length: 2_000 }, (_, i) => envItem(i)) };
  return [
    { name: '2,000 env vars', text: `${head}env:\n${Array.from({ length: 2_000 }, (_, i) => `  - name: ${envItem(i).name}\n    value: "${envItem(i).value}"\n`).join('')}` },
    { name: '2,000 env vars as JSON', text: JSON.stringify(json) },
    { name: '2,000 env vars as indented JSON', text: JSON.stringify(json, null, 2) },
    {
      name: '2,000 volumes',
      text: `${head}volumes:\n${Array.from({ length: 2_000 }, (_, i) => `  - name: data-${i}\n    mountPath: /data/${i}\n    readOnly: true\n    persistentVolumeClaim:\n      claimName: data-claim-${i}\n`).join('')}`,
    },
  ];
}

/** A realistic 36 KB spec with the kinds of damage the fuzz test does, without randomness. */
function mutatedSpec(): string {
  const lines = head.split('\n').filter(Boolean);
  lines.push('resources:', '  cpu: "8"', '  memory: 64GB', 'env:');
  for (let i = 0; lines.join('\n').length < 36 * KB; i++) {
    const damage = i % 7;
    if (damage === 0) lines.push(`  - name: VAR_${i}`, `     value: "x`);
    else if (damage === 1) lines.push(`  - name: [${'['.repeat(i % 3)}x${']'.repeat((i % 3) + 2)}`);
    else if (damage === 2) lines.push(`  - name: VAR_${i}`, `    value: &a${i} x`, `  - *a${i}`);
    else if (damage === 3) lines.push(`  -\tname: "\u001b[31m${i}"`);
    else if (damage === 4) lines.push(`  - name: DUP`, `    name: DUP`);
    else if (damage === 5) lines.push(`  - { name: F${i}, value: ${'}'.repeat(i % 3)} }`);
    else lines.push(`  - name: VAR_${i}`, `    secretKeyRef: {name: Bad_Name, key: "a b"}`);
  }
  return `${lines.join('\n')}\n`;
}
