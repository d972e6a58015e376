import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as plus28 from 'cdk8s-plus-28';
import { CanaryRelease, ImageVerification, ImageVerificationProps, Pipeline, PipelineProps, ScheduledJob, SecureNamespace, StatefulApp, WebApp, Worker } from '../src';
import { findObject, Manifest, synthValid } from './harness';

const WEB = `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`;
const API = `ghcr.io/acme/api@sha256:${'b'.repeat(64)}`;

function shop(app: App = Testing.app()): Chart {
  return new Chart(app, 'shop', { namespace: 'shop' });
}

function delivery(chart: Chart, props: Partial<PipelineProps> = {}): Pipeline {
  return new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/shop.git' }, ...props });
}

function verified(props: Partial<ImageVerificationProps> = {}, pipelineProps: Partial<PipelineProps> = {}): Manifest[] {
  const chart = shop();
  const pipeline = delivery(chart, pipelineProps);
  new WebApp(chart, 'web', { image: WEB });
  new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline, ...props });
  return synthValid(chart);
}

function rule(objects: Manifest[], kind = 'Policy'): Record<string, any> {
  return objects.find(o => o.kind === kind)!.spec.rules[0];
}

describe('ImageVerification', () => {
  test('writes a namespaced Kyverno Policy that admits only the Pipeline workflow\'s keyless Sigstore bundles', () => {
    // GIVEN a Pipeline delivering from main to github.com/acme/shop
    const objects = verified();
    const policy = findObject(objects, 'Policy', 'verify-images');
    // THEN see https://kyverno.io/docs/policy-types/cluster-policy/verify-images/sigstore/#verifying-sigstore-bundles
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.metadata.annotations).toMatchObject({ 'pod-policies.kyverno.io/autogen-controllers': 'none', 'argocd.argoproj.io/sync-wave': '-1' });
    expect(policy.spec).toMatchObject({ background: false, webhookConfiguration: { failurePolicy: 'Fail' } });
    expect(rule(objects)).toEqual({
      name: 'verify-signatures',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      verifyImages: [{
        imageReferences: ['ghcr.io/acme/*'],
        type: 'SigstoreBundle',
        failureAction: 'Enforce',
        mutateDigest: true,
        verifyDigest: true,
        required: true,
        attestors: [{
          count: 1,
          entries: [{
            keyless: {
              issuer: 'https://token.actions.githubusercontent.com',
              subject: 'https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/main',
            },
          }],
        }],
      }],
    });
  });

  test.each([
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['ssh://git@github.com/acme/shop', 'acme/shop'],
    ['https://github.com/Acme/Shop-Web/', 'Acme/Shop-Web'],
  ])('derives the repository from argocd.repoURL %s', (repoURL, repository) => {
    const subject = rule(verified({}, { argocd: { repoURL } })).verifyImages[0].attestors[0].entries[0].keyless.subject;
    expect(subject).toBe(`https://github.com/${repository}/.github/workflows/delivery.yml@refs/heads/main`);
  });

  test('one subject per branch of the Pipeline, its workflowPath, or the given repository, workflowPath and branch', () => {
    const subjects = (objects: Manifest[]) => rule(objects).verifyImages[0].attestors[0].entries.map((e: any) => e.keyless.subject);
    expect(subjects(verified({}, { branches: ['main', 'release'], workflowPath: '.github/workflows/deliver.yaml' }))).toEqual([
      'https://github.com/acme/shop/.github/workflows/deliver.yaml@refs/heads/main',
      'https://github.com/acme/shop/.github/workflows/deliver.yaml@refs/heads/release',
    ]);
    expect(subjects(verified({ repository: 'acme/mirror', branch: 'release' }, { branches: ['main', 'release/*'] })))
      .toEqual(['https://github.com/acme/mirror/.github/workflows/delivery.yml@refs/heads/release']);
    const chart = shop();
    new WebApp(chart, 'web', { image: WEB });
    new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/web@*'], repository: 'acme/web', workflowPath: '.github/workflows/release.yml' });
    expect(subjects(synthValid(chart))).toEqual(['https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main']);
  });

  test('several namespaces give one ClusterPolicy matching them; skipImages become skipImageReferences', () => {
    const app = Testing.app();
    const chart = shop(app);
    const staging = new Chart(app, 'staging', { namespace: 'staging' });
    const pipeline = delivery(chart);
    new WebApp(chart, 'web', { image: WEB });
    new StatefulApp(staging, 'cache', { image: 'docker.io/library/redis:7.2.4', port: 6379, appProtocol: 'tcp', storage: { size: '1Gi', mountPath: '/data' } });
    new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], skipImages: ['docker.io/library/redis*'], pipeline, namespaces: ['staging', 'shop'] });
    const objects = [...synthValid(chart), ...synthValid(staging)];
    const policy = findObject(objects, 'ClusterPolicy', 'verify-images');
    expect(policy.metadata.namespace).toBeUndefined();
    expect(rule(objects, 'ClusterPolicy').match).toEqual({ any: [{ resources: { kinds: ['Pod'], namespaces: ['shop', 'staging'] } }] });
    expect(rule(objects, 'ClusterPolicy').verifyImages[0].skipImageReferences).toEqual(['docker.io/library/redis*']);
  });

  test('SecureNamespace.verifyImages is the short form', () => {
    const chart = shop();
    const pipeline = delivery(chart);
    new WebApp(chart, 'web', { image: WEB });
    const ns = new SecureNamespace(chart, 'ns', { name: 'shop', verifyImages: { images: ['ghcr.io/acme/*'], pipeline } });
    const objects = synthValid(chart);
    expect(ns.imageVerification?.subjects).toEqual(['https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/main']);
    expect(rule(objects).verifyImages[0].imageReferences).toEqual(['ghcr.io/acme/*']);
  });

  describe('bad input', () => {
    test('fails when a Pipeline has no repository to derive the subject from, naming the fix', () => {
      const chart = shop();
      const pipeline = new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web' });
      expect(() => new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline }))
        .toThrow(/shop\/verify: invalid pipeline "shop\/delivery": the Pipeline has no argocd.repoURL .*give repository \("owner\/repo"/);
      const gitlab = new Pipeline(shop(), 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://gitlab.com/acme/shop.git' } });
      expect(() => new ImageVerification(gitlab.node.scope!, 'verify', { images: ['ghcr.io/acme/*'], pipeline: gitlab }))
        .toThrow(/is not a github.com repository.*give repository/);
    });

    test('fails without a pipeline or a repository and workflowPath, on branch patterns, and on a Pipeline that does not sign', () => {
      expect(() => new ImageVerification(shop(), 'verify', { images: ['ghcr.io/acme/*'], repository: 'acme/shop' }))
        .toThrow(/shop\/verify: invalid workflowPath undefined: the signing workflow is unknown: give pipeline/);
      expect(() => verified({}, { branches: ['main', 'release/*'] })).toThrow(/branch pattern "release\/\*".*give branch/);
      expect(() => verified({}, { sign: false })).toThrow(/does not sign its images \(sign: false\)/);
      expect(() => verified({}, { workflowPath: 'examples/shop/.github/workflows/delivery.yml' }))
        .toThrow(/workflow file "examples\/shop\/.github\/workflows\/delivery.yml" is not directly in .github\/workflows\/.*give workflowPath/);
      expect(() => verified({ repository: 'acme' })).toThrow(/invalid repository "acme": must be a GitHub repository "owner\/repo"/);
      expect(() => verified({ branch: 'release/*' })).toThrow(/invalid branch "release\/\*": must be one branch name/);
      expect(() => verified({ images: ['*'] })).toThrow(/invalid images\[0\] "\*"/);
      expect(() => new ImageVerification(new Chart(Testing.app(), 'c'), 'verify', { images: ['x/*'], repository: 'a/b', workflowPath: '.github/workflows/a.yml' }))
        .toThrow(/invalid namespaces undefined: chart c sets no namespace; give namespaces/);
    });

    test('fails when a glob matches nothing the workloads run, naming what they run', () => {
      // ghcr.io/acme/web without "*": Kyverno matches "ghcr.io/acme/web@sha256:…", so it would verify nothing
      expect(() => verified({ images: ['ghcr.io/acme/web'] }))
        .toThrow(/shop\/verify: invalid images\[0\] "ghcr.io\/acme\/web": matches no image the workloads of namespace "shop" run \(they run "ghcr.io\/acme\/web@sha256:a+"\); .*end the glob with "\*"/);
      expect(() => verified({ images: ['ghcr.io/acme/*'], skipImages: ['quay.io/*'] })).toThrow(/invalid skipImages\[0\] "quay.io\/\*": matches no image/);
    });

    test('fails when a glob would also verify the Istio proxy the mesh injects (never in the manifests), unless skipped', () => {
      const build = (props: Partial<ImageVerificationProps>) => {
        const chart = shop();
        new WebApp(chart, 'web', { image: WEB });
        new Worker(chart, 'cache', { image: 'docker.io/library/busybox:1.36.1' });
        new ImageVerification(chart, 'verify', { repository: 'acme/shop', workflowPath: '.github/workflows/d.yml', images: ['ghcr.io/*'], ...props });
        return synthValid(chart);
      };
      expect(() => build({ images: ['docker.io/*', 'ghcr.io/*'] }))
        .toThrow(/invalid images\[0\] "docker.io\/\*": also matches Istio's proxy image \(docker.io\/istio\/proxyv2\).*skipImages: \["docker.io\/istio\/\*"\]/);
      expect(() => build({ images: ['docker.io/*', 'ghcr.io/*'], skipImages: ['docker.io/istio/*'] })).not.toThrow();
      expect(() => build({ images: ['ghcr.io/*'], skipImages: ['docker.io/library/*'] })).not.toThrow();
    });

    test('fails when a workload of a verifying namespace runs an image no glob covers; skipping it is the way out', () => {
      const build = (skip?: string[]) => {
        const chart = shop();
        const pipeline = delivery(chart);
        new WebApp(chart, 'web', { image: WEB });
        new Worker(chart, 'worker', { image: 'docker.io/library/busybox:1.36.1', sidecars: [{ name: 'helper', image: API }] });
        new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/web*', 'ghcr.io/acme/api*'], skipImages: skip, pipeline });
        return synthValid(chart);
      };
      expect(() => build()).toThrow(/Deployment "worker" \(shop\/worker\) container "worker" runs image "docker.io\/library\/busybox:1.36.1" in namespace "shop", which no image glob of its ImageVerification \(shop\/verify\) covers.*or to skipImages/);
      expect(() => build(['docker.io/library/busybox*'])).not.toThrow();
    });

    test('fails when two verifications of a namespace verify an image with different signers', () => {
      const chart = shop();
      const pipeline = delivery(chart);
      new WebApp(chart, 'web', { image: WEB });
      new ScheduledJob(chart, 'report', { image: API, schedule: '0 2 * * *' });
      new ImageVerification(chart, 'web-images', { images: ['ghcr.io/acme/*'], pipeline });
      new ImageVerification(chart, 'api-images', { name: 'verify-api', images: ['ghcr.io/acme/api*'], repository: 'acme/api', workflowPath: '.github/workflows/release.yml' });
      expect(() => synthValid(chart)).toThrow(/runs image "ghcr.io\/acme\/api@sha256:b+" in namespace "shop", which shop\/web-images and shop\/api-images both verify with different signers.*narrow the globs/);
    });

    test('reads what is really written: JSON patches, cdk8s-plus workloads and both canary tracks', () => {
      // an image changed by a JSON patch after the construct wrote it
      const patched = shop();
      const pipeline = delivery(patched);
      const web = new WebApp(patched, 'web', { image: WEB });
      ApiObject.of(web.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'quay.io/mallory/web:1.0.0'));
      new ImageVerification(patched, 'verify', { images: ['ghcr.io/acme/*', 'quay.io/acme/*'], pipeline });
      expect(() => synthValid(patched)).toThrow(/Deployment "web" \(shop\/web\) container "web" runs image "quay.io\/mallory\/web:1.0.0".*no image glob/);

      // a cdk8s-plus Deployment of the namespace counts like the library's own workloads
      const plus = shop();
      new WebApp(plus, 'web', { image: WEB });
      new plus28.Deployment(plus, 'legacy', { containers: [{ image: 'docker.io/acme/legacy:3.1.0' }] });
      new ImageVerification(plus, 'verify', { images: ['ghcr.io/acme/*'], pipeline: delivery(plus) });
      expect(() => plus.toJson()).toThrow(/container "main" runs image "docker.io\/acme\/legacy:3.1.0" in namespace "shop", which no image glob/);

      // the canary track's image is checked as well as the stable one's
      const canary = shop();
      new CanaryRelease(canary, 'checkout', { port: 8080, stable: { image: WEB }, canary: { image: 'ghcr.io/other/checkout:2.1.0' }, canaryWeight: 10 });
      new ImageVerification(canary, 'verify', { images: ['ghcr.io/acme/*'], pipeline: delivery(canary) });
      expect(() => synthValid(canary)).toThrow(/Deployment "checkout-canary" .*runs image "ghcr.io\/other\/checkout:2.1.0"/);
    });

    test('fails on a construct that is not a Pipeline (plain JavaScript)', () => {
      const chart = shop();
      const web = new WebApp(chart, 'web', { image: WEB });
      expect(() => new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline: web as any })).toThrow(/shop\/verify: invalid pipeline .*must be a Pipeline/);
    });

    test('fails when two policies take one name', () => {
      const chart = shop();
      const pipeline = delivery(chart);
      new WebApp(chart, 'web', { image: WEB });
      new ImageVerification(chart, 'a', { images: ['ghcr.io/acme/*'], pipeline });
      expect(() => new ImageVerification(chart, 'b', { images: ['ghcr.io/acme/*'], pipeline }))
        .toThrow(/shop\/b: invalid name "verify-images": a Policy named "verify-images" already exists in namespace "shop"/);
    });
  });
});
