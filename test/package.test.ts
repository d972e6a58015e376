import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest, validateManifests } from './harness';

// The package as users get it: compile, `npm pack`, install the tarball into a fresh app directory
// OFFLINE, run the real `cdk8s synth` on the README's example, and the README's test plus a Jest
// test written the way a user writes one.
//
// Offline: the app's package-lock.json is cut from this repository's lock file (the same
// versions and integrity hashes), and `npm ci --offline` takes every tarball from the npm cache,
// which `npm ci` of this repository filled (CI runs `npm ci` first). `--offline` makes npm fail
// with ENOTCACHED instead of touching the network, and the registry is set to an address where
// nothing listens, so even a request that slipped through could not be answered;
// `--ignore-scripts` runs no install script.
// The tools a user has as dev dependencies (TypeScript, Jest, the cdk8s CLI, the schema
// validators) are linked from this repository's node_modules.

const REPO = path.join(__dirname, '..');
const BIN = path.join(REPO, 'node_modules', '.bin');
const TOOLS = ['typescript', 'jest', 'ts-jest', '@types/jest', '@types/node', 'kubernetes-models', '@kubernetes/client-node'];

/**
 * Everything the package may contain: nothing but lib/ (code, declarations, maps), the docs, and
 * the test kit's CRD schemas with their licences.
 */
const ALLOWED = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|lib\/.+\.(js|js\.map|d\.ts|json)|crds\/README\.md|crds\/[\w-]+\/(schemas\.json|LICENSE|NOTICE))$/;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}) in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `npm pack --json` (writing the tarball into `destination`, or a dry run): the files it packs and the tarball's size. */
function pack(dir: string, destination?: string): { files: string[]; size: number } {
  const args = destination ? ['--pack-destination', destination] : ['--dry-run'];
  const out = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', ...args], dir));
  return { files: out[0].files.map((f: { path: string }) => f.path).sort(), size: out[0].size };
}

/** Every ```ts block of the README. */
function readmeSamples(): string[] {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

/** The lock entries of `roots` and everything they need, at the paths this repository's lock has them. */
function lockClosure(roots: string[]): Record<string, any> {
  const packages = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')).packages;
  const out: Record<string, any> = {};
  const add = (key: string) => {
    if (out[key]) return;
    const { dev, peer, devOptional, ...entry } = packages[key];
    // our lock omits registry URLs (omit-lockfile-registry-resolved); a tarball URL spares npm the
    // registry metadata, and the integrity hash finds the tarball in the cache
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!entry.resolved && !entry.inBundle) entry.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    out[key] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(key, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(key, dep, true);
  };
  const visit = (from: string, name: string, optional: boolean) => {
    for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
      const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (packages[key]) return add(key);
      if (!dir) {
        if (optional) return;
        throw new Error(`${name} (needed by ${from || 'the app'}) is not in package-lock.json`);
      }
    }
  };
  for (const root of roots) visit('', root, false);
  return out;
}

/** The first ```ts block of a README section. */
function readmeBlock(section: string): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const block = new RegExp(`## ${section}\\n[\\s\\S]*?\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!block) throw new Error(`README.md has no \`\`\`ts block under "## ${section}"`);
  return block[1];
}

const USER_TEST = `import { Chart, Testing } from 'cdk8s';
import { CanaryRelease, NetworkPolicyBundle, SecureNamespace, WebApp } from 'cloudnative-constructs';
import 'cloudnative-constructs/testing';

describe('shop', () => {
  test('the platform is locked down and wired', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: false });
    const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    const api = new WebApp(chart, 'api', { image: 'ghcr.io/acme/api:2.0.0' });
    new NetworkPolicyBundle(chart, 'net').allow(web, api, 8080);
    const manifests = Testing.synth(chart);

    expect(manifests).toPassPodSecurity();
    expect(chart).toAllowTraffic(web, api, 8080);
    expect(chart).toDenyTraffic(api, web);
    expect(manifests).toHaveObject('Deployment', 'web', { spec: { template: { spec: { automountServiceAccountToken: false } } } });
    expect(manifests).toBeValidKubernetes();
  });

  test('a canary in a chart without a namespace', () => {
    const chart = Testing.chart();
    new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 });
    expect(chart).toHaveObject('Deployment', 'api-canary');
    expect(chart).toPassPodSecurity('baseline');
    expect(chart).toBeValidKubernetes({ unknownKinds: 'ignore' });
  });

  test('a failing matcher names the object and the rule', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    expect(() => expect(chart).toHaveObject('Deployment', 'web', { spec: { replicas: 5 } })).toThrow(/Deployment web does not contain the expected fields/);
  });
});
`;

