// Bounded work and output on pathological inputs (test/unit/fuzz/pathologicalInputs.ts): each
// runs in a fresh process through the engine bundle the editor loads (dist/engine.js), which
// reports its validation time (the fastest of three: a pause of a loaded machine is not the
// checker's time) and its peak memory above what it held before, with Node's default heap
// settings, as the extension host and the CLI run. The budget is 100 ms per 100 KB (at least
// 20 ms) and 100 MB; both are measured and printed (npm run bench:yaml prints every input), not
// asserted as they are, which a loaded machine would fail: the test fails on a time or a memory
// peak over ten times its budget (as issue 12 asks), on an exception, on more than 51 findings,
// on a finding over two lines, and when one of the largest real specs is refused instead of
// checked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBudgetMb, pathologicalInputs, timeBudgetMs } from './pathologicalInputs';

const root = join(__dirname, '../../../..');
const engine = join(root, 'dist/engine.js');
const MB = 1024 * 1024;

/** Codes of the findings that refuse a file instead of checking it. */
const Refusals = ['file-too-large', 'too-many-values', 'nesting-too-deep'];

// Runs in the child: warm up on a small spec, validate the input once for the memory peak, then
// twice more, keeping the fastest time.
const Child = `
const engine = require(process.argv[1]);
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
const warm = 'apiVersion: serve-revisions/v1\\nkind: Revision\\nservice: iris\\nmessage: m\\nimage: ghcr.io/acme/iris:1.0.0\\n';
for (let i = 0; i < 20; i++) engine.diagnoseParsedSpec(engine.parseSpecText(warm));
const base = process.memoryUsage().rss;
const run = () => { const t = performance.now(); const d = engine.diagnoseParsedSpec(engine.parseSpecText(text)); return [performance.now() - t, d]; };
let [ms, diagnostics] = run();
const peakMb = (process.resourceUsage().maxRSS * 1024 - base) / ${MB};
for (let k = 0; k < 2; k++) ms = Math.min(ms, run()[0]);
process.stdout.write(JSON.stringify({ ms, peakMb, codes: diagnostics.map((d) => d.code), multiline: diagnostics.filter((d) => /[\\n\\r\\u2028\\u2029]/.test(d.message)).length }));
`;

describe('fuzz: pathological inputs within a time and memory budget', function () {
  this.timeout(900_000);

  it('validates each in bounded time and memory with bounded, one-line output', () => {
    assert.ok(existsSync(engine), `${engine} is missing: run "npm run build" first`);
    const dir = mkdtempSync(join(tmpdir(), 'serve-revisions-budget-'));
    const rows: Array<{ name: string; kb: number; ms: number; budget: number; peakMb: number; findings: number }> = [];
    const failures: string[] = [];
    try {
      for (const [n, input] of pathologicalInputs().entries()) {
        const file = join(dir, `input-${n}.yaml`);
        writeFileSync(file, input.text);
        const bytes = Buffer.byteLength(input.text);
        const budget = timeBudgetMs(bytes);
        const child = spawnSync(process.execPath, ['-e', Child, engine, file], { encoding: 'utf8', maxBuffer: 16 * MB });
        if (child.status !== 0) {
          failures.push(`${input.name}: the validation failed (exit ${child.status}): ${child.stderr.slice(0, 500)}`);
          continue;
        }
        const result = JSON.parse(child.stdout) as { ms: number; peakMb: number; codes: string[]; multiline: number };
        rows.push({ name: input.name, kb: bytes / 1024, ms: result.ms, budget, peakMb: result.peakMb, findings: result.codes.length });
        if (result.ms > 10 * budget) failures.push(`${input.name}: ${result.ms.toFixed(0)} ms, over ten times its budget of ${budget.toFixed(0)} ms`);
        if (result.peakMb > 10 * MemoryBudgetMb) failures.push(`${input.name}: ${result.peakMb.toFixed(0)} MB, over ten times the budget of ${MemoryBudgetMb} MB`);
        if (result.codes.length > 51) failures.push(`${input.name}: ${result.codes.length} findings (at most 50 and a count)`);
        if (result.multiline > 0) failures.push(`${input.name}: ${result.multiline} findings over more than one line`);
        const refusal = result.codes.find((code) => Refusals.includes(code));
        if (input.name.startsWith('largest real spec') && refusal) failures.push(`${input.name}: refused (${refusal}) instead of checked`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const byRatio = [...rows].sort((a, b) => b.ms / b.budget - a.ms / a.budget);
    const hungriest = [...rows].sort((a, b) => b.peakMb - a.peakMb)[0];
    console.log(`      ${rows.length} inputs; over their time budget: ${rows.filter((r) => r.ms > r.budget).length}; over ${MemoryBudgetMb} MB: ${rows.filter((r) => r.peakMb > MemoryBudgetMb).length}`);
    for (const r of byRatio.slice(0, 5)) console.log(`      ${(r.ms / r.budget).toFixed(2)}× budget: ${r.name} (${r.kb.toFixed(0)} KB, ${r.ms.toFixed(0)} ms of ${r.budget.toFixed(0)}, ${r.peakMb.toFixed(0)} MB, ${r.findings} findings)`);
    if (hungriest) console.log(`      most memory: ${hungriest.name} (${hungriest.peakMb.toFixed(0)} MB)`);
    assert.deepEqual(failures, []);
  });
});
