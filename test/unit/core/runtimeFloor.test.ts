import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { meetsFloor, NodeFloor, nodeFloorProblem } from '../../../src/core/runtimeFloor';
import { escapeControl } from '../../../src/core/escapeText';

describe('runtime floor', () => {
  it('is engines.node of package.json, put in at build time', () => {
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines;
    assert.equal(`>=${NodeFloor}`, engines.node);
  });

  it('compares versions part by part, not as text', () => {
    assert.equal(meetsFloor('22.19.0', '22.19.0'), true);
    assert.equal(meetsFloor('v22.20.0', '22.19.0'), true);
    assert.equal(meetsFloor('24.1.0', '22.19.0'), true);
    assert.equal(meetsFloor('22.9.0', '22.19.0'), false);
    assert.equal(meetsFloor('20.20.2', '22.19.0'), false);
    assert.equal(meetsFloor('22.18.99', '22.19.0'), false);
  });

  it('says in one line which Node it needs, which one runs, and how to get one', () => {
    const problem = nodeFloorProblem('20.20.2', '/usr/bin/node', '22.19.0');
    assert.equal(problem, 'needs Node.js 22.19.0 or newer, but this is Node.js 20.20.2 (/usr/bin/node). Install Node.js 22 LTS or newer (https://nodejs.org, or `nvm install 22`) and run it with that.');
    assert.equal(nodeFloorProblem('22.19.0', '/opt/node/bin/node', '22.19.0'), undefined);
  });
});

describe('escapeControl', () => {
  it('keeps text on one line and terminal escapes inert', () => {
    assert.equal(escapeControl('bad\nline\r\t\u001b[31mred\u007f'), 'bad\\nline\\r\\t\\u001b[31mred\\u007f');
    assert.equal(escapeControl('plain "text" ü'), 'plain "text" ü');
  });
});