describe('the npm package', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-package-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('packs only lib/, README, LICENSE and CHANGELOG, installs offline, and works in a user\'s app with the cdk8s CLI and Jest', () => {
    // GIVEN the package built from a clean lib/ (tsc, as `npx projen compile`) in a staging copy
    const stage = path.join(work, 'package');
    fs.mkdirSync(stage);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'tsconfig.json']) fs.copyFileSync(path.join(REPO, f), path.join(stage, f));
    for (const d of ['src', 'crds']) fs.cpSync(path.join(REPO, d), path.join(stage, d), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
    run(path.join(BIN, 'tsc'), ['-p', 'tsconfig.json'], stage);

    // WHEN it is packed
    const { files, size } = pack(stage, work);
    // THEN the tarball, and `npm pack --dry-run` in the repository, hold nothing but the allowed files
    expect(files.filter((f) => !ALLOWED.test(f))).toEqual([]);
    expect(pack(REPO).files.filter((f) => !ALLOWED.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'lib/index.js', 'lib/index.d.ts', 'lib/index.js.map', 'lib/testing/index.js', 'lib/testing/index.d.ts']));
    // AND the CRD schemas of every custom kind the library writes, each source with its licence
    const crdSources = fs.readdirSync(path.join(REPO, 'crds'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(crdSources).toEqual(expect.arrayContaining(['argo-rollouts', 'argocd', 'gateway-api', 'istio', 'prometheus-operator']));
    expect(files).toEqual(expect.arrayContaining(['crds/README.md', ...crdSources.flatMap((d) => [`crds/${d}/schemas.json`, `crds/${d}/LICENSE`])]));
    // a reasonable tarball: the schemas add about 50 kB (a figure for the README)
    expect(size).toBeLessThan(1_500_000);
    process.stdout.write(`package tarball: ${Math.round(size / 1024)} KiB, ${files.length} files\n`);
    // every module has its declarations and a source map
    const js = files.filter((f) => f.endsWith('.js'));
    expect(js.filter((f) => !files.includes(`${f}.map`) || !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);

    // WHEN the tarball is installed offline into a fresh app from a lock file
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    const tarball = `file:../cloudnative-constructs-${version}.tgz`;
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    const deps = { 'cloudnative-constructs': tarball, 'cdk8s': '2.70.106', 'constructs': '10.8.1' };
    const pkg = JSON.parse(fs.readFileSync(path.join(stage, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'shop-platform', version: '1.0.0', private: true, dependencies: deps }, null, 2));
    fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({
      name: 'shop-platform',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'shop-platform', version: '1.0.0', dependencies: deps },
        'node_modules/cloudnative-constructs': {
          version,
          resolved: tarball,
          license: pkg.license,
          dependencies: pkg.dependencies,
          peerDependencies: pkg.peerDependencies,
          peerDependenciesMeta: pkg.peerDependenciesMeta,
        },
        ...lockClosure([...Object.keys(pkg.dependencies), 'cdk8s', 'constructs']),
      },
    }, null, 2));
    run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app,
      { npm_config_registry: 'http://127.0.0.1:9/', npm_config_update_notifier: 'false' });
    const modules = path.join(app, 'node_modules');
    for (const tool of TOOLS) {
      fs.mkdirSync(path.dirname(path.join(modules, tool)), { recursive: true });
      fs.symlinkSync(fs.realpathSync(path.join(REPO, 'node_modules', tool)), path.join(modules, tool), 'dir');
    }

    // THEN the library loads without cdk8s-plus, deep imports are closed, and the version is the package's
    const probe = run(process.execPath, ['-e', `
      const lib = require('cloudnative-constructs');
      let plus = true; try { require.resolve('cdk8s-plus-28'); } catch { plus = false; }
      let deep; try { require('cloudnative-constructs/lib/web-app'); } catch (e) { deep = e.code; }
      console.log(JSON.stringify({ plus, deep, WebApp: typeof lib.WebApp, testing: typeof require('cloudnative-constructs/testing').matchers,
        version: require('cloudnative-constructs/package.json').version }));`], app);
    expect(JSON.parse(probe)).toEqual({ plus: false, deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED', WebApp: 'function', testing: 'object', version });

    // AND a stack trace maps into the TypeScript source embedded in the shipped source maps
    const trace = spawnSync(process.execPath, ['--enable-source-maps', '-e', `
      const { App, Chart } = require('cdk8s'); const { WebApp } = require('cloudnative-constructs');
      new WebApp(new Chart(new App(), 'shop'), 'web', { image: 'nginx:latest' });`], { cwd: app, encoding: 'utf8' });
    expect(trace.stderr).toMatch(/shop\/web: invalid image "nginx:latest"/);
    expect(trace.stderr).toMatch(/node_modules\/cloudnative-constructs\/src\/[\w/-]+\.ts:\d+:\d+/);
    const map = JSON.parse(fs.readFileSync(path.join(modules, 'cloudnative-constructs', 'lib', 'web-app.js.map'), 'utf8'));
    expect(map.sources).toEqual(['../src/web-app.ts']);
    expect(map.sourcesContent[0]).toBe(fs.readFileSync(path.join(REPO, 'src', 'web-app.ts'), 'utf8'));

    // WHEN the user's app (the README's complete example) and test type-check with the cdk8s
    // template's tsconfig (strict, CommonJS, node10 resolution, no skipLibCheck) and compile
    fs.writeFileSync(path.join(app, 'main.ts'), readmeBlock('A complete example'));
    fs.writeFileSync(path.join(app, 'main.test.ts'), USER_TEST);
    fs.writeFileSync(path.join(app, 'readme.test.ts'), readmeBlock('Testing your app'));
    const template = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), 'utf8'));
    template.compilerOptions.types = ['jest', 'node'];
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(template, null, 2));
    run(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);

    // AND the real cdk8s CLI synthesises the example, after a delivery recorded the pushed digest
    const digest = `sha256:${'ab'.repeat(32)}`;
    fs.writeFileSync(path.join(app, 'image-digests.json'), JSON.stringify({ 'ghcr.io/acme/web': digest }));
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\n');
    run(process.execPath, [path.join(REPO, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], app);
    // THEN it wrote valid manifests and the workflow
    const objects = ['shop.k8s.yaml', path.join('argocd', 'argocd.k8s.yaml')]
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(app, 'dist', f), 'utf8')).map((d) => d.toJSON() as Manifest));
    validateManifests(objects);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining([
      'Namespace/shop', 'Gateway/public', 'Deployment/web', 'Service/web', 'HTTPRoute/web', 'HorizontalPodAutoscaler/web', 'Deployment/api-stable', 'VirtualService/api', 'Application/delivery',
    ]));
    expect(fs.existsSync(path.join(app, '.github', 'workflows', 'delivery.yml'))).toBe(true);
    // the README's claims: the delivered digest feeds the image, and no ResourceQuota unless asked
    const web = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    expect(web.spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/web@${digest}`);
    expect(objects.filter((o) => o.kind === 'ResourceQuota')).toEqual([]);

    // AND the user's Jest test passes with the test kit's matchers
    const jest = spawnSync(process.execPath, [path.join(modules, 'jest', 'bin', 'jest.js'), '--ci', '--rootDir', app, '--testMatch', '**/*.test.js', '--transform', '{}', '--watchman=false'], { cwd: app, encoding: 'utf8' });
    expect(`${jest.status}\n${jest.stderr}`).toMatch(/^0\n[\s\S]*Tests: {7}4 passed, 4 total/);

    // AND `cdk8s synth -o <absolute folder of the app>` names that folder in the Application and
    // the workflow (the App's outdir is then absolute)
    run(process.execPath, [path.join(REPO, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade', '-o', path.join(app, 'out', 'manifests')], app);
    const application = parseAllDocuments(fs.readFileSync(path.join(app, 'out', 'manifests', 'argocd', 'argocd.k8s.yaml'), 'utf8'))[0].toJSON();
    expect(application.spec.source.path).toEqual('out/manifests');
    expect(fs.readFileSync(path.join(app, '.github', 'workflows', 'delivery.yml'), 'utf8')).toMatch(/OUTDIR: out\/manifests\n/);

    newcomerChecks(app, modules);
  }, 420_000);
});

/**
 * What a newcomer with today's `cdk8s init` and ts-jest trips on: the matchers registered by
 * `setupFilesAfterEnv` must be typed in a test that imports only the library, and the packed
 * declarations must type-check under `strict`, `exactOptionalPropertyTypes` and without
 * `skipLibCheck`, with every README sample and the constructs combined as users combine them.
 */
function newcomerChecks(app: string, modules: string): void {
  // GIVEN a ts-jest project whose setup registers the kit by module name (no TypeScript setup file)
  const project = path.join(app, 'tsjest');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'jest.config.js'), `module.exports = ${JSON.stringify({
    rootDir: project, testMatch: ['**/*.test.ts'], transform: { '^.+\\.tsx?$': 'ts-jest' }, setupFilesAfterEnv: ['cloudnative-constructs/testing'],
  })};\n`);
  const template = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), 'utf8'));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(template, null, 2));
  fs.writeFileSync(path.join(project, 'shop.test.ts'), NEWCOMER_TEST);
  // WHEN ts-jest type-checks and runs it
  const jest = spawnSync(process.execPath, [path.join(modules, 'jest', 'bin', 'jest.js'), '--ci', '--config', path.join(project, 'jest.config.js'), '--watchman=false'], { cwd: project, encoding: 'utf8' });
  // THEN the matchers are typed and pass (on main before this change: TS2339 "Property
  // 'toPassPodSecurity' does not exist on type 'JestMatchers<Chart>'")
  expect(`${jest.status}\n${jest.stderr}`).toMatch(/^0\n[\s\S]*Tests: {7}1 passed, 1 total/);

  // GIVEN every README sample and a user's combination of the constructs, under the strictest settings
  const strict = path.join(app, 'strict');
  fs.mkdirSync(strict);
  const samples = readmeSamples().map((code, i) => {
    fs.writeFileSync(path.join(strict, `sample-${i}.ts`), code);
    return `sample-${i}.ts`;
  });
  fs.writeFileSync(path.join(strict, 'combined.ts'), COMBINED);
  const options = { ...template.compilerOptions, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, types: ['jest', 'node'] };
  fs.writeFileSync(path.join(strict, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: [...samples, 'combined.ts'] }, null, 2));
  // WHEN they type-check; THEN neither our declarations nor the samples fail (on main before this
  // change: TS2420 in five .d.ts files, and TS2322 for `new Autoscaled(c, 'x', { target: webApp })`)
  const tsc = spawnSync(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: strict, encoding: 'utf8' });
  expect(tsc.stdout).toBe('');
}

const NEWCOMER_TEST = `import { Chart, Testing } from 'cdk8s';
import { CanaryRelease, NetworkPolicyBundle, SecureNamespace, WebApp } from 'cloudnative-constructs';

test('typed by the library import, registered by setupFilesAfterEnv, CRD kinds validated', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop' });
  const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', ports: [{ name: 'metrics', port: 9090 }] });
  const api = new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 });
  new NetworkPolicyBundle(chart, 'net').allow(web, api, 'http');
  expect(chart).toPassPodSecurity();
  expect(chart).toAllowTraffic(web, api, 'http');
  expect(chart).toDenyTraffic(api, web, 'metrics');
  expect(chart).toHaveObject('VirtualService', 'api');
  expect(chart).toBeValidKubernetes();
});
`;

const COMBINED = `import { App, Chart } from 'cdk8s';
import {
  Autoscaled, CanaryRelease, NetworkPolicyBundle, ProgressiveRelease, ScheduledJob, StatefulApp, WebApp, Worker,
} from 'cloudnative-constructs';
import { trafficPairs, manifestsOf } from 'cloudnative-constructs/testing';

const chart = new Chart(new App(), 'c', { namespace: 'c' });
const webApp = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
const worker = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
const db = new StatefulApp(chart, 'db', { image: 'docker.io/library/postgres:16.2', port: 5432 });
const release = new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 0 });
const progressive = new ProgressiveRelease(chart, 'shop', { image: 'ghcr.io/acme/shop:1.0.0', steps: [{ weight: 50, pause: '1m' }, { weight: 100 }] });
const job = new ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily' });
for (const target of [webApp, worker, db, release.stable, progressive]) new Autoscaled(chart, \`\${target.node.id}-scaling\`, { target, maxReplicas: 3 });
new NetworkPolicyBundle(chart, 'net').allow(webApp, release).allow(worker, db).allow(job, progressive).allow(webApp, db, 5432);
trafficPairs(manifestsOf(chart), webApp, release);
`;

