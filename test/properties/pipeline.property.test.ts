import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { Pipeline, PipelineProps } from '../../src';
import { synthValid, validateWorkflows } from '../harness';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';

/** Pipelines are cheap to build; the workflows are parsed by GitHub's parser in one batch. */
const RUNS = arb.RUNS;

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/).filter(s => !s.endsWith('.lock') && !s.includes('..'));
const repoPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map(parts => parts.join('/'));
const literalBranch = fc.oneof(fc.constantFrom('main', 'master', 'trunk'), fc.array(segment, { minLength: 1, maxLength: 2 }).map(p => p.join('/')));
const branchPattern = fc.oneof(literalBranch, fc.constantFrom('release/**', 'feature/*', 'v[0-9]*', 'hotfix-*'));
const image = fc.oneof(
  arb.resourceName.map(n => `ghcr.io/acme/${n}`),
  fc.tuple(arb.resourceName, arb.resourceName).map(([a, b]) => `registry.example.com/${a}/${b}`),
  arb.resourceName.map(n => `localhost:5000/${n}`),
  arb.resourceName.map(n => `acme/${n}`),
  arb.resourceName,
);
/** Shell commands: any text without `${{` (tricky YAML characters, quotes, newlines, unicode included). */
const command = fc.oneof(
  fc.constantFrom('npm test', 'npm run lint -- --max-warnings 0', 'make check', 'echo "a: b" # not a comment', '- not a list', '*star', '&anchor', '!tag', '%percent', '@at', '`tick`', "it's", 'a\nb', '  indented', 'key: value', '{ "json": true }', '[1, 2]', 'yes', 'null', '~', '0x1F', '1e3', '$HOME ${HOME} $(pwd)', 'echo }} {{', '$ {{ x }}'),
  fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
  fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(...'ab :#-\'"\\\n\t{}[]&*!|>%@`,?$') }),
).filter(c => c.trim() !== '' && !c.includes('${{'));
const secretName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/).filter(s => !s.startsWith('GITHUB_'));

