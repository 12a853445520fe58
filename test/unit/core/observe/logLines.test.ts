import assert from 'node:assert/strict';
import { compareTimes, formatLogLine, LineSplitter, parseLogFilter, parseSince, safeLogText, splitTimestamp } from '../../../../src/core/observe/logLines';

describe('log lines', () => {
  it('splits a stream into lines, keeping an unfinished tail for later', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('one\ntw'), ['one']);
    assert.deepEqual(s.push('o\r\nthree\n'), ['two', 'three']);
    assert.deepEqual(s.push('four'), []);
    assert.deepEqual(s.end(), ['four']);
  });

  it('reads the timestamp the API server puts before each line, and orders them to the nanosecond', () => {
    assert.deepEqual(splitTimestamp('2026-11-28T09:00:00.123456789Z INFO ready'), { time: '2026-11-28T09:00:00.123456789Z', text: 'INFO ready' });
    assert.deepEqual(splitTimestamp('no time here'), { text: 'no time here' });
    assert.equal(compareTimes('2026-11-28T09:00:00.1Z', '2026-11-28T09:00:00.099999999Z'), 1);
    assert.equal(compareTimes('2026-11-28T09:00:00Z', '2026-11-28T09:00:00.000Z'), 0);
    assert.equal(compareTimes('2026-11-28T08:59:59.9Z', '2026-11-28T09:00:00Z'), -1);
  });

  it('keeps colours in a terminal and escapes every other control sequence', () => {
    assert.equal(safeLogText('\u001b[31mERROR\u001b[0m boom', { colours: true }), '\u001b[31mERROR\u001b[0m boom\u001b[0m');
    // Clear screen, cursor moves, window title, carriage return: shown, never acted on.
    assert.equal(safeLogText('a\u001b[2Jb\u001b[Hc\u001b]0;pwned\u0007d\re', { colours: true }), 'a\\u001b[2Jb\\u001b[Hc\\u001b]0;pwned\\u0007d\\re');
    assert.equal(safeLogText('\u001b[1;32mok\u001b[0m\tdone', { colours: false }), 'ok    done');
    assert.match(safeLogText('x'.repeat(20_000), { colours: false }), /… \(3616 more characters\)$/);
  });

  it('prefixes each line with its pod, and its container when a pod has several', () => {
    assert.equal(formatLogLine({ pod: 'iris-r2-abc', container: 'server', text: 'ready' }, { showContainer: false, colours: false }), '[iris-r2-abc] ready');
    assert.equal(formatLogLine({ pod: 'iris-r2-abc', container: 'sidecar', text: 'ready' }, { showContainer: true, colours: false }), '[iris-r2-abc/sidecar] ready');
    assert.match(formatLogLine({ pod: 'iris-r2-abc', container: 'server', text: 'ready' }, { showContainer: false, colours: true }), /^\u001b\[\d+m\[iris-r2-abc\]\u001b\[0m ready$/);
  });

  it('filters by text, case-insensitive, or by a regular expression', () => {
    const text = parseLogFilter('error');
    assert.equal(text?.matches('\u001b[31mERROR\u001b[0m boom'), true);
    assert.equal(text?.matches('INFO ok'), false);
    const regex = parseLogFilter('/POST \\/predict .* 200/');
    assert.equal(regex?.matches('"POST /predict HTTP/1.1" 200 OK'), true);
    assert.equal(regex?.matches('"GET /readyz HTTP/1.1" 200 OK'), false);
    assert.equal(parseLogFilter('  '), undefined);
    assert.throws(() => parseLogFilter('/(/'), /not a valid regular expression/);
  });

  it('reads --since as kubectl does', () => {
    assert.equal(parseSince('10m'), 600);
    assert.equal(parseSince('1h30m'), 5400);
    assert.equal(parseSince('45s'), 45);
    assert.equal(parseSince('10'), undefined);
    assert.equal(parseSince('ten minutes'), undefined);
  });
});
