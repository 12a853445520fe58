// 10,000 generated and mutated specs through parse, validate, complete, hover and quick fixes:
// no exception may escape, every range a provider returns must lie inside the document, every
// finding is one line, and validation stays within its time budget (measured; fails only when a
// spec, measured again, takes over ten times its budget in CPU time, which a loaded machine does
// not inflate as it does the wall time; the slowest one is printed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeSpec } from '../../../src/core/language/completion';
import { hoverSpec } from '../../../src/core/language/hover';
import { quickFixesFor } from '../../../src/core/language/quickFixes';
import { diagnoseParsedSpec, parseSpecText, type Range } from '../../../src/core/spec/specDocument';
import { threadCpuMs, timeBudgetMs } from './pathologicalInputs';
import { seededRandom as random } from '../../seededRandom';

const Count = Number(process.env['SERVE_REVISIONS_FUZZ_COUNT'] ?? 10_000);
const root = join(__dirname, '../../../..');


const seeds = [
  ...['iris-bentoml', 'llama-vllm-gpu', 'whisper-volumes'].map((name) => readFileSync(join(root, 'examples', `${name}.revision.yaml`), 'utf8')),
  '',
  'apiVersion: serve-revisions/v1\n',
];

const Fragments = [
  ':', ': ', '- ', '-', '  ', '\t', '\n', '#', '"', "'", '{', '}', '[', ']', ',', '&a ', '*a', '!!str ', '|', '>', '---\n', '...\n', '? ',
  'é', '漢字', '🚀', '\u0000', '\u200b', '\r\n', 'key: value', 'resources:\n  gpu:\n    count: 99', 'ports: 8080', 'env: {}', 'metric: gpu',
  'memory: 8GB', 'cpu: -1', 'minReplicas: 9', 'replicas: "3"', 'command: [a, b', 'volumes:\n- name: x', 'apiVersion: serve-revisions/v1',
];
const Values = ['', '~', 'null', 'true', '0', '-1', '1e309', '0x1F', '9'.repeat(400), 'x'.repeat(5000), '"unterminated', "'q'", '[1, 2]', '{a: 1}', '*missing', '&anchor v', '漢字🚀', '8GB', '500m', 'hf_abcdefghijklmnopqrstuvwxyz'];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function mutate(text: string, rnd: () => number): string {
  let out = text;
  const steps = 1 + Math.floor(rnd() * 4);
  for (let s = 0; s < steps; s++) {
    const lines = out.split('\n');
    const i = Math.floor(rnd() * Math.max(1, lines.length));
    const line = lines[i] ?? '';
    switch (Math.floor(rnd() * 10)) {
      case 0: {
        // broken indentation
        lines[i] = rnd() < 0.5 ? ` ${line}` : line.replace(/^ {1,3}/, '');
        break;
      }
      case 1: {
        // wrong types / huge values
        lines[i] = line.replace(/:(\s+).*$/, `:$1${pick(rnd, Values)}`);
        break;
      }
      case 2: {
        // duplicate keys
        lines.splice(i, 0, line);
        break;
      }
      case 3: {
        lines.splice(i, 1);
        break;
      }
      case 4: {
        const at = Math.floor(rnd() * (line.length + 1));
        lines[i] = line.slice(0, at) + pick(rnd, Fragments) + line.slice(at);
        break;
      }
      case 5: {
        const at = Math.floor(rnd() * (line.length + 1));
        lines[i] = line.slice(0, at) + line.slice(at + 1 + Math.floor(rnd() * 5));
        break;
      }
      case 6: {
        // anchors and aliases, including alias fan-out
        lines[i] = line.replace(/:\s+(\S)/, ': &a$1');
        lines.push(`x${i}: [*a, *a, *a, *a]`);
        break;
      }
      case 7: {
        // unicode keys and values
        lines[i] = line.replace(/^(\s*)(\w+)/, `$1${pick(rnd, ['sérvice', '服务', 'ımage', 'ｐｏｒｔｓ'])}`);
        break;
      }
      case 8: {
        out = out.slice(0, Math.floor(rnd() * out.length));
        return out;
      }
      default: {
        const from = Math.floor(rnd() * lines.length);
        lines.splice(i, 0, ...lines.slice(from, from + 3).map((l) => `  ${l}`));
      }
    }
    out = lines.join('\n');
  }
  return out;
}

