import assert from 'node:assert/strict';
import { parseQuantity, suggestCpuQuantity, suggestMemoryQuantity } from '../../../../src/core/spec/quantity';

describe('quantity', () => {
  it('parses Kubernetes quantities into base units', () => {
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('2'), 2);
    assert.equal(parseQuantity(1.5), 1.5);
    assert.equal(parseQuantity('8Gi'), 8 * 2 ** 30);
    assert.equal(parseQuantity('8G'), 8e9);
    assert.equal(parseQuantity('128974848'), 128974848);
    assert.equal(parseQuantity('129e6'), 129e6);
    assert.equal(parseQuantity('.5'), 0.5);
  });

  it('rejects what Kubernetes rejects', () => {
    for (const bad of ['8GB', '8gb', '8 Gi', 'Gi', '', '1.2.3', '2 cores', '8g', '1KiB', '-']) {
      assert.equal(parseQuantity(bad), undefined, bad);
    }
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
