import assert from 'node:assert/strict';
import { fieldLabel, formMessage } from '../../../../src/core/form/fieldLabels';
import { stateToSpec, blankFormState } from '../../../../src/core/form/formState';
import { findSpecProblems } from '../../../../src/core/spec/validateSpec';

describe('the form\'s words for fields', () => {
  it('names fields and rows as the form labels them', () => {
    assert.equal(fieldLabel(['resources', 'memory']), 'Memory');
    assert.equal(fieldLabel(['autoscaling', 'minReplicas']), 'Min replicas');
    assert.equal(fieldLabel(['env', 1, 'name']), 'Variable 2 name');
    assert.equal(fieldLabel(['env', 0, 'secretKeyRef', 'name']), 'Variable 1 Secret');
    assert.equal(fieldLabel(['ports', 0, 'containerPort']), 'Port 1 number');
    assert.equal(fieldLabel(['volumes', 2, 'persistentVolumeClaim', 'claimName']), 'Volume 3 claim name');
    assert.equal(fieldLabel(['command', 1]), 'Start command argument 2');
  });

  it('writes the checks\' messages with labels instead of paths', () => {
    assert.equal(formMessage({ path: ['service'], message: 'service must not be empty, e.g. "iris"' }), 'Service must not be empty, e.g. "iris"');
    assert.equal(formMessage({ path: ['resources', 'memory'], message: 'resources.memory "8GB" is not a Kubernetes quantity: write "8Gi" or "8G".' }), 'Memory "8GB" is not a Kubernetes quantity: write "8Gi" or "8G".');
    assert.equal(
      formMessage({ path: ['autoscaling', 'minReplicas'], message: 'autoscaling.minReplicas (5) is greater than autoscaling.maxReplicas (2): make minReplicas at most maxReplicas, e.g. swap them.' }),
      'Min replicas (5) is greater than Max replicas (2): make minReplicas at most maxReplicas, e.g. swap them.',
    );
    assert.equal(formMessage({ path: ['resources', 'gpu', 'count'], message: 'resources.gpu.count 16 is more than any node can give: the largest node has 8 × "nvidia.com/gpu" allocatable.' }), 'GPU count 16 is more than any node can give: the largest node has 8 × "nvidia.com/gpu" allocatable.');
  });

  it('leaves names that are not fields alone', () => {
    const message = 'Secret "hf-token" does not exist in namespace "demo" of context "kind.local": create it, e.g. with kubectl.';
    assert.equal(formMessage({ path: ['env', 0, 'secretKeyRef', 'name'], message }), message);
  });

  it('leaves no internal path in any message a blank form shows', () => {
    const spec = stateToSpec({ ...blankFormState(), memory: '8GB', autoscaling: true, minReplicas: '5', maxReplicas: '2', ports: [{ name: '', containerPort: 'x', protocol: '' }] });
    for (const finding of findSpecProblems(spec)) assert.doesNotMatch(formMessage(finding), /\b(resources|autoscaling|ports)(\.|\[)/, finding.message);
  });
});