function assertInside(text: string, range: Range, what: string): void {
  const lines = text.split('\n');
  for (const p of [range.start, range.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} outside 0..${lines.length - 1}`);
    assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= (lines[p.line]?.length ?? 0), `${what}: character ${p.character} outside line ${p.line} (length ${lines[p.line]?.length})`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: range ends before it starts`);
}

describe('fuzz: generated and mutated specs', function () {
  this.timeout(120_000);

  it(`survives ${Count} specs through parse, validate, complete, hover and quick fixes`, () => {
    const started = Date.now();
    let diagnosticsSeen = 0;
    let slowest = { n: -1, ms: 0, ratio: 0, bytes: 0 };
    const overBudget: Array<{ n: number; text: string }> = [];
    for (let n = 0; n < Count; n++) {
      const rnd = random(n + 1);
      const text = mutate(pick(rnd, seeds), rnd);
      const replay = `spec #${n} (seed ${n + 1}):\n${JSON.stringify(text)}`;
      try {
        const t0 = performance.now();
        const parsed = parseSpecText(text);
        const diagnostics = diagnoseParsedSpec(parsed);
        const ms = performance.now() - t0;
        const bytes = Buffer.byteLength(text);
        const ratio = ms / timeBudgetMs(bytes);
        if (ratio > slowest.ratio) slowest = { n, ms, ratio, bytes };
        if (ratio > 10) overBudget.push({ n, text });
        diagnosticsSeen += diagnostics.length;
        assert.ok(diagnostics.length <= 51, `${diagnostics.length} findings`);
        for (const d of diagnostics) {
          assert.doesNotMatch(d.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, 'a finding is one line, control characters escaped');
          assertInside(text, d.range, `diagnostic ${d.code}`);
          for (const fix of quickFixesFor(parsed, d)) for (const e of fix.edits) assertInside(text, e.range, `quick fix "${fix.title}"`);
        }
        const lines = text.split('\n');
        for (let k = 0; k < 2; k++) {
          const line = Math.floor(rnd() * lines.length);
          const position = { line, character: Math.floor(rnd() * ((lines[line]?.length ?? 0) + 1)) };
          const completion = completeSpec(text, position, { cluster: () => ['a', 'b'], defaultNamespace: 'demo' });
          for (const item of completion.items) assertInside(text, item.range, `completion ${item.label} at ${JSON.stringify(position)}`);
          const hover = hoverSpec(parsed, position);
          if (hover) assertInside(text, hover.range, `hover at ${JSON.stringify(position)}`);
        }
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${replay}`, { cause: error });
      }
    }
    assert.ok(diagnosticsSeen > Count, 'the mutations produce problems to check');
    console.log(`      ${Count} specs, ${diagnosticsSeen} diagnostics in ${Date.now() - started} ms; slowest for its size: spec #${slowest.n} (seed ${slowest.n + 1}), ${(slowest.bytes / 1024).toFixed(1)} KB in ${slowest.ms.toFixed(1)} ms, ${slowest.ratio.toFixed(1)}× its budget`);
    // A pause of the machine is not a slow checker: measure the CPU time again, and keep the fastest of three.
    const confirmed = overBudget.filter(({ text }) => {
      const times = [0, 1, 2].map(() => {
        const t0 = threadCpuMs();
        diagnoseParsedSpec(parseSpecText(text));
        return threadCpuMs() - t0;
      });
      return Math.min(...times) > 10 * timeBudgetMs(Buffer.byteLength(text));
    });
    assert.deepEqual(confirmed.map(({ n, text }) => `spec #${n}: ${JSON.stringify(text).slice(0, 300)}`), [], 'specs over ten times their time budget');
  });
});
