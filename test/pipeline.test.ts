import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ACTIONS, CanaryRelease, imageFromDigestFile, Pipeline, PipelineProps, SecureNamespace, usesOf, WebApp, writeWorkflows } from '../src';
import { findObject, synthValid, validateWorkflows } from './harness';

const IMAGE = 'ghcr.io/acme/web';
const REPO_URL = 'https://github.com/acme/shop.git';
const DIGEST = 'sha256:' + 'ab'.repeat(32);

function chartIn(app = Testing.app()): Chart {
  return new Chart(app, 'shop', { namespace: 'shop' });
}

function pipeline(props: Partial<PipelineProps> = {}, id = 'delivery'): Pipeline {
  return new Pipeline(chartIn(), id, { image: IMAGE, ...props });
}

/** The workflow as GitHub reads it (plain object with the rendered keys). */
function workflowOf(p: Pipeline): any {
  return parse(p.toYaml());
}

function steps(workflow: any): any[] {
  return Object.values<any>(workflow.jobs).flatMap((job) => job.steps);
}

// Every workflow the tests below produce; each is checked by GitHub's own parser at the end.
const VARIANTS: Record<string, Partial<PipelineProps>> = {
  'defaults': {},
  'argocd and options': {
    branches: ['main', 'release/**'],
    test: { install: 'npm ci --ignore-scripts', run: ['npm run lint', 'npm test'], nodeVersion: '20.x' },
    dockerfile: 'docker/web.Dockerfile',
    context: 'web',
    scan: { severity: 'critical', ignoreUnfixed: false },
    synth: { command: 'npm run synth', outdir: 'manifests' },
    deliver: { digestFile: 'examples/shop/image-digests.json' },
    argocd: { repoURL: REPO_URL, automated: true },
  },
  'docker hub without scan or signing': { image: 'acme/web', scan: false, sign: false, registry: { passwordSecret: 'DOCKERHUB_TOKEN' } },
  'other registry': { image: 'registry.example.com:5000/team/web', runsOn: 'ubuntu-22.04' },
};
const WORKFLOWS = Object.fromEntries(Object.entries(VARIANTS).map(([k, v]) => [k, pipeline(v)]));