const validProps: fc.Arbitrary<PipelineProps> = fc.record({
  image,
  name: fc.option(arb.resourceName, { nil: undefined }),
  branches: fc.option(fc.tuple(literalBranch, fc.uniqueArray(branchPattern, { maxLength: 3 }))
    .map(([first, rest]) => [first, ...rest.filter(b => b !== first)]), { nil: undefined }),
  test: fc.option(fc.record({
    install: command,
    run: fc.array(command, { minLength: 1, maxLength: 3 }),
    nodeVersion: fc.constantFrom('18', '20', '22', '22.x', '20.11.0', 'v22', 'lts/*', 'lts/iron'),
  }, { requiredKeys: [] }), { nil: undefined }),
  dockerfile: fc.option(repoPath.map(p => `${p}/Dockerfile`), { nil: undefined }),
  context: fc.option(fc.oneof(fc.constant('.'), repoPath), { nil: undefined }),
  scan: fc.option(fc.oneof(fc.constant(false as const), fc.record({
    severity: fc.uniqueArray(fc.constantFrom('UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'critical', 'High'), { minLength: 1, maxLength: 3 }).map(s => s.join(',')),
    ignoreUnfixed: fc.boolean(),
  }, { requiredKeys: [] })), { nil: undefined }),
  synth: fc.option(fc.record({ command, outdir: fc.oneof(repoPath, repoPath.map(p => `${p}/`)) }, { requiredKeys: [] }), { nil: undefined }),
  argocd: fc.option(fc.record({
    repoURL: fc.oneof(
      fc.tuple(arb.resourceName, arb.resourceName).map(([o, r]) => `https://github.com/${o}/${r}.git`),
      fc.tuple(arb.resourceName, arb.resourceName).map(([o, r]) => `git@github.com:${o}/${r}.git`),
      fc.tuple(arb.hostname, arb.resourceName).map(([h, r]) => `ssh://git@${h}:2222/${r}.git`),
    ),
    path: repoPath,
    targetRevision: fc.oneof(literalBranch, fc.constantFrom('HEAD', 'v1.2.3'), fc.stringMatching(/^[0-9a-f]{40}$/)),
    namespace: arb.resourceName,
    project: arb.resourceName,
    automated: fc.boolean(),
    name: arb.resourceName,
    syncOptions: fc.uniqueArray(fc.constantFrom('PruneLast=true', 'CreateNamespace=true', 'ServerSideApply=true', 'ApplyOutOfSyncOnly=true'), { maxLength: 3 }),
  }, { requiredKeys: ['repoURL'] }), { nil: undefined }),
  deliver: fc.option(fc.record({ digestFile: repoPath.map(p => `${p}.json`) }, { requiredKeys: [] }), { nil: undefined }),
  sign: fc.option(fc.boolean(), { nil: undefined }),
  workflowPath: fc.option(arb.resourceName.map(n => `.github/workflows/${n}.yaml`), { nil: undefined }),
  runsOn: fc.option(fc.constantFrom('ubuntu-24.04', 'ubuntu-latest', 'self-hosted', 'ubuntu-22.04'), { nil: undefined }),
  registry: fc.option(fc.record({ usernameSecret: secretName, passwordSecret: secretName }, { requiredKeys: [] }), { nil: undefined }),
}, { requiredKeys: ['image'] }).filter(p => {
  // The workflow must live outside the manifests' output folder (a genuinely invalid combination).
  const outdir = (p.synth?.outdir ?? 'dist').replace(/\/+$/, '');
  const workflowPath = p.workflowPath ?? `.github/workflows/${p.name ?? 'delivery'}.yml`;
  return !(workflowPath === outdir || workflowPath.startsWith(`${outdir}/`));
});

function build(props: PipelineProps): { chart: Chart; pipeline: Pipeline } {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  return { chart, pipeline: new Pipeline(chart, 'delivery', props) };
}

function stepsOf(workflow: any): any[] {
  return Object.values<any>(workflow.jobs).flatMap(job => job.steps);
}

describe('Pipeline properties', () => {
  test('valid props always yield a pinned, injection-free, deterministic workflow that GitHub parses, and a valid Application', () => {
    const workflows = new Map<string, PipelineProps>();
    fc.assert(fc.property(validProps, (props) => {
      const { chart, pipeline } = build(props);
      const yaml = pipeline.toYaml();
      expect(build(props).pipeline.toYaml()).toBe(yaml);
      const workflow = parse(yaml);
      const steps = stepsOf(workflow);
      for (const step of steps) {
        if (step.uses !== undefined) expect(step.uses).toMatch(/^[-\w.]+\/[-\w./]+@[0-9a-f]{40}$/);
        if (step.run !== undefined) expect(step.run).not.toContain('${{');
      }
      // Every user command reaches a step unchanged (the YAML round-trips it).
      const runs = steps.map(s => s.run).filter((r): r is string => typeof r === 'string');
      for (const c of [...(props.test?.run ?? []), ...(props.test?.install ? [props.test.install] : [])]) expect(runs).toContain(c);
      if (props.synth?.command) expect(runs.some(r => r.includes(props.synth!.command!))).toBe(true);
      for (const job of Object.values<any>(workflow.jobs)) {
        expect(job.permissions).toBeDefined();
        expect(job['timeout-minutes']).toBeGreaterThan(0);
      }
      // the Application lives in the app's argocd chart, apart from the chart it syncs
      expect(synthValid(chart)).toEqual([]);
      const objects = synthValid(App.of(chart));
      expect(objects.map(o => o.kind)).toEqual(props.argocd ? ['Application'] : []);
      expect(JSON.stringify(App.of(build(props).chart).charts.flatMap(c => Testing.synth(c)))).toBe(JSON.stringify(objects));
      workflows.set(yaml, props);
    }), { numRuns: RUNS });

    const entries = [...workflows];
    const errors = validateWorkflows(entries.map(([content], i) => ({ content, name: `.github/workflows/case-${i}.yml` })));
    const failing = entries.map(([, props], i) => ({ props, errors: errors[i] })).filter(e => e.errors.length > 0);
    expect(failing).toEqual([]);
  });

  const base: PipelineProps = { image: 'ghcr.io/acme/web' };
  const argocd = { repoURL: 'https://github.com/acme/shop.git' };

  /** One wrong prop, and the prop the error must name (its first segment). */
  type Invalid = { field: Partial<PipelineProps>; prop: string };
  const invalidField: fc.Arbitrary<Invalid> = fc.oneof<fc.Arbitrary<Invalid>[]>(
    fc.constantFrom('ghcr.io/acme/web:1.0.0', 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64), '', 'UPPER/web', 'a b', 'ghcr.io/acme/web:', 'x@y@z')
      .map(v => ({ field: { image: v }, prop: 'image' })),
    fc.constantFrom('Delivery', 'my_pipeline', '-x', 'x-', 'a'.repeat(64), '').map(v => ({ field: { name: v }, prop: 'name' })),
    fc.constantFrom('has space', 'a..b', '~x', 'x^', 'a:b', 'a?b', 'a\\b', '/main', 'main/', 'x.lock', '${{ github.ref }}', '')
      .map(v => ({ field: { branches: ['main', v] }, prop: 'branches' })),
    fc.constantFrom([], 'main').map(v => ({ field: { branches: v as string[] }, prop: 'branches' })),
    fc.constantFrom('', '   ', 'echo ${{ github.event.issue.title }}', 5).chain(v => fc.constantFrom(
      { field: { test: { run: [v as string] } }, prop: 'test' },
      { field: { test: { install: v as string } }, prop: 'test' },
      { field: { synth: { command: v as string } }, prop: 'synth' },
    )),
    fc.constantFrom('16', '14.x', 'v12', 'latest', 'node', '', 'lts/') .map(v => ({ field: { test: { nodeVersion: v } }, prop: 'test' })),
    fc.constantFrom('/abs', '../up', 'a/../b', 'has space', 'q"uote', '$HOME', '').chain(v => fc.constantFrom(
      { field: { dockerfile: v }, prop: 'dockerfile' },
      { field: { context: v }, prop: 'context' },
      { field: { synth: { outdir: v } }, prop: 'synth' },
      { field: { deliver: { digestFile: v } }, prop: 'deliver' },
      { field: { argocd: { ...argocd, path: v } }, prop: 'argocd' },
    )),
    fc.constantFrom('SEVERE', 'HIGH,,LOW', '', 'high;low').map(v => ({ field: { scan: { severity: v } }, prop: 'scan' })),
    fc.constantFrom('http://github.com/acme/shop.git', 'github.com/acme/shop', '', 'https://github.com', 'ftp://x/y', 'https://git hub.com/a')
      .map(v => ({ field: { argocd: { repoURL: v } }, prop: 'argocd' })),
    fc.constantFrom('has space', 'a:b', 'x~1', 'r*').map(v => ({ field: { argocd: { ...argocd, targetRevision: v } }, prop: 'argocd' })),
    fc.constantFrom('Prune', 'a b=c', '=x', 'X=').map(v => ({ field: { argocd: { ...argocd, syncOptions: [v] } }, prop: 'argocd' })),
    fc.constantFrom('Shop', 'a_b', '').chain(v => fc.constantFrom(
      { field: { argocd: { ...argocd, namespace: v } }, prop: 'argocd' },
      { field: { argocd: { ...argocd, project: v } }, prop: 'argocd' },
      { field: { argocd: { ...argocd, name: v } }, prop: 'argocd' },
    )),
    fc.constantFrom('GITHUB_TOKEN', '1PASS', 'my-secret', '').map(v => ({ field: { registry: { passwordSecret: v } }, prop: 'registry' })),
    fc.constantFrom('ubuntu 24', '', '-x', '${{ matrix.os }}').map(v => ({ field: { runsOn: v }, prop: 'runsOn' })),
    fc.constantFrom('.github/workflows/x.txt', '/etc/x.yml', '../x.yml', 'dist/x.yml', 'dist/sub/x.yaml').map(v => ({ field: { workflowPath: v }, prop: 'workflowPath' })),
    fc.constantFrom('release/*', '!main', 'a[b]').map(v => ({ field: { deliver: { branch: v } }, prop: 'deliver' })),
    fc.record({ key: fc.constantFrom('branches', 'test', 'scan', 'synth', 'argocd', 'deliver', 'registry', 'dockerfile', 'context', 'runsOn', 'workflowPath', 'name'), value: arb.junk })
      // Strings are valid paths and runner labels; {} is a valid (empty) option group; null and false mean "unset"/"off" where `??` / `=== false` read them.
      .filter(({ key, value }) => value != null && !(typeof value === 'string' && ['dockerfile', 'context', 'runsOn', 'workflowPath', 'name'].includes(key))
        && !(typeof value === 'object' && !Array.isArray(value) && !['branches', 'dockerfile', 'context', 'runsOn', 'workflowPath', 'name'].includes(key))
        && !(key === 'scan' && value === false))
      .map(({ key, value }) => ({ field: { [key]: value }, prop: key })),
    fc.record({ key: fc.constantFrom('syncOptions', 'name', 'namespace', 'path', 'targetRevision', 'project'), value: fc.constantFrom<unknown>(5, true, [], {}, 'Has Space', [5]) })
      .filter(({ key, value }) => !(key === 'syncOptions' && Array.isArray(value) && value.length === 0))
      .map(({ key, value }) => ({ field: { argocd: { ...argocd, [key]: value } }, prop: 'argocd' })),
    fc.constantFrom<unknown>('x', 5, true, [], ['a']).chain(v => fc.constantFrom(
      { field: { test: v as any }, prop: 'test' },
      { field: { synth: v as any }, prop: 'synth' },
      { field: { scan: v as any }, prop: 'scan' },
      { field: { registry: v as any, image: 'registry.example.com/acme/web' }, prop: 'registry' },
      { field: { deliver: v as any }, prop: 'deliver' },
      { field: { argocd: v as any }, prop: 'argocd' },
    )),
    fc.constantFrom<unknown>('/abs', '../up', 'has space', '', 5, true, ['deploy']).map(v => ({ field: { workingDirectory: v as any }, prop: 'workingDirectory' })),
    fc.constantFrom<unknown>('each', 'All', 5, true, ['all']).map(v => ({ field: { argocd: { ...argocd, charts: v as any } }, prop: 'argocd' })),
    fc.constantFrom<unknown>('false', 'yes', 1, []).map(v => ({ field: { argocd: { ...argocd, automated: v as any } }, prop: 'argocd' })),
    fc.constantFrom<unknown>('x', 5, true, []).map(v => ({ field: { plan: v as any }, prop: 'plan' })),
    fc.constantFrom('release', 'develop', 'feature/x').map(v => ({ field: { deliver: { branch: v } }, prop: 'deliver' })),
    fc.constantFrom('cd deploy && npx cdk8s synth', 'cd app; npm run synth').map(v => ({ field: { synth: { command: v } }, prop: 'synth' })),
    // ['a'] above is a valid list of commands, so `test.run` gets junk of its own
    fc.constantFrom<unknown>('x', 5, true, [5], [['a']]).map(v => ({ field: { test: { run: v as any } }, prop: 'test' })),
  );

  test('invalid props always fail with the library error naming the path and the prop', () => {
    fc.assert(fc.property(invalidField, ({ field, prop }) => {
      const error = libraryErrorOf(() => build({ ...base, ...field } as PipelineProps));
      expect(error.message.startsWith('shop/delivery: invalid ')).toBe(true);
      expect(error.prop.split(/[.[ ]/)[0]).toBe(prop);
    }), { numRuns: RUNS });
  });
});
