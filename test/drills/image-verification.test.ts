/* Drill: image verification admits what the Pipeline signs, and nothing else.
 *
 * A platform delivered by a Pipeline gets an ImageVerification; Kyverno's admission decision is
 * modelled from its documented semantics (./kyverno-admission.ts), and the Pipeline's signature
 * from its own rendered workflow (the sign job's cosign and the identity GitHub gives the run).
 * On main before this change there was no policy: every image below, signed or not, was admitted.
 * A policy of the default type (Cosign) or with another subject refuses even the Pipeline's own
 * signatures: the drill fails for it (see "a policy that cannot read the Pipeline's signatures").
 */
import { Chart, Testing } from 'cdk8s';
import { admit, Registry, Signature } from './kyverno-admission';
import { ACTIONS, ImageVerification, Pipeline, PipelineProps, SecureNamespace, WebApp } from '../../src';
import { Manifest, synthValid } from '../harness';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SIGNED = `sha256:${'1'.repeat(64)}`;
const UNSIGNED = `sha256:${'2'.repeat(64)}`;
const OTHER = `sha256:${'3'.repeat(64)}`;

/**
 * The signature the Pipeline's sign job leaves on `digest` when its workflow runs on a push to
 * `branch` of GitHub repository `repository`: Fulcio's certificate carries the OIDC token's issuer
 * and the run's `job_workflow_ref` (`<repo>/<workflow path>@<ref>`) as subject
 * (https://docs.sigstore.dev/certificate_authority/oidc-in-fulcio/#github); cosign 3, which
 * cosign-installer v4 installs by default (action.yml `cosign-release: v3.x`), writes a Sigstore
 * bundle as an OCI referrer unless given `--new-bundle-format=false`
 * (cmd/cosign/cli/options/sign.go: the flag defaults to true).
 */
function pipelineSignature(pipeline: Pipeline, repository: string, branch: string, digest: string): Signature {
  const sign = pipeline.workflow.jobs.sign;
  if (!sign) throw new Error('the Pipeline does not sign');
  if (!(pipeline.workflow.on.push?.branches ?? []).includes(branch)) throw new Error(`pushes to ${branch} do not run the workflow`);
  const installer = sign.steps.find(s => 'uses' in s && s.uses.repository === 'sigstore/cosign-installer');
  const run = sign.steps.map(s => ('run' in s ? s.run : '')).find(r => r.includes('cosign sign'));
  if (!installer || !run) throw new Error('no cosign in the sign job');
  const major = Number(/^v(\d+)/.exec((installer as { uses: { tag: string } }).uses.tag)![1]);
  const bundle = major >= 4 && !run.includes('--new-bundle-format=false');
  return {
    digest,
    format: bundle ? 'sigstore-bundle' : 'cosign-legacy',
    issuer: ISSUER,
    subject: `https://github.com/${repository}/${pipeline.workflowPath}@refs/heads/${branch}`,
  };
}

interface World {
  readonly policies: Manifest[];
  readonly pipeline: Pipeline;
}

function deliveredPlatform(pipelineProps: Partial<PipelineProps> = {}, verification: Record<string, unknown> = {}): World {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop' });
  const pipeline = new Pipeline(chart, 'delivery', {
    image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/shop.git' }, ...pipelineProps,
  });
  new WebApp(chart, 'web', { image: `ghcr.io/acme/web@${SIGNED}` });
  new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline, ...verification });
  const policies = synthValid(chart).filter(o => o.apiVersion === 'kyverno.io/v1');
  return { policies, pipeline };
}

function registry(...signatures: Signature[]): Registry {
  return { tags: { 'ghcr.io/acme/web:1.0.0': SIGNED, 'ghcr.io/acme/web:evil': UNSIGNED }, signatures };
}