describe('Pipeline workflow', () => {
  // GIVEN a Pipeline with only an image
  const p = WORKFLOWS.defaults;
  const workflow = workflowOf(p);

  test('every variant passes GitHub\'s own workflow parser with zero errors', () => {
    const names = Object.keys(WORKFLOWS);
    const errors = validateWorkflows(names.map((name) => ({ name: `${name}.yml`, content: WORKFLOWS[name].toYaml() })));
    expect(Object.fromEntries(names.map((n, i) => [n, errors[i]]))).toEqual(Object.fromEntries(names.map((n) => [n, []])));
  });

  test('is named after the construct id and written to .github/workflows/<name>.yml', () => {
    expect(workflow.name).toEqual('delivery');
    expect(p.workflowPath).toEqual('.github/workflows/delivery.yml');
  });

  test('triggers on pushes and pull requests to main, and manually', () => {
    expect(workflow.on).toEqual({
      push: { branches: ['main'] },
      pull_request: { branches: ['main'] },
      workflow_dispatch: {},
    });
    expect(workflowOf(WORKFLOWS['argocd and options']).on.push.branches).toEqual(['main', 'release/**']);
  });

  test('grants nothing at the top level and only what each job uses', () => {
    expect(workflow.permissions).toEqual({});
    const perms = Object.fromEntries(Object.entries<any>(workflow.jobs).map(([id, job]) => [id, job.permissions]));
    expect(perms).toEqual({
      test: { contents: 'read' },
      build: { contents: 'read', packages: 'write' },
      plan: { contents: 'read' },
      scan: { 'actions': 'read', 'contents': 'read', 'packages': 'read', 'security-events': 'write' },
      sign: { 'id-token': 'write', 'packages': 'write' },
      deliver: { contents: 'write' },
    });
  });

  test('registries other than ghcr.io log in with secrets and get no packages permission', () => {
    const w = workflowOf(WORKFLOWS['other registry']);
    expect(w.jobs.build.permissions).toEqual({ contents: 'read' });
    expect(w.jobs.sign.permissions).toEqual({ 'id-token': 'write' });
    const login = w.jobs.build.steps.find((s: any) => s.uses === usesOf(ACTIONS.login));
    expect(login.with).toEqual({
      registry: 'registry.example.com:5000',
      username: '${{ secrets.REGISTRY_USERNAME }}',
      password: '${{ secrets.REGISTRY_PASSWORD }}',
    });
    const hub = workflowOf(WORKFLOWS['docker hub without scan or signing']).jobs.build.steps.find((s: any) => s.uses === usesOf(ACTIONS.login));
    expect(hub.with).toEqual({ username: '${{ secrets.REGISTRY_USERNAME }}', password: '${{ secrets.DOCKERHUB_TOKEN }}' });
  });

  test('only the signing job can request an OIDC token', () => {
    for (const w of Object.values(WORKFLOWS).map(workflowOf)) {
      const withToken = Object.entries<any>(w.jobs).filter(([, job]) => 'id-token' in job.permissions).map(([id]) => id);
      expect(withToken).toEqual(w.jobs.sign ? ['sign'] : []);
    }
  });

  test('runs test → build → scan → sign → deliver', () => {
    const needs = Object.fromEntries(Object.entries<any>(workflow.jobs).map(([id, job]) => [id, job.needs ?? []]));
    expect(needs).toEqual({ test: [], build: ['test'], plan: [], scan: ['build'], sign: ['build', 'scan'], deliver: ['build', 'scan', 'sign'] });
    const bare = workflowOf(WORKFLOWS['docker hub without scan or signing']);
    expect(Object.keys(bare.jobs)).toEqual(['test', 'build', 'plan', 'deliver']);
    expect(bare.jobs.deliver.needs).toEqual(['build']);
  });

  test('pull requests test and build without pushing; scan, sign and deliver skip them', () => {
    const notPr = "github.event_name != 'pull_request'";
    expect(workflow.jobs.test.if).toBeUndefined();
    expect(workflow.jobs.build.if).toBeUndefined();
    const build = workflow.jobs.build.steps.find((s: any) => s.uses === usesOf(ACTIONS.buildPush));
    expect(build.with.push).toEqual(`\${{ ${notPr} }}`);
    expect(workflow.jobs.build.steps.find((s: any) => s.uses === usesOf(ACTIONS.login)).if).toEqual(notPr);
    expect(workflow.jobs.scan.if).toEqual(notPr);
    expect(workflow.jobs.sign.if).toEqual(notPr);
    expect(workflow.jobs.deliver.if).toEqual(`${notPr} && github.ref == 'refs/heads/main'`);
  });

  test('plans pull requests against the base branch\'s committed output, read-only, the base branch reaching the script through env', () => {
    const w = workflowOf(WORKFLOWS['argocd and options']);
    const plan = w.jobs.plan;
    expect(plan.if).toEqual("github.event_name == 'pull_request'");
    expect(plan.permissions).toEqual({ contents: 'read' });
    expect(plan.env).toEqual({ OUTDIR: 'manifests', SYNTH_COMMAND: 'npm run synth', BASE_REF: '${{ github.base_ref }}' });
    // fetch-depth 0 fetches every branch as origin/<branch>, so the base branch is there to compare with
    expect(plan.steps[0]).toMatchObject({ uses: usesOf(ACTIONS.checkout), with: { 'persist-credentials': false, 'fetch-depth': 0 } });
    expect(plan.steps.map((s: any) => s.run ?? s.uses)).toEqual([
      usesOf(ACTIONS.checkout), usesOf(ACTIONS.setupNode), 'npm ci --ignore-scripts',
      'npx --no-install cloudnative-constructs plan --command "$SYNTH_COMMAND" --outdir "$OUTDIR" --base "origin/${BASE_REF}" --summary "$GITHUB_STEP_SUMMARY"\n',
    ]);
    expect(plan.needs).toBeUndefined();
  });

  test('builds with provenance and SBOM and outputs the pushed digest', () => {
    const build = workflow.jobs.build.steps.find((s: any) => s.uses === usesOf(ACTIONS.buildPush));
    expect(build.with).toMatchObject({ context: '.', file: 'Dockerfile', provenance: 'mode=max', sbom: true });
    expect(workflow.jobs.build.outputs).toEqual({ digest: `\${{ steps.${build.id}.outputs.digest }}` });
  });

  test('scans the pushed digest, uploads SARIF and fails on fixable CRITICAL and HIGH', () => {
    const [report, upload, gate] = workflow.jobs.scan.steps.slice(1);
    const ref = '${{ env.IMAGE }}@${{ needs.build.outputs.digest }}';
    expect(report.with).toMatchObject({ 'image-ref': ref, 'format': 'sarif', 'exit-code': '0' });
    expect(upload.uses).toEqual(usesOf(ACTIONS.uploadSarif));
    expect(upload.with.sarif_file).toEqual(report.with.output);
    expect(gate.with).toEqual({ 'image-ref': ref, 'format': 'table', 'severity': 'CRITICAL,HIGH', 'ignore-unfixed': true, 'exit-code': '1' });
    const custom = workflowOf(WORKFLOWS['argocd and options']).jobs.scan.steps[3];
    expect(custom.with).toMatchObject({ 'severity': 'CRITICAL', 'ignore-unfixed': false });
  });

  test('signs the digest keylessly, passing it through env', () => {
    const sign = workflow.jobs.sign.steps.at(-1);
    expect(sign.run).toEqual('cosign sign --yes "${IMAGE}@${DIGEST}"\n');
    expect(sign.env).toEqual({ DIGEST: '${{ needs.build.outputs.digest }}' });
    expect(workflow.env).toEqual({ IMAGE });
  });

  test('deliver records the digest, fails on drift, synthesises and commits', () => {
    const w = workflowOf(WORKFLOWS['argocd and options']);
    expect(w.jobs.deliver.env).toEqual({
      OUTDIR: 'manifests',
      WORKFLOW_FILE: '.github/workflows/delivery.yml',
      DIGEST_FILE: 'examples/shop/image-digests.json',
      DELIVER_BRANCH: 'main',
      SYNTH_COMMAND: 'npm run synth',
    });
    const runs = w.jobs.deliver.steps.filter((s: any) => s.run).map((s: any) => s.run);
    expect(runs[0]).toEqual('npm ci --ignore-scripts');
    expect(runs[1]).toMatch(/^npm run synth\nif \[ ! -d "\$OUTDIR" \]; then/);
    expect(runs[1]).toContain('git check-ignore -q --no-index -- "$OUTDIR/"');
    expect(runs[1]).toContain('if [ -n "$(git status --porcelain -- "$OUTDIR" ":(top)$WORKFLOW_FILE")" ]; then');
    expect(runs[2]).toContain('jq -S --arg image "$IMAGE" --arg digest "$DIGEST" \'.[$image] = $digest\' > "$DIGEST_FILE"');
    expect(runs[3]).toEqual('npm run synth\n');
    expect(runs[4]).toEqual('npx --no-install cloudnative-constructs plan --command "$SYNTH_COMMAND" --outdir "$OUTDIR" --summary "$GITHUB_STEP_SUMMARY"\n');
    expect(runs[5]).toContain('git push origin "HEAD:refs/heads/${DELIVER_BRANCH}"');
    // a refused push (another delivery landed first) starts again from the new head
    expect(runs[5]).toContain('git reset --hard FETCH_HEAD');
    expect(runs[5]).toMatch(/for attempt in 1 2 3 4 5; do[\s\S]*npm run synth[\s\S]*done/);
    expect(w.jobs.deliver.concurrency).toEqual({ 'group': 'gitops-deliver-main', 'cancel-in-progress': false });
  });

  test('the test job installs and runs each command on the chosen Node.js', () => {
    const w = workflowOf(WORKFLOWS['argocd and options']);
    expect(w.jobs.test.steps.map((s: any) => s.run ?? s.uses)).toEqual([
      usesOf(ACTIONS.checkout), usesOf(ACTIONS.setupNode), 'npm ci --ignore-scripts', 'npm run lint', 'npm test',
    ]);
    expect(w.jobs.test.steps[1].with).toEqual({ 'node-version': '20.x', 'cache': 'npm' });
    expect(workflow.jobs.test.steps[1].with['node-version']).toEqual('22');
  });

  test('checks out without persisted credentials except in the job that pushes', () => {
    for (const w of Object.values(WORKFLOWS).map(workflowOf)) {
      for (const [id, job] of Object.entries<any>(w.jobs)) {
        for (const s of job.steps.filter((x: any) => x.uses === usesOf(ACTIONS.checkout))) {
          expect({ id, persist: s.with['persist-credentials'] }).toEqual({ id, persist: id === 'deliver' });
        }
      }
    }
  });

  test('has per-ref concurrency and a timeout on every job', () => {
    expect(workflow.concurrency).toEqual({
      'group': '${{ github.workflow }}-${{ github.ref }}',
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    });
    for (const job of Object.values<any>(workflow.jobs)) expect(job['timeout-minutes']).toBeGreaterThan(0);
  });

  test('never interpolates expressions into run scripts', () => {
    for (const w of Object.values(WORKFLOWS).map(workflowOf)) {
      for (const s of steps(w).filter((x) => x.run !== undefined)) expect(s.run).not.toContain('${{');
    }
  });

  test('every uses: is in the actions table, pinned to a full SHA with its tag in a comment', () => {
    const table = new Map<string, string>(Object.values(ACTIONS).map((a) => [usesOf(a), a.tag]));
    for (const a of Object.values(ACTIONS)) expect(a.sha).toMatch(/^[0-9a-f]{40}$/);
    for (const text of Object.values(WORKFLOWS).map((x) => x.toYaml())) {
      const lines = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const m = /uses: (\S+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect({ line, pinned: m !== null }).toEqual({ line, pinned: true });
        expect(table.get(`${m![1]}@${m![2]}`)).toEqual(m![3]);
      }
    }
  });

  test('renders deterministically', () => {
    expect(pipeline().toYaml()).toEqual(p.toYaml());
  });

  test('snapshot of the workflow and the Application', () => {
    const full = WORKFLOWS['argocd and options'];
    expect(full.toYaml()).toMatchSnapshot();
    expect(synthValid(App.of(full))).toMatchSnapshot();
  });
});

