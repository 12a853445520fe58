import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { cursorContext, shapeOf, splitLines } from '../../../../src/core/language/cursorContext';

const root = join(__dirname, '../../../../..');

/** Every key of a document with its 0-based position and the path of the mapping holding it. */
function keysWithContainers(text: string): Array<{ line: number; character: number; key: string; container: Array<string | number> }> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const out: Array<{ line: number; character: number; key: string; container: Array<string | number> }> = [];
  const walk = (node: Node | null | undefined, path: Array<string | number>): void => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
        const { line, col } = lineCounter.linePos(item.key.range[0]);
        out.push({ line: line - 1, character: col - 1, key: String(item.key.value), container: path });
        walk(item.value as Node | null, [...path, String(item.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, [...path, i]));
    }
  };
  walk(doc.contents as Node | null, []);
  return out;
}

describe('cursor context', () => {
  for (const name of ['iris-bentoml', 'llama-vllm-gpu', 'whisper-volumes']) {
    it(`finds the same mapping as the YAML parser at every key of examples/${name}`, () => {
      const text = readFileSync(join(root, 'examples', `${name}.revision.yaml`), 'utf8');
      const lines = splitLines(text);
      const keys = keysWithContainers(text).filter((k) => !(lines[k.line] ?? '').slice(k.character).startsWith('{') && !/[[{]/.test((lines[k.line] ?? '').slice(0, k.character)));
      assert.ok(keys.length > 10);
      for (const k of keys) {
        const context = cursorContext(lines, { line: k.line, character: k.character });
        assert.equal(context.kind, 'key', `line ${k.line + 1}: ${lines[k.line]}`);
        if (context.kind !== 'key') continue;
        assert.deepEqual(context.path, k.container, `container of "${k.key}" on line ${k.line + 1}: ${lines[k.line]}`);
        // The key under the cursor is the one being typed: not counted as present, so it stays offered.
        assert.equal(context.siblings.has(k.key), false, `"${k.key}" on line ${k.line + 1} counted as already present`);
        const container = keysWithContainers(text).filter((o) => o.line !== k.line && JSON.stringify(o.container) === JSON.stringify(k.container)).map((o) => o.key);
        for (const present of context.siblings.keys()) assert.ok(container.includes(present), `sibling "${present}" of "${k.key}" is not in the same mapping`);
        // At the end of the key's value the field is the key's own path.
        const end = (lines[k.line] ?? '').length;
        const value = cursorContext(lines, { line: k.line, character: end });
        if (value.kind === 'value') assert.deepEqual(value.path, [...k.container, k.key]);
      }
    });
  }

  it('reads list dashes, keys and values of a line', () => {
    assert.deepEqual(shapeOf('  - - name: x # c'), { dashes: [2, 4], contentCol: 6, key: 'name', afterColon: 11, valueText: 'x', blank: false, comment: false });
    assert.equal(shapeOf('"quoted key": 1').key, 'quoted key');
    assert.equal(shapeOf('url: http://x').valueText, 'http://x');
    assert.equal(shapeOf('no colon here').key, undefined);
  });
});
