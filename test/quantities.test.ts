import { Chart, Testing } from 'cdk8s';
import { Autoscaled, SecureNamespace, WebApp } from '../src';
import { findObject, manifestProblems, Manifest, synthValid } from './harness';
import { isCanonicalQuantity } from './harness/quantities';
import { canonicalQuantity } from '../src/internal/core/quantity';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

/**
 * Input → the string the API server stores, from Kubernetes' own tests
 * (k8s.io/apimachinery pkg/api/resource/quantity_test.go: TestQuantityParseEmit, the
 * `alternate` → `expect` pairs of TestQuantityString, and rounding cases of TestQuantityParse)
 * and the resource.Quantity documentation ("1.5 will be serialized as 1500m, 1.5Gi as 1536Mi").
 */
const KUBERNETES_CASES: ReadonlyArray<[string, string]> = [
  // TestQuantityParseEmit
  ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'],
  ['.001Ki', '1024m'], ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  // TestQuantityString: alternate spellings and their canonical form
  ['307200Ki', '300Mi'], ['1025024Mi', '1001Gi'], ['1024Gi', '1Ti'], ['0.5', '500m'], ['0.001T', '1G'],
  ['1000u', '1m'], ['1.08', '1080m'], ['1080000000n', '1080m'], ['.001e12', '1e9'], ['0.001e0', '1e-3'],
  ['1000e-12', '1e-9'], ['00', '0'], ['5000m', '5'], ['6Ki', '6Ki'], ['1025', '1025'], ['80e-3', '80e-3'],
  ['300e6', '300e6'], ['3k', '3k'], ['1080u', '1080u'], ['80n', '80n'],
  // TestQuantityParse: zero, rounding up to a whole nano, "things written by trolls"
  ['0', '0'], ['0Ki', '0'], ['0m', '0'], ['3.001n', '4n'], ['0.0000000005', '1n'], ['0.00000012345', '124n'],
  ['1.', '1'], ['1.G', '1G'], ['.0001k', '100m'], ['100.035k', '100035'], ['50k', '50k'],
  // the resource.Quantity documentation
  ['1.5', '1500m'], ['1.5Gi', '1536Mi'],
  // the cases
  ['1000m', '1'], ['16000m', '16'],
];

describe('canonical quantities', () => {
  test.each(KUBERNETES_CASES)('%s is written as %s, as the API server stores it', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
    expect(isCanonicalQuantity(expected)).toBe(true);
  });

  test('the harness recognises the non-canonical spellings', () => {
    for (const [input, expected] of KUBERNETES_CASES) expect(isCanonicalQuantity(input)).toBe(input === expected);
  });

  test('a WebApp writes its requests and limits canonically', () => {
    // GIVEN resources spelled as users do
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new WebApp(chart, 'web', { image: IMAGE, resources: { cpu: { request: '0.5', limit: '1000m' }, memory: { request: '1024Mi' } } });
    // WHEN synthesised THEN the API server's forms are written (memory limit defaults to the request)
    const resources = findObject(synthValid(chart), 'Deployment', 'web').spec.template.spec.containers[0].resources;
    expect(resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
  });

  test('a SecureNamespace writes its quota and LimitRange canonically', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', {
      name: 'shop',
      quota: { cpu: '16000m', memory: { request: '2048Mi', limit: '4096Mi' }, pods: 1000 },
      limits: { defaultCpu: { request: '0.1', limit: '0.5' }, defaultMemory: { request: '131072Ki', limit: '0.25Gi' } },
    });
    const objects = synthValid(chart);
    expect(findObject(objects, 'ResourceQuota', 'compute-quota').spec.hard).toEqual({
      // a cpu quantity caps requests only (workloads set no cpu limit)
      'requests.cpu': '16', 'requests.memory': '2Gi', 'limits.memory': '4Gi', 'pods': '1k',
    });
    expect(findObject(objects, 'LimitRange', 'container-defaults').spec.limits[0]).toEqual({
      type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '256Mi' },
    });
  });

  test('an autoscaler writes custom metric targets canonically', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    new Autoscaled(chart, 'scaling', { target: web, maxReplicas: 5, metrics: [{ type: 'pods', name: 'rps', averageValue: '0.5' }] });
    const metrics = findObject(synthValid(chart), 'HorizontalPodAutoscaler', 'web').spec.metrics;
    expect(metrics[0].pods.target).toEqual({ type: 'AverageValue', averageValue: '500m' });
  });

  test('the harness fails an object holding a non-canonical quantity', () => {
    // GIVEN a LimitRange as a hand-written manifest would have it
    const limitRange: Manifest = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: 'shop' },
      spec: { limits: [{ type: 'Container', default: { cpu: '0.5', memory: '1024Mi' } }] },
    };
    // THEN both quantities are reported
    expect(manifestProblems([limitRange]).map(p => p.path)).toEqual(['spec.limits[0].default.cpu', 'spec.limits[0].default.memory']);
  });
});