describe('Pipeline ArgoCD Application', () => {
  test('is created only when argocd is given', () => {
    const chart = chartIn();
    new Pipeline(chart, 'delivery', { image: IMAGE });
    expect(synthValid(chart)).toEqual([]);
  });

  test('syncs the committed manifests into the chart namespace, with retries', () => {
    // GIVEN a pipeline delivering to main, with an Application
    const chart = chartIn();
    new Pipeline(chart, 'delivery', { image: IMAGE, argocd: { repoURL: REPO_URL } });
    // WHEN synthesised through the schema harness (unknown fields rejected)
    const app = findObject(synthValid(App.of(chart)), 'Application', 'delivery');
    // THEN it syncs only the chart's file, and lives in a chart of its own (written to dist/argocd/)
    expect(Chart.of(App.of(chart).node.findAll().find(c => c.node.id.startsWith('Application-'))!).node.id).toEqual('argocd');
    expect(app.apiVersion).toEqual('argoproj.io/v1alpha1');
    expect(app.metadata.namespace).toEqual('argocd');
    expect(app.spec).toEqual({
      project: 'default',
      source: { repoURL: REPO_URL, path: 'dist', directory: { include: 'shop.k8s.yaml' }, targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      syncPolicy: {
        syncOptions: ['PruneLast=true', 'PrunePropagationPolicy=foreground', 'ApplyOutOfSyncOnly=true'],
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
      revisionHistoryLimit: 10,
    });
  });

  test('automates sync with prune and self-heal when asked, and honours every option', () => {
    const chart = chartIn();
    new Pipeline(chart, 'delivery', {
      image: IMAGE,
      synth: { outdir: 'manifests' },
      argocd: {
        repoURL: 'git@github.com:acme/shop.git',
        automated: true,
        project: 'shop',
        namespace: 'store',
        name: 'shop',
        applicationNamespace: 'gitops',
        targetRevision: 'v1.2.0',
        syncOptions: ['ServerSideApply=true'],
      },
    });
    const app = findObject(synthValid(App.of(chart)), 'Application', 'shop');
    expect(app.metadata.namespace).toEqual('gitops');
    expect(app.spec.project).toEqual('shop');
    expect(app.spec.source).toEqual({ repoURL: 'git@github.com:acme/shop.git', path: 'manifests', directory: { include: 'shop.k8s.yaml' }, targetRevision: 'v1.2.0' });
    expect(app.spec.destination.namespace).toEqual('store');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
  });
});

describe('writing the workflow', () => {
  test('writeWorkflows writes exactly toYaml() to <rootDir>/.github/workflows/<name>.yml', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    const app = new App({ outdir: path.join(root, 'dist') });
    const p = new Pipeline(chartIn(app), 'delivery', { image: IMAGE });
    const written = writeWorkflows(app, { rootDir: root });
    expect(written).toEqual([path.join(root, '.github', 'workflows', 'delivery.yml')]);
    expect(fs.readFileSync(written[0]).equals(Buffer.from(p.toYaml(), 'utf8'))).toBe(true);
  });

  test('fails when the workflow would land in the manifests output folder', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    const app = new App({ outdir: path.join(root, 'out') });
    new Pipeline(chartIn(app), 'delivery', { image: IMAGE, workflowPath: 'out/delivery.yml' });
    expect(() => writeWorkflows(app, { rootDir: root })).toThrow(/shop\/delivery: invalid workflowPath "out\/delivery.yml": .*inside the manifests' output folder/);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
  });

  test('imageFromDigestFile reads the digest the deliver job wrote, or falls back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digests-'));
    const file = path.join(dir, 'image-digests.json');
    expect(imageFromDigestFile(file, IMAGE, `${IMAGE}:1.4.2`)).toEqual(`${IMAGE}:1.4.2`);
    fs.writeFileSync(file, JSON.stringify({ [IMAGE]: DIGEST }));
    expect(imageFromDigestFile(file, IMAGE, `${IMAGE}:1.4.2`)).toEqual(`${IMAGE}@${DIGEST}`);
    expect(imageFromDigestFile(file, 'ghcr.io/acme/api', 'ghcr.io/acme/api:2.0.0')).toEqual('ghcr.io/acme/api:2.0.0');
    // and a WebApp built from it passes the harness
    const chart = chartIn();
    new WebApp(chart, 'web', { image: imageFromDigestFile(file, IMAGE, `${IMAGE}:1.4.2`) });
    expect(findObject(synthValid(chart), 'Deployment', 'web').spec.template.spec.containers[0].image).toEqual(`${IMAGE}@${DIGEST}`);
    fs.writeFileSync(file, JSON.stringify({ [IMAGE]: 'latest' }));
    expect(() => imageFromDigestFile(file, IMAGE, `${IMAGE}:1.4.2`)).toThrow(/invalid digest "latest" for ghcr.io\/acme\/web/);
  });
});

