import assert from 'node:assert/strict';
import { compareQuantity, parseQuantity, quantityNumber, readQuantity, suggestCpuQuantity, suggestMemoryQuantity } from '../../../../src/core/spec/quantity';

const value = (input: string | number): number | undefined => {
  const q = parseQuantity(input);
  return q === undefined ? undefined : quantityNumber(q);
};

describe('quantity', () => {
  it('parses Kubernetes quantities into base units', () => {
    assert.equal(value('500m'), 0.5);
    assert.equal(value('2'), 2);
    assert.equal(value(1.5), 1.5);
    assert.equal(value('8Gi'), 8 * 2 ** 30);
    assert.equal(value('8G'), 8e9);
    assert.equal(value('128974848'), 128974848);
    assert.equal(value('129e6'), 129e6);
    assert.equal(value('.5'), 0.5);
    assert.equal(value('-1Ei'), -(2 ** 60));
    assert.equal(value('1E'), 1e18);
    assert.equal(value(' 2 '), 2, 'the API server trims surrounding spaces');
  });

  it('rejects what Kubernetes rejects', () => {
    for (const bad of ['8GB', '8gb', '8 Gi', '', '1.2.3', '2 cores', '8g', '1KiB', '1e', '1K', '.e-10', '\t2', '\ufeff2', '1e9223372036854775808', 'Infinity', 'NaN', Infinity]) {
      assert.equal(parseQuantity(bad), undefined, String(bad));
    }
  });

  it('accepts what Kubernetes accepts, however odd', () => {
    // Checked against k8s.io/apimachinery v0.34 (cluster/tools/kubernetes/specoracle).
    for (const odd of ['Gi', '-', '+', '.', '1.', '1.G', 'm', '00012', '+1e+3', '\u00a02']) assert.notEqual(parseQuantity(odd), undefined, odd);
    assert.equal(value('Gi'), 0);
  });

  it("keeps decimal exponents within this tool's ±1000", () => {
    assert.equal(readQuantity('1e1000') === 'exponent', false);
    assert.equal(readQuantity('1e1001'), 'exponent');
    assert.equal(readQuantity('1e2147483648'), 'exponent');
  });

  it('compares exactly', () => {
    const q = (s: string) => parseQuantity(s) ?? assert.fail(s);
    assert.equal(compareQuantity(q('1000m'), '1'), 0);
    assert.equal(compareQuantity(q('1Mi'), '1048576'), 0);
    assert.equal(compareQuantity(q('999999n'), '1m'), -1);
    assert.equal(compareQuantity(q('-1Ei'), '0'), -1);
    assert.equal(compareQuantity(q('1e-1000'), '1n'), -1);
  });

  it('suggests the quantity a user meant', () => {
    assert.deepEqual(suggestMemoryQuantity('8GB'), ['8Gi', '8G']);
    assert.deepEqual(suggestMemoryQuantity('512mb'), ['512Mi', '512M']);
    assert.deepEqual(suggestMemoryQuantity('4GiB'), ['4Gi']);
    assert.deepEqual(suggestMemoryQuantity('lots'), []);
    assert.deepEqual(suggestCpuQuantity('2 cores'), ['2']);
    assert.deepEqual(suggestCpuQuantity('500 millicores'), ['500m']);
  });
});