describe('drill: ImageVerification admits exactly what the Pipeline signed', () => {
  const world = deliveredPlatform();
  const own = pipelineSignature(world.pipeline, 'acme/shop', 'main', SIGNED);

  test('the cosign the Pipeline pins writes Sigstore bundles (so the policy must read them)', () => {
    expect(ACTIONS.cosignInstaller.tag).toMatch(/^v4\./);
    expect(own.format).toBe('sigstore-bundle');
  });

  test('admits the digest the Pipeline signed, and writes the digest of a signed tag into the pod', () => {
    expect(admit(world.policies, 'shop', [`ghcr.io/acme/web@${SIGNED}`], registry(own))).toMatchObject({ admitted: true });
    expect(admit(world.policies, 'shop', ['ghcr.io/acme/web:1.0.0'], registry(own)))
      .toEqual({ admitted: true, images: [`ghcr.io/acme/web:1.0.0@${SIGNED}`], reasons: [] });
  });

  test.each([
    ['another workflow of the repository', { ...own, subject: 'https://github.com/acme/shop/.github/workflows/hotfix.yml@refs/heads/main' }],
    ['another branch', { ...own, subject: 'https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/feature' }],
    ['another repository', { ...own, subject: 'https://github.com/mallory/shop/.github/workflows/delivery.yml@refs/heads/main' }],
    ['another issuer', { ...own, issuer: 'https://accounts.google.com' }],
    ['the legacy signature format of the right workflow', { ...own, format: 'cosign-legacy' as const }],
  ])('refuses an image signed by %s', (_name, signature) => {
    expect(admit(world.policies, 'shop', [`ghcr.io/acme/web@${SIGNED}`], registry(signature))).toMatchObject({ admitted: false });
  });

  test('refuses an unsigned image, an image signed for another digest, and a tag whose digest nobody signed', () => {
    expect(admit(world.policies, 'shop', [`ghcr.io/acme/web@${UNSIGNED}`], registry(own)).admitted).toBe(false);
    expect(admit(world.policies, 'shop', [`ghcr.io/acme/web@${OTHER}`], registry(own)).admitted).toBe(false);
    expect(admit(world.policies, 'shop', ['ghcr.io/acme/web:evil'], registry(own)).admitted).toBe(false);
    expect(admit(world.policies, 'shop', ['ghcr.io/acme/web:unknown'], registry(own)).admitted).toBe(false);
  });

  test('leaves images outside the globs and pods of other namespaces alone (the mesh proxy, other teams)', () => {
    expect(admit(world.policies, 'shop', ['docker.io/istio/proxyv2:1.24.0'], registry()).admitted).toBe(true);
    expect(admit(world.policies, 'payments', [`ghcr.io/acme/web@${UNSIGNED}`], registry()).admitted).toBe(true);
  });

  test('a policy that cannot read the Pipeline\'s signatures, or names another subject, refuses the delivered image', () => {
    const withRule = (change: (rule: Record<string, any>) => void) => world.policies.map(p => {
      const copy = JSON.parse(JSON.stringify(p));
      change(copy.spec.rules[0].verifyImages[0]);
      return copy;
    });
    const delivered = [`ghcr.io/acme/web@${SIGNED}`];
    expect(admit(withRule(r => { r.type = 'Cosign'; }), 'shop', delivered, registry(own)).admitted).toBe(false);
    expect(admit(withRule(r => { delete r.type; }), 'shop', delivered, registry(own)).admitted).toBe(false);
    expect(admit(withRule(r => { r.attestors[0].entries[0].keyless.subject = 'https://github.com/acme/shop/.github/workflows/delivery.yml@refs/heads/*'; }), 'shop', delivered, registry(own)).admitted).toBe(false);
    // and without digests written in or required, a signed tag would not be pinned, an unresolvable one admitted
    expect(admit(withRule(r => { r.mutateDigest = false; }), 'shop', ['ghcr.io/acme/web:1.0.0'], registry(own)).admitted).toBe(false);
  });

  test('several branches admit each branch\'s signatures; two Pipelines admit both identities', () => {
    const branches = deliveredPlatform({ branches: ['main', 'release'] });
    for (const branch of ['main', 'release']) {
      const signature = pipelineSignature(branches.pipeline, 'acme/shop', branch, SIGNED);
      expect(admit(branches.policies, 'shop', [`ghcr.io/acme/web@${SIGNED}`], registry(signature)).admitted).toBe(true);
    }

    // one repository, two workflows: only one Pipeline has the ArgoCD Application, so the
    // repository is named (it would otherwise come from argocd.repoURL)
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const web = new Pipeline(chart, 'web-delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'git@github.com:acme/shop.git' } });
    const api = new Pipeline(chart, 'api-delivery', { image: 'ghcr.io/acme/api' });
    new WebApp(chart, 'web', { image: `ghcr.io/acme/web@${SIGNED}` });
    new WebApp(chart, 'api', { image: `ghcr.io/acme/api@${OTHER}` });
    new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline: [web, api], repository: 'acme/shop' });
    const policies = synthValid(chart).filter(o => o.apiVersion === 'kyverno.io/v1');
    const signatures = registry(pipelineSignature(web, 'acme/shop', 'main', SIGNED), pipelineSignature(api, 'acme/shop', 'main', OTHER));
    expect(admit(policies, 'shop', [`ghcr.io/acme/web@${SIGNED}`, `ghcr.io/acme/api@${OTHER}`], signatures).admitted).toBe(true);
    expect(admit(policies, 'shop', [`ghcr.io/acme/api@${UNSIGNED}`], signatures).admitted).toBe(false);
  });

  test('a ClusterPolicy over several namespaces verifies each of them and no other', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const pipeline = new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/shop.git' } });
    new WebApp(chart, 'web', { image: `ghcr.io/acme/web@${SIGNED}` });
    const staging = new Chart(app, 'staging', { namespace: 'staging' });
    new WebApp(staging, 'web', { image: `ghcr.io/acme/web@${SIGNED}` });
    new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline, namespaces: ['shop', 'staging'] });
    const policies = [...synthValid(chart), ...synthValid(staging)].filter(o => o.apiVersion === 'kyverno.io/v1');
    expect(policies.map(p => p.kind)).toEqual(['ClusterPolicy']);
    const own2 = registry(pipelineSignature(pipeline, 'acme/shop', 'main', SIGNED));
    for (const namespace of ['shop', 'staging']) {
      expect(admit(policies, namespace, [`ghcr.io/acme/web@${SIGNED}`], own2).admitted).toBe(true);
      expect(admit(policies, namespace, [`ghcr.io/acme/web@${UNSIGNED}`], own2).admitted).toBe(false);
    }
    expect(admit(policies, 'other', [`ghcr.io/acme/web@${UNSIGNED}`], own2).admitted).toBe(true);
  });
});
