import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest, validateManifests } from './harness';

const REPO = path.join(__dirname, '..');

/** The first TypeScript block of the README (after `heading` when given), importing this checkout instead of the package. */
function readmeExample(heading?: string): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const from = heading === undefined ? 0 : readme.indexOf(`\n${heading}\n`);
  if (from < 0) throw new Error(`README.md has no section ${heading}`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(from));
  if (!block) throw new Error('README.md has no ```ts block');
  return block[1]
    .replace(/from 'cloudnative-constructs'/g, `from ${JSON.stringify(path.join(REPO, 'src'))}`)
    .replace(/from 'cdk8s'/g, `from ${JSON.stringify(path.join(REPO, 'node_modules', 'cdk8s'))}`);
}

describe('README', () => {
  test('the complete example runs and writes valid manifests and the workflow', () => {
    // GIVEN the README example in an empty directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    fs.writeFileSync(path.join(dir, 'example.ts'), readmeExample());
    // WHEN it runs
    execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['example.ts'], { cwd: dir, stdio: 'pipe' });
    // THEN it wrote the manifests and the workflow, and every object passes the harness
    const read = (file: string) => parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', file), 'utf8')).map(d => d.toJSON() as Manifest);
    const objects = [...read('shop.k8s.yaml'), ...read('argocd/argocd.k8s.yaml')];
    validateManifests(objects);
    // the Application lives outside what it syncs: dist/argocd/, while it syncs dist/shop.k8s.yaml only
    expect(read('argocd/argocd.k8s.yaml').map(o => [o.kind, o.spec.source.path, o.spec.source.directory])).toEqual([['Application', 'dist', { include: 'shop.k8s.yaml' }]]);
    expect(objects.map(o => o.kind)).toEqual(expect.arrayContaining([
      'Namespace', 'Deployment', 'Service', 'Gateway', 'HTTPRoute', 'HorizontalPodAutoscaler', 'VirtualService', 'DestinationRule', 'NetworkPolicy', 'Application',
    ]));
    // the gateway's pods reach the routed web app only; plain HTTP only redirects
    expect(objects.filter(o => o.kind === 'NetworkPolicy' && /public/.test(o.metadata.name)).map(o => o.metadata.name).sort()).toEqual(['public-listeners', 'public-to-web', 'web-from-public']);
    expect(objects.find(o => o.kind === 'HTTPRoute' && o.metadata.name === 'public-https-redirect')?.spec.parentRefs[0].sectionName).toEqual('http');
    expect(fs.existsSync(path.join(dir, '.github', 'workflows', 'delivery.yml'))).toBe(true);
  });

  test('the workload options example synthesises valid manifests with every option written', () => {
    // GIVEN the example of the "Workload options" section, printing its chart
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-options-'));
    fs.writeFileSync(path.join(dir, 'example.ts'), `${readmeExample('## Workload options')}\nprocess.stdout.write(JSON.stringify(chart.toJson()));\n`);
    // WHEN it runs
    const output = execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['example.ts'], { cwd: dir, stdio: 'pipe' }).toString();
    // THEN every object passes the harness, and the api pod carries what the example asked for
    const objects = JSON.parse(output) as Manifest[];
    validateManifests(objects);
    const pod = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!.spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['api', 'tls-proxy']);
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['migrate']);
    expect(objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'api-from-prometheus')!.spec.ingress[0].ports).toEqual([{ port: 9090, protocol: 'TCP' }]);
  });

  test('the metrics and objectives example synthesises valid monitors, policies, rules and dashboard', () => {
    // GIVEN the example of the "Metrics and service level objectives" section, printing its chart
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-metrics-'));
    fs.writeFileSync(path.join(dir, 'example.ts'), `${readmeExample('## Metrics and service level objectives')}\nprocess.stdout.write(JSON.stringify(chart.toJson()));\n`);
    // WHEN it runs
    const output = execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['example.ts'], { cwd: dir, stdio: 'pipe' }).toString();
    // THEN every object passes the harness, and it wrote what the section describes
    const objects = JSON.parse(output) as Manifest[];
    validateManifests(objects);
    const names = objects.map(o => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(expect.arrayContaining([
      'ServiceMonitor/api', 'NetworkPolicy/api-from-monitoring', 'AuthorizationPolicy/api-from-monitoring', 'PeerAuthentication/api-metrics',
      'PrometheusRule/api-slo', 'ConfigMap/api-slo-dashboard',
    ]));
    expect(names).not.toContain('NetworkPolicy/allow-monitoring');
  });

  test('the progressive delivery example synthesises a valid Rollout scaled by its autoscaler', () => {
    // GIVEN the example of the "Progressive delivery on Argo Rollouts" section, printing its chart
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-progressive-'));
    fs.writeFileSync(path.join(dir, 'example.ts'), `${readmeExample('## Progressive delivery on Argo Rollouts')}\nprocess.stdout.write(JSON.stringify(chart.toJson()));\n`);
    // WHEN it runs
    const output = execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['example.ts'], { cwd: dir, stdio: 'pipe' }).toString();
    // THEN every object passes the harness, with the steps and analysis the example asked for
    const objects = JSON.parse(output) as Manifest[];
    validateManifests(objects);
    const rollout = objects.find(o => o.kind === 'Rollout' && o.metadata.name === 'api')!;
    expect(rollout.spec.strategy.canary.steps.filter((s: any) => s.setWeight !== undefined).map((s: any) => s.setWeight)).toEqual([10, 50, 100]);
    expect(rollout.spec.replicas).toBeUndefined();
    expect(objects.filter(o => o.kind === 'AnalysisTemplate').map(o => o.metadata.name)).toEqual(['api-success-rate', 'api-latency']);
  });

  test('the signed images and secrets example synthesises a valid policy, ExternalSecret and workload that reads it', () => {
    // GIVEN the example of the "Signed images and secrets from a store" section, printing its chart
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-supply-'));
    fs.writeFileSync(path.join(dir, 'example.ts'), `${readmeExample('## Signed images and secrets from a store')}\nprocess.stdout.write(JSON.stringify(chart.toJson()));\n`);
    // WHEN it runs
    const output = execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['example.ts'], { cwd: dir, stdio: 'pipe' }).toString();
    // THEN every object passes the harness (the Kyverno and ESO CRDs included), as the section describes
    const objects = JSON.parse(output) as Manifest[];
    validateManifests(objects);
    const policy = objects.find(o => o.kind === 'Policy' && o.metadata.name === 'verify-images')!;
    expect(policy.spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless.subject).toBe('https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/main');
    const web = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    expect(web.spec.template.metadata.annotations).toHaveProperty('checksum/external-secrets');
    expect(objects.filter(o => o.kind === 'ExternalSecret').map(o => o.metadata.name)).toEqual(['web-db']);
  });
});