describe('Pipeline bad input', () => {
  test('fails when the image is empty', () => {
    expect(() => pipeline({ image: '' })).toThrow(/shop\/delivery: invalid image "": an image reference is required/);
  });

  test('fails when the image reference is malformed', () => {
    expect(() => pipeline({ image: 'ghcr.io/Acme/Web' })).toThrow(/shop\/delivery: invalid image "ghcr.io\/Acme\/Web": .*not a valid image name/);
  });

  test('fails when the image carries a tag or digest', () => {
    expect(() => pipeline({ image: 'ghcr.io/acme/web:1.0.0' })).toThrow(/invalid image "ghcr.io\/acme\/web:1.0.0": .*did you mean "ghcr.io\/acme\/web"/);
  });

  test('fails when an option group is not an object', () => {
    expect(() => pipeline({ test: 'npm test' as any })).toThrow(/shop\/delivery: invalid test "npm test": must be an object \{ install\?, run\?, nodeVersion\? \}/);
    expect(() => pipeline({ scan: true as any })).toThrow(/shop\/delivery: invalid scan true: must be false or an object \{ severity\?, ignoreUnfixed\? \}/);
    expect(() => pipeline({ synth: ['npx cdk8s synth'] as any })).toThrow(/shop\/delivery: invalid synth \["npx cdk8s synth"\]: must be an object/);
    expect(() => pipeline({ image: 'registry.example.com/acme/web', registry: 'MY_TOKEN' as any })).toThrow(/shop\/delivery: invalid registry "MY_TOKEN": must be an object/);
    expect(() => pipeline({ deliver: 'main' as any })).toThrow(/shop\/delivery: invalid deliver "main": must be an object/);
    expect(() => pipeline({ argocd: 'https://github.com/acme/shop.git' as any })).toThrow(/shop\/delivery: invalid argocd "https:.*": must be an object/);
  });

  test('fails when argocd.syncOptions is not a list', () => {
    expect(() => pipeline({ argocd: { repoURL: REPO_URL, syncOptions: 'PruneLast=true' as any } }))
      .toThrow(/shop\/delivery: invalid argocd.syncOptions "PruneLast=true": must be a list \(each a string\)/);
  });

  test('fails when argocd.targetRevision is not a string', () => {
    expect(() => pipeline({ argocd: { repoURL: REPO_URL, targetRevision: 5 as any } })).toThrow(/shop\/delivery: invalid argocd.targetRevision 5: must be a string/);
  });

  test('fails when branches is empty', () => {
    expect(() => pipeline({ branches: [] })).toThrow(/shop\/delivery: invalid branches \[\]: must be a non-empty list/);
  });

  test('fails when a branch is not a valid name', () => {
    expect(() => pipeline({ branches: ['my branch'] })).toThrow(/shop\/delivery: invalid branches\[0\] "my branch": must be a git branch name/);
  });

  test('fails when the deliver branch is a pattern', () => {
    expect(() => pipeline({ branches: ['release/*'] })).toThrow(/invalid deliver.branch "release\/\*": must be a literal branch name/);
  });

  test('fails when the repoURL is invalid', () => {
    expect(() => pipeline({ argocd: { repoURL: 'github.com/acme/shop' } })).toThrow(/shop\/delivery: invalid argocd.repoURL "github.com\/acme\/shop": must be a Git repository URL/);
    expect(() => pipeline({ argocd: { repoURL: 'http://github.com/acme/shop.git' } })).toThrow(/did you mean "https:\/\/github.com\/acme\/shop.git"/);
  });

  test('fails when the workflow name is invalid', () => {
    expect(() => pipeline({ name: 'My Delivery' })).toThrow(/shop\/delivery: invalid name "My Delivery": must be at most 63 lowercase letters/);
    expect(() => pipeline({}, 'Delivery')).toThrow(/shop\/Delivery: invalid name \(defaults to the construct id\) "Delivery"/);
  });

  test('fails when the runner label is not a string (found by the property tests: 0 passed the label pattern)', () => {
    expect(() => pipeline({ runsOn: 0 as unknown as string })).toThrow(/shop\/delivery: invalid runsOn 0: must be a string/);
    expect(() => pipeline({ runsOn: 'ubuntu 24' })).toThrow(/shop\/delivery: invalid runsOn "ubuntu 24": must be a runner label/);
  });

  test('fails when the Node.js version is invalid', () => {
    expect(() => pipeline({ test: { nodeVersion: 'twenty' } })).toThrow(/shop\/delivery: invalid test.nodeVersion "twenty": must be a Node.js version 18 or newer/);
    expect(() => pipeline({ test: { nodeVersion: '16' } })).toThrow(/invalid test.nodeVersion "16"/);
  });

  test('fails when a command interpolates an expression', () => {
    expect(() => pipeline({ test: { run: ['echo ${{ github.event.pull_request.title }}'] } })).toThrow(/invalid test.run\[0\] "echo \$\{\{ github.event.pull_request.title \}\}": .*without "\$\{\{ \}\}" expressions/);
  });

  test('fails when the scan severity is unknown', () => {
    expect(() => pipeline({ scan: { severity: 'SEVERE' } })).toThrow(/invalid scan.severity "SEVERE": must be a comma-separated list of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL/);
  });

  test('fails when the workflow path is inside the synth outdir or not YAML', () => {
    expect(() => pipeline({ workflowPath: 'dist/delivery.yml' })).toThrow(/invalid workflowPath "dist\/delivery.yml": must be outside the manifests' output folder "dist"/);
    expect(() => pipeline({ workflowPath: '.github/workflows/delivery.txt' })).toThrow(/invalid workflowPath ".github\/workflows\/delivery.txt": must end in ".yml" or ".yaml"/);
  });

  test('fails when two pipelines write the same workflow file', () => {
    const chart = chartIn();
    new Pipeline(chart, 'delivery', { image: IMAGE });
    expect(() => new Pipeline(chart, 'again', { image: IMAGE, name: 'delivery' })).toThrow(/shop\/again: invalid workflowPath ".github\/workflows\/delivery.yml": already written by the Pipeline shop\/delivery/);
  });

  test('fails when a path escapes the repository', () => {
    expect(() => pipeline({ deliver: { digestFile: '../digests.json' } })).toThrow(/invalid deliver.digestFile "..\/digests.json": must be a path relative to the repository root/);
  });
});

describe('Pipeline at the GitOps seams', () => {
  test('two Pipelines with argocd on one chart fail: their Applications would prune each other', () => {
    const chart = chartIn();
    new Pipeline(chart, 'web', { image: IMAGE, argocd: { repoURL: REPO_URL, automated: true } });
    expect(() => new Pipeline(chart, 'api', { image: 'ghcr.io/acme/api', argocd: { repoURL: REPO_URL, automated: true } }))
      .toThrow(/shop\/api: invalid argocd "shop": is already synced by an ArgoCD Application of shop\/web; two Applications with automated prune/);
  });

  test('two Pipelines in two charts get one Application each, on their own chart\'s file', () => {
    const app = Testing.app();
    new Pipeline(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: IMAGE, argocd: { repoURL: REPO_URL, automated: true } });
    new Pipeline(new Chart(app, 'billing', { namespace: 'billing' }), 'billing', { image: 'ghcr.io/acme/billing', argocd: { repoURL: REPO_URL, automated: true } });
    const objects = synthValid(app);
    expect(findObject(objects, 'Application', 'web').spec.source.directory).toEqual({ include: 'shop.k8s.yaml' });
    expect(findObject(objects, 'Application', 'billing').spec.source.directory).toEqual({ include: 'billing.k8s.yaml' });
  });

  test('two Pipelines with the same argocd.path fail', () => {
    const chart = chartIn();
    new Pipeline(chart, 'web', { image: IMAGE, argocd: { repoURL: REPO_URL, path: 'deploy' } });
    expect(() => new Pipeline(chart, 'api', { image: 'ghcr.io/acme/api', argocd: { repoURL: REPO_URL, path: 'deploy/' } }))
      .toThrow(/shop\/api: invalid argocd.path "deploy": is already synced by an ArgoCD Application of shop\/web/);
  });

  test('fails when argocd.path points at the Applications\' own folder', () => {
    expect(() => pipeline({ argocd: { repoURL: REPO_URL, path: 'dist/argocd' } })).toThrow(/invalid argocd.path "dist\/argocd": holds the Applications themselves/);
  });

  test('deliver jobs of every Pipeline pushing one branch share one concurrency group (no cancelling)', () => {
    const app = Testing.app();
    const a = new Pipeline(new Chart(app, 'a', { namespace: 'a' }), 'a', { image: IMAGE });
    const b = new Pipeline(new Chart(app, 'b', { namespace: 'b' }), 'b', { image: 'ghcr.io/acme/b' });
    expect(workflowOf(a).jobs.deliver.concurrency).toEqual(workflowOf(b).jobs.deliver.concurrency);
    expect(workflowOf(a).jobs.deliver.concurrency['cancel-in-progress']).toBe(false);
  });

  test('the outdir and the Application path follow the App\'s outdir', () => {
    const app = new App({ outdir: 'manifests' });
    const p = new Pipeline(new Chart(app, 'shop', { namespace: 'shop' }), 'delivery', { image: IMAGE, argocd: { repoURL: REPO_URL } });
    expect(p.outdir).toEqual('manifests');
    expect(workflowOf(p).jobs.deliver.env.OUTDIR).toEqual('manifests');
    expect(findObject(synthValid(app), 'Application', 'delivery').spec.source.path).toEqual('manifests');
  });

  test('fails when the deliver branch is not among the branches that run the workflow', () => {
    expect(() => pipeline({ deliver: { branch: 'release' } }))
      .toThrow(/shop\/delivery: invalid deliver.branch "release": pushes to it never run the workflow, whose branches are \["main"\]; add it to branches/);
    expect(pipeline({ branches: ['main', 'release/**'], deliver: { branch: 'release/2024' } }).deliverBranch).toEqual('release/2024');
    expect(() => pipeline({ branches: ['release/*', '!release/old'], deliver: { branch: 'release/old' } })).toThrow(/never run the workflow/);
  });

  test('a branch with a quote is escaped in the deliver condition and the workflow stays valid', () => {
    const p = pipeline({ branches: ["release-'24"] });
    const w = workflowOf(p);
    expect(w.jobs.deliver.if).toEqual("github.event_name != 'pull_request' && github.ref == 'refs/heads/release-''24'");
    expect(validateWorkflows([{ name: 'quote.yml', content: p.toYaml() }])).toEqual([[]]);
  });

  test('workingDirectory runs install, test, synth, plan and commit in the app folder', () => {
    const p = pipeline({ workingDirectory: 'deploy', synth: { command: 'npm run synth', outdir: 'dist' }, argocd: { repoURL: REPO_URL } });
    const w = workflowOf(p);
    const runSteps = (job: any) => job.steps.filter((s: any) => s.run);
    for (const job of [w.jobs.test, w.jobs.deliver]) {
      expect(runSteps(job).map((s: any) => s['working-directory'])).toEqual(runSteps(job).map(() => 'deploy'));
    }
    expect(w.jobs.test.steps[1].with['cache-dependency-path']).toEqual('deploy/package-lock.json');
    expect(p.repoOutdir).toEqual('deploy/dist');
    expect(findObject(synthValid(App.of(p)), 'Application', 'delivery').spec.source.path).toEqual('deploy/dist');
    expect(validateWorkflows([{ name: 'wd.yml', content: p.toYaml() }])).toEqual([[]]);
  });

  test('fails when the synth command changes directory (the drift check would look elsewhere)', () => {
    expect(() => pipeline({ synth: { command: 'cd deploy && npx cdk8s synth' } }))
      .toThrow(/invalid synth.command "cd deploy && npx cdk8s synth": changes directory.*set workingDirectory: "deploy"/);
  });

  test('plan: false removes the plan step and job; allowPrune passes --allow-prune to both; pullRequests: false removes the job', () => {
    const runs = (p: Pipeline) => Object.values<any>(workflowOf(p).jobs).flatMap((j: any) => j.steps).map((s: any) => s.run ?? '').join('\n');
    expect(runs(pipeline({ plan: false }))).not.toContain('cloudnative-constructs plan');
    expect(workflowOf(pipeline({ plan: false })).jobs.plan).toBeUndefined();
    const prune = workflowOf(pipeline({ plan: { allowPrune: true } }));
    for (const job of [prune.jobs.plan, prune.jobs.deliver]) expect(job.steps.map((s: any) => s.run ?? '').join('')).toContain('--summary "$GITHUB_STEP_SUMMARY" --allow-prune');
    const noPr = workflowOf(pipeline({ plan: { pullRequests: false } }));
    expect(noPr.jobs.plan).toBeUndefined();
    expect(runs(pipeline({ plan: { pullRequests: false } }))).toContain('cloudnative-constructs plan');
  });

  test('fails when plan.pullRequests is not a boolean', () => {
    expect(() => pipeline({ plan: { pullRequests: 'yes' as unknown as boolean } })).toThrow(/invalid plan.pullRequests "yes"/);
  });

  test('charts: "all" gives one Application per chart, each syncing only its chart, with no namespace for a chart without one', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new Chart(app, 'payments', { namespace: 'payments' });
    new Chart(app, 'cluster');
    new Pipeline(shop, 'delivery', { image: IMAGE, argocd: { repoURL: REPO_URL, charts: 'all', automated: true } });
    const objects = synthValid(app);
    const apps = objects.filter(o => o.kind === 'Application');
    expect(apps.map(a => [a.metadata.name, a.spec.source.directory.include, a.spec.destination.namespace])).toEqual([
      ['delivery-shop', 'shop.k8s.yaml', 'shop'],
      ['delivery-payments', 'payments.k8s.yaml', 'payments'],
      ['delivery-cluster', 'cluster.k8s.yaml', undefined],
    ]);
  });

  test('objects of a synced chart get sync waves: namespace, then RBAC, quota and mesh security, then workloads, then routing', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const other = new Chart(app, 'other', { namespace: 'other' });
    new Pipeline(shop, 'delivery', { image: IMAGE, argocd: { repoURL: REPO_URL } });
    // created after the Pipeline: still annotated
    new SecureNamespace(shop, 'ns', { name: 'shop', access: { viewers: ['support'] }, istio: { denyByDefault: true } });
    new CanaryRelease(shop, 'api', { port: 8080, stable: { image: 'ghcr.io/acme/api:1.0.0' }, canary: { image: 'ghcr.io/acme/api:1.1.0' }, canaryWeight: 10 });
    const web = new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    web.deployment.metadata.addAnnotation('argocd.argoproj.io/sync-wave', '5');
    new WebApp(other, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    const objects = synthValid(app);
    const wave = (kind: string, name: string, namespace = 'shop') => objects
      .find(o => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'shop') === namespace)!.metadata.annotations?.['argocd.argoproj.io/sync-wave'];
    expect([
      wave('Namespace', 'shop'), wave('RoleBinding', 'viewers'), wave('NetworkPolicy', 'default-deny'), wave('LimitRange', 'container-defaults'),
      wave('AuthorizationPolicy', 'allow-nothing'), wave('ServiceAccount', 'api'), wave('Deployment', 'api-stable'), wave('Service', 'api'),
      wave('VirtualService', 'api'), wave('DestinationRule', 'api'), wave('Deployment', 'web'), wave('Deployment', 'web', 'other'),
    ]).toEqual(['-2', '-1', '-1', '-1', '-1', '-1', undefined, undefined, '1', '1', '5', undefined]);
  });
});
