import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, JsonPatch, Testing, Yaml, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { buildShop } from '../examples/shop';
import * as lib from '../src';
import { Autoscaled, CanaryRelease, FastApp, SecureNamespace, WebApp, synth, synthYaml, toYaml } from '../src';
import { checkWiring, wiringProblems } from '../src/internal/output/wiring';

/** Strings that YAML would read as another type, or that need quoting or a block. */
const TRICKY = [
  'yes', 'Yes', 'YES', 'no', 'on', 'On', 'off', 'OFF', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '',
  '1.0', '1', '-1', '+1', '012', '0775', '0x1', '0x1F', '0b101', '1_000', '1e3', '1e-3', 'e1', '.inf', '-.Inf', '.NaN',
  '12:30', '1:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '<<', '=',
  ' leading', 'trailing ', '  both  ', 'a: b', 'a:b', 'key:', '#comment', 'a #b', 'a#b', '- item', '-', '?', '? x', ':', '::1',
  '@handle', '`cmd`', '%TAG', '!tag', '&anchor', '*alias', '|', '>', '"double"', "'single'", "it's", 'say "hi"', 'both \' and "',
  '{', '}', '[a, b]', ',x', 'back\\slash', 'C:\\path', '\\u0000', 'tab\tinside', '\ttab-first',
  'multi\nline', 'multi\nline\n', 'trailing newlines\n\n', '\nleading newline', '  indented\nblock', 'a\n---\nb', 'x\n...\ny', '---', '--- x', '...',
  'line with trailing space \nnext', 'ends with spaces\n  ', '\n', '\n\n', 'null\n', 'é ü 中文 😀', 'nbsp\u00a0here', 'ctrl\u0001char', 'bell\u0007',
  'nul\u0000byte', 'del\u007f', 'nel\u0085x', 'ls\u2028x', 'ps\u2029x', 'bom\ufeffx', 'cr\rlf\r\n', 'http://example.com:8080/path?q=1#frag',
  '${{ github.sha }}', '{{ .Values.x }}', 'a'.repeat(300), `${'long line '.repeat(20)}\n${'another '.repeat(20)}`,
];

/** An app with realistic manifests (the example shop, a cdk8s-plus Deployment) and a chart of tricky strings. */
function buildRichApp(props: AppProps): App {
  const app = new App(props);
  buildShop(app);
  const chart = new Chart(app, 'tricky', { namespace: 'tricky' });
  const data: Record<string, string> = {};
  TRICKY.forEach((s, i) => { data[`k${String(i).padStart(3, '0')}`] = s; });
  new ApiObject(chart, 'config', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'tricky', annotations: Object.fromEntries(TRICKY.filter(s => !s.includes('\n')).map((s, i) => [`example.com/a${i}`, s])) },
    data,
  });
  const keyed: Record<string, unknown> = {};
  TRICKY.forEach((s, i) => { keyed[s] = i % 3 === 0 ? s : i % 3 === 1 ? [s, { [s]: s }] : { nested: { [s]: [] } }; });
  new ApiObject(chart, 'keys', {
    apiVersion: 'example.com/v1',
    kind: 'Tricky',
    metadata: { name: 'keys' },
    spec: {
      keyed,
      numbers: [0, 1, -1, 1.5, -2.25, 1e21, 1e-7, 123456789, 2 ** 53, 0.1 + 0.2],
      booleans: [true, false],
      nulls: [null],
      empties: { list: [], map: {}, string: '' },
      nested: [[1, [2, [3]]], [{ a: [{ b: {} }] }], [[]], [{}]],
    },
  });
  const deployment = new kplus.Deployment(chart, 'plus', {
    containers: [{ image: 'ghcr.io/acme/plus:1.0.0', portNumber: 8080, args: ['--flag=yes', 'on', '1.0', '- dash', 'a: b'] }],
  });
  deployment.exposeViaService();
  const web = new WebApp(chart, 'tricky-web', {
    image: 'ghcr.io/acme/web:1.4.2',
    env: { YES: 'yes', EMPTY: '', NUM: '1.0', MULTI: 'a\nb', HASH: '#x' },
    config: { 'app.properties': 'a=1\nb: 2\n# comment\n', 'flag': 'on' },
  });
  new Autoscaled(chart, 'tricky-web-scaling', { target: web, maxReplicas: 4 });
  ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched': 'yes', 'example.com/ws': ' x ' }));
  const Bundle = (lib as Record<string, any>).NetworkPolicyBundle;
  if (Bundle) {
    const api = new WebApp(chart, 'tricky-api', { image: 'ghcr.io/acme/api:2.0.0' });
    new Bundle(chart, 'net', {}).allow(web, api);
  }
  return app;
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-synth-test-'));
}

/** Every file under `dir`, relative, sorted, with its contents. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isFile()) files.set(rel, fs.readFileSync(full, 'utf8'));
  }
  return files;
}

/**
 * The files `synth` wrote, named as cdk8s's `app.synth()` names them: `synth` writes the ArgoCD
 * Applications' chart into the folder `argocd/` (which no Application syncs) in every output type,
 * where cdk8s writes `argocd.k8s.yaml` (or `Application.<name>.k8s.yaml`) beside the other charts.
 */
function asCdk8sNames(tree: Map<string, string>, yamlOutputType = YamlOutputType.FILE_PER_CHART): Map<string, string> {
  if (yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return tree;
  const renamed = [...tree].map(([file, text]): [string, string] => [file.startsWith('argocd/') ? file.slice('argocd/'.length) : file, text]);
  return new Map(renamed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The documents of a YAML stream, read with the given YAML version; fails on any parse error.
 * `merge = false` reads a `<<` key as a plain key: cdk8s writes it unquoted, which YAML 1.1
 * parsers with merge keys (cdk8s's own `Yaml.load` included) reject; this library quotes it.
 */
/** The documents as PyYAML's pure-Python SafeLoader reads them; undefined without python3 and PyYAML. */
function pyyamlLoadAll(text: string): unknown[] | undefined {
  const script = 'import sys, json, yaml\nprint(json.dumps(list(yaml.load_all(sys.stdin.read(), Loader=yaml.SafeLoader))))';
  let available = true;
  try {
    execFileSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
  } catch {
    available = false;
  }
  return available ? JSON.parse(execFileSync('python3', ['-c', script], { input: text, maxBuffer: 64 * 1024 * 1024 }).toString()) : undefined;
}

function parseAll(text: string, version: '1.1' | '1.2', merge = true): unknown[] {
  const noMerge = (tags: YAML.Tags) => tags.filter(t => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge');
  return YAML.parseAllDocuments(text, { version, customTags: merge ? undefined : noMerge }).map(doc => {
    if (doc.errors.length > 0) throw new Error(`YAML error: ${doc.errors.map(e => e.message).join('; ')}\n${text}`);
    return doc.toJS({ maxAliasCount: -1 });
  });
}

/** What the documents mean as JSON data (undefined as null, like cdk8s's `keepUndefined`). */
function asJson(docs: unknown[]): unknown[] {
  return docs.map(d => JSON.parse(JSON.stringify(d, (_k, v) => (v === undefined ? null : v))));
}

describe('synth(app)', () => {
  // FILE_PER_APP and FILE_PER_RESOURCE: see the tests of lost objects and of ArgoCD placement below
  const modes: Array<[string, YamlOutputType]> = [
    ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ];

  test.each(modes)('writes the same files and documents as app.synth() (%s), semantically identical under YAML 1.1 and 1.2', (_name, yamlOutputType) => {
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    buildRichApp({ outdir: theirsDir, yamlOutputType }).synth();
    const result = synth(buildRichApp({ outdir: oursDir, yamlOutputType }));

    const theirs = readTree(theirsDir);
    const ours = asCdk8sNames(readTree(oursDir), yamlOutputType);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    const written = [...asCdk8sNames(new Map(result.files.map(f => [path.relative(oursDir, f), ''])), yamlOutputType).keys()].sort();
    expect(written).toEqual([...theirs.keys()]);
    let documents = 0;
    for (const [file, text] of theirs) {
      for (const version of ['1.1', '1.2'] as const) {
        expect(parseAll(ours.get(file)!, version)).toEqual(parseAll(text, version, false));
      }
      documents += parseAll(text, '1.1', false).length;
    }
    if (written.length === result.files.length) {
      expect(result.objects).toBe(documents);
      expect(result.bytes).toBe([...ours.values()].reduce((n, t) => n + Buffer.byteLength(t), 0));
    }
  });

  test('the documents read back as exactly the objects cdk8s synthesises, under YAML 1.1 and 1.2', () => {
    const app = buildRichApp({ outdir: tmpdir() });
    const expected = asJson(app.charts.flatMap(c => Testing.synth(c)));
    const yamlText = synthYaml(buildRichApp({ outdir: tmpdir() }));
    for (const version of ['1.1', '1.2'] as const) {
      expect(parseAll(yamlText, version)).toEqual(expected);
    }
    // the tricky strings are all there, as strings
    const config = parseAll(yamlText, '1.1').find((d: any) => d.kind === 'ConfigMap' && d.metadata.name === 'tricky') as any;
    expect(Object.values(config.data)).toEqual(TRICKY);
  });

  test('writes byte-identical files to app.synth() for ordinary manifests (the examples)', () => {
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    const theirs = new App({ outdir: theirsDir });
    buildShop(theirs);
    theirs.synth();
    const ours = new App({ outdir: oursDir });
    buildShop(ours);
    synth(ours);
    expect(asCdk8sNames(readTree(oursDir))).toEqual(readTree(theirsDir));
  });

  test('writes the same files as app.synth() under FILE_PER_RESOURCE when no two objects share a kind and name', () => {
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    const theirs = new App({ outdir: theirsDir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    buildShop(theirs);
    theirs.synth();
    const ours = new App({ outdir: oursDir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    buildShop(ours);
    synth(ours);
    expect(asCdk8sNames(readTree(oursDir), YamlOutputType.FILE_PER_RESOURCE)).toEqual(readTree(theirsDir));
    expect([...readTree(oursDir).keys()].filter(f => f.startsWith('argocd/'))).toEqual(['argocd/Application.delivery-shop.k8s.yaml']);
  });

  describe('never loses an object: two namespaces\' objects of one kind and name', () => {
    const twoNamespaces = (outdir: string, yamlOutputType: YamlOutputType) => {
      const app = new App({ outdir, yamlOutputType });
      for (const ns of ['shop', 'billing']) {
        const chart = new Chart(app, ns, { namespace: ns });
        new SecureNamespace(chart, 'ns', { name: ns, access: { viewers: ['support'] } });
        new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
      }
      return app;
    };
    const lost = /NetworkPolicy shop\/default-deny \(shop\/ns\/NetworkPolicy-default-deny\) and NetworkPolicy billing\/default-deny \(billing\/ns\/NetworkPolicy-default-deny\) would both be written to NetworkPolicy.default-deny.k8s.yaml, the second overwriting the first; FILE_PER_RESOURCE names files by kind and name only: use YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE/;

    test('FILE_PER_RESOURCE: app.synth() and synth(app) fail naming both objects, and write nothing', () => {
      const theirsDir = path.join(tmpdir(), 'out');
      const oursDir = path.join(tmpdir(), 'out');
      expect(() => twoNamespaces(theirsDir, YamlOutputType.FILE_PER_RESOURCE).synth()).toThrow(lost);
      expect(() => synth(twoNamespaces(oursDir, YamlOutputType.FILE_PER_RESOURCE))).toThrow(lost);
      expect(fs.existsSync(oursDir)).toBe(false);
    });

    test.each([
      ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
      ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
      ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
    ])('%s: every object is written, by app.synth() and by synth(app)', (_name, yamlOutputType) => {
      const expected = twoNamespaces(tmpdir(), yamlOutputType).charts.flatMap(c => Testing.synth(c)).length;
      const count = (dir: string) => [...readTree(dir).values()].reduce((n, text) => n + parseAll(text, '1.1').length, 0);
      const theirsDir = tmpdir();
      twoNamespaces(theirsDir, yamlOutputType).synth();
      const oursDir = tmpdir();
      expect(synth(twoNamespaces(oursDir, yamlOutputType)).objects).toBe(expected);
      expect(count(oursDir)).toBe(expected);
      expect(count(theirsDir)).toBe(expected);
    });
  });

  test('listFiles prints each file written and a total', () => {
    const outdir = tmpdir();
    const app = new App({ outdir });
    buildShop(app);
    const printed: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => { printed.push(chunk); return true; }) as typeof process.stdout.write;
    try {
      synth(app, { listFiles: true });
    } finally {
      process.stdout.write = write;
    }
    expect(printed.join('')).toMatch(new RegExp(`^  ${outdir}/shop.k8s.yaml \\(\\d+ objects\\)\n  ${outdir}/argocd/argocd.k8s.yaml \\(1 object\\)\nsynth: 2 file\\(s\\), \\d+ object\\(s\\) written to ${outdir}\n$`));
  });

  describe('removes what it wrote before and no longer writes (as `cdk8s synth` empties the folder)', () => {
    const build = (outdir: string, charts: string[], props: Partial<AppProps> = {}) => {
      const app = new App({ outdir, ...props });
      for (const id of charts) new WebApp(new Chart(app, id, { namespace: id }), 'web', { image: 'ghcr.io/acme/web:1.0.0' });
      return app;
    };

    test('a removed chart\'s file and folder go; the files synth does not own stay', () => {
      const outdir = tmpdir();
      synth(build(outdir, ['shop', 'billing'], { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, recordConstructMetadata: true }));
      const kept = ['.gitkeep', 'notes.md', 'billing/.gitkeep', '.hidden/Deployment.x.k8s.yaml', 'kustomize/base/Deployment.x.k8s.yaml', 'Deploy.yaml'];
      for (const f of kept) {
        fs.mkdirSync(path.dirname(path.join(outdir, f)), { recursive: true });
        fs.writeFileSync(path.join(outdir, f), 'x');
      }
      const result = synth(build(outdir, ['shop'], { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE }));
      expect(result.removed.map(f => path.relative(outdir, f))).toEqual([
        'billing/Deployment.web.k8s.yaml', 'billing/PodDisruptionBudget.web.k8s.yaml', 'billing/Service.web.k8s.yaml', 'billing/ServiceAccount.web.k8s.yaml', 'construct-metadata.json',
      ]);
      expect([...readTree(outdir).keys()].sort()).toEqual([...kept, ...result.files.map(f => path.relative(outdir, f))].sort());
      // an emptied chart folder goes
      fs.rmSync(path.join(outdir, 'billing', '.gitkeep'));
      synth(build(outdir, ['shop', 'billing'], { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE }));
      synth(build(outdir, ['shop'], { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE }));
      expect(fs.existsSync(path.join(outdir, 'billing'))).toBe(false);
    });

    test('listFiles prints each file removed', () => {
      const outdir = tmpdir();
      synth(build(outdir, ['shop', 'billing']));
      const printed: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((chunk: string) => { printed.push(chunk); return true; }) as typeof process.stdout.write;
      try {
        synth(build(outdir, ['shop']), { listFiles: true });
      } finally {
        process.stdout.write = write;
      }
      expect(printed.join('')).toContain(`  removed ${outdir}/billing.k8s.yaml\nsynth: 1 file(s), 4 object(s) written to ${outdir}, 1 removed\n`);
    });

    test('fails, writing nothing, when the output folder is a repository root or holds the current folder', () => {
      const repo = tmpdir();
      fs.mkdirSync(path.join(repo, '.git'));
      fs.writeFileSync(path.join(repo, 'compose.k8s.yaml'), 'x');
      expect(() => synth(build(repo, ['shop']))).toThrow(/synth: the output folder .* is a git repository's root; synth removes the manifests it wrote there before and no longer writes, so give the App an output folder of its own \(e.g. outdir: "dist"\)/);
      expect(fs.readdirSync(repo).sort()).toEqual(['.git', 'compose.k8s.yaml']);
      expect(() => synth(build(path.dirname(process.cwd()), ['shop']))).toThrow(/is the current folder or one of its parents/);
    });
  });

  test('is deterministic: two synths give byte-identical files', () => {
    const a = tmpdir();
    const b = tmpdir();
    synth(buildRichApp({ outdir: a }));
    synth(buildRichApp({ outdir: b }));
    expect(readTree(b)).toEqual(readTree(a));
    expect(readTree(a).size).toBeGreaterThan(0);
  });

  test('names files by index when charts depend on each other, like app.synth()', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      const base = new Chart(app, 'base');
      const top = new Chart(app, 'top');
      new ApiObject(base, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      new ApiObject(top, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'yes' } });
      top.addDependency(base);
      return app;
    };
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    build(theirsDir).synth();
    synth(build(oursDir));
    expect([...readTree(oursDir).keys()]).toEqual(['0000-base.k8s.yaml', '0001-top.k8s.yaml']);
    expect(readTree(oursDir)).toEqual(readTree(theirsDir));
  });

  test('orders charts like app.synth(), integer-like chart ids included', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP });
      for (const id of ['b', '10', 'a', '2', '01']) {
        new ApiObject(new Chart(app, id), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${id}` } });
      }
      return app;
    };
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    build(theirsDir).synth();
    synth(build(oursDir));
    expect(readTree(oursDir)).toEqual(readTree(theirsDir));
    expect(parseAll(readTree(oursDir).get('app.k8s.yaml')!, '1.2').map((d: any) => d.metadata.name)).toEqual(['cm-2', 'cm-10', 'cm-b', 'cm-a', 'cm-01']);
  });

  test('orders objects by their dependencies inside a chart, like app.synth()', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      const chart = new Chart(app, 'deps');
      const first = new ApiObject(chart, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } });
      const second = new ApiObject(chart, 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' } });
      const third = new ApiObject(chart, 'third', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'third' } });
      first.addDependency(third);
      second.addDependency(first);
      return app;
    };
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    build(theirsDir).synth();
    synth(build(oursDir));
    const ours = readTree(oursDir);
    expect(parseAll(ours.get('deps.k8s.yaml')!, '1.2').map((d: any) => d.metadata.name)).toEqual(['third', 'first', 'second']);
    expect(ours).toEqual(readTree(theirsDir));
  });

  test('honours outputFileExtension and recordConstructMetadata', () => {
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    const build = (outdir: string) => {
      const app = new App({ outdir, outputFileExtension: '.yml', recordConstructMetadata: true });
      buildShop(app);
      return app;
    };
    build(theirsDir).synth();
    synth(build(oursDir));
    expect([...readTree(oursDir).keys()]).toEqual(['argocd/argocd.yml', 'construct-metadata.json', 'shop.yml']);
    expect(asCdk8sNames(readTree(oursDir))).toEqual(readTree(theirsDir));
  });

  test('fails with the same validation error as app.synth(), before writing anything', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      const chart = new Chart(app, 'bad');
      new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', replicas: 1, disruptionBudget: { minAvailable: 1 } });
      return app;
    };
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    let expected = '';
    try {
      build(theirsDir).synth();
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/Validation failed/);
    expect(() => synth(build(oursDir))).toThrow(expected);
    expect(readTree(oursDir).size).toBe(0);
  });
});

describe('where cdk8s output reads back wrong', () => {
  test('a `<<` key, whitespace-only strings and 0o17 read back as written (cdk8s writes them so that they do not)', () => {
    const doc = { '<<': 'merge?', 'a': ' \n', 'b': '\t\n ', 'c': [' \n'], 'd': '0o17' };
    for (const version of ['1.1', '1.2'] as const) expect(parseAll(toYaml(doc), version)).toEqual([doc]);
    // cdk8s: YAML 1.1 readers with merge keys (cdk8s's own Yaml.load) reject the file, ' \n' reads back
    // as '\n', and YAML 1.2 readers read 0o17 as the number 15
    expect(() => parseAll(Yaml.stringify(doc), '1.1')).toThrow(/Merge/);
    expect(parseAll(Yaml.stringify(doc), '1.2')).not.toEqual([doc]);
  });
});

describe('FastApp', () => {
  test('synth() writes what App#synth() writes; synthYaml() returns what App#synthYaml() returns', () => {
    const theirsDir = tmpdir();
    const oursDir = tmpdir();
    const theirs = new App({ outdir: theirsDir });
    buildShop(theirs);
    theirs.synth();
    const ours = new FastApp({ outdir: oursDir });
    buildShop(ours);
    ours.synth();
    expect(ours).toBeInstanceOf(App);
    expect(asCdk8sNames(readTree(oursDir))).toEqual(readTree(theirsDir));
    expect(ours.synthYaml()).toBe(theirs.synthYaml());
  });
});

describe('toYaml (the emitter)', () => {
  const unit = fc.constantFrom(
    'a', 'b', 'Z', 'e', 'o', 'x', 'y', 'n', '0', '1', '7', '9', ' ', '\t', '\n', '\r', '-', '+', '?', ':', '#', '&', '*', '!', '|', '>',
    "'", '"', '%', '@', '`', '.', '_', '/', '~', '{', '}', '[', ']', ',', '\\', '=', '<', '\u0000', '\u0001', '\u007f', '\u0085', '\u00a0',
    '\u2028', '\ufeff', '\ufffe', '\uffff', 'é', '😀',
  );
  const words = fc.constantFrom(...TRICKY, 'apiVersion', 'v1', '250m', '256Mi', '1.4.2', 'app.kubernetes.io/name', 'ghcr.io/acme/web:1.4.2');
  const str = fc.oneof(fc.string({ unit, maxLength: 10 }), words);
  const json = fc.letrec(tie => ({
    value: fc.oneof({ depthSize: 'small' },
      str, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(str, tie('value'), { maxKeys: 4 })),
  })).value;
  const docs = fc.array(fc.oneof(fc.dictionary(str, json, { maxKeys: 5 }), fc.array(json, { maxLength: 3 })), { minLength: 1, maxLength: 3 });

  // SYNTH_RUNS raises the number of generated cases for a deeper search (100,000 found `e-1`)
  test('any JSON data reads back unchanged under YAML 1.1 and YAML 1.2', () => {
    fc.assert(fc.property(docs, (values) => {
      const text = toYaml(...values);
      expect(parseAll(text, '1.1')).toEqual(values);
      expect(parseAll(text, '1.2')).toEqual(values);
    }), { numRuns: Number(process.env.SYNTH_RUNS ?? 2000) });
  });

  /** Strings where the emitter deliberately quotes more than the `yaml` package (see yaml-emitter.ts). */
  const deviates = (s: string) => /^(?:0o[0-7]+|<<|=)$/.test(s) || /^(?:---|\.\.\.)/.test(s) || /[\t\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/.test(s)
    || (/^[\t\n ]*$/.test(s) && /[\t ]/.test(s)) || (/\n/.test(s) && JSON.stringify(s).length >= 40);
  const hasDeviation = (v: unknown): boolean => typeof v === 'string' ? deviates(v)
    : Array.isArray(v) ? v.some(hasDeviation)
      : typeof v === 'object' && v !== null ? Object.entries(v).some(([k, x]) => deviates(k) || hasDeviation(x)) : false;

  test('writes the same bytes as cdk8s Yaml.stringify, except where it deliberately quotes more', () => {
    fc.assert(fc.property(docs, (values) => {
      fc.pre(!hasDeviation(values));
      expect(toYaml(...values)).toBe(Yaml.stringify(...values));
    }), { numRuns: Number(process.env.SYNTH_RUNS ?? 2000) });
  });

  test('quotes what YAML 1.1 or 1.2 would read as another type, and keeps ordinary strings plain', () => {
    expect(toYaml({ 'e-1': 'e-1', 'e1': 'E-12' })).toBe('"e-1": "e-1"\n"e1": "E-12"\n');
    expect(parseAll(toYaml({ 'e-1': 'e-1' }), '1.1')).toEqual([{ 'e-1': 'e-1' }]);
    expect(toYaml({ a: 'yes', b: 'on', c: '1.0', d: '0x1', e: '~', f: 'null', g: ' x', h: 'x ', i: 'a: b', j: '#x', k: '0o17', l: '' })).toBe(
      'a: "yes"\nb: "on"\nc: "1.0"\nd: "0x1"\ne: "~"\nf: "null"\ng: " x"\nh: "x "\ni: "a: b"\nj: "#x"\nk: "0o17"\nl: ""\n');
    expect(toYaml({ name: 'web', image: 'ghcr.io/acme/web:1.4.2', cpu: '250m', version: '1.4.2', url: 'http://api:8080' })).toBe(
      'name: web\nimage: ghcr.io/acme/web:1.4.2\ncpu: 250m\nversion: 1.4.2\nurl: http://api:8080\n');
    expect(toYaml({ script: 'set -e\nnpm test\n' })).toBe('script: |\n  set -e\n  npm test\n');
    expect(toYaml({ nel: 'a\u0085b', ls: 'a\u2028b' })).toBe('nel: "a\\Nb"\nls: "a\\Lb"\n');
  });

  test('a tab, U+FFFE and U+FFFF are written escaped inside double quotes (a raw tab in a plain scalar breaks PyYAML)', () => {
    expect(toYaml({ 'a': 'a\tb', 'b': '\ttab-first', 'c': 'x\ufffey', 'd': 'x\uffffy', 'k\tey': 1 })).toBe(
      'a: "a\\tb"\nb: "\\ttab-first"\nc: "x\\ufffey"\nd: "x\\uffffy"\n"k\\tey": 1\n');
  });

  /** What PyYAML's scanner rejects anywhere in a stream: a raw tab outside a block scalar, and its non-printable characters. */
  const PYYAML_REJECTS = /[^\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

  test('PyYAML reads every emitted string back: no raw tab or non-printable character, and its pure-Python loader agrees', () => {
    const strings = fc.sample(fc.oneof(fc.string({ unit, maxLength: 12 }), words), { numRuns: 3000, seed: 17 });
    const stream = [Object.fromEntries(TRICKY.map((t, i) => [`k${i}`, t])), ...strings.map(x => ({ [x]: x, list: [x] }))];
    const text = toYaml(...stream);
    expect(text).not.toMatch(/\t/);
    expect(text).not.toMatch(PYYAML_REJECTS);
    // the reference: PyYAML's pure-Python SafeLoader (YAML 1.1), where python3 and PyYAML are installed
    const read = pyyamlLoadAll(text);
    if (read !== undefined) expect(read).toEqual(stream);
  });

  test('falls back to the yaml package for data that is not plain JSON', () => {
    const odd = { when: new Date(0), big: { toJSON: () => 'x' } };
    expect(toYaml(odd)).toBe(Yaml.stringify(odd));
    expect(toYaml(undefined, { a: 1 })).toBe(Yaml.stringify(undefined, { a: 1 }));
    expect(toYaml()).toBe('');
  });
});

describe('performance shortcuts keep behaviour', () => {
  test('the wiring check skipped for unpatched objects finds nothing when run in full on them', () => {
    const app = new App({ outdir: tmpdir() });
    buildShop(app);
    const all = app.node.findAll();
    const webApps = all.filter((c): c is WebApp => WebApp.isWebApp(c));
    const releases = all.filter((c): c is CanaryRelease => c instanceof CanaryRelease);
    expect(webApps.length).toBeGreaterThan(0);
    for (const web of webApps) {
      const wiring = { service: web.service, workloads: [web._wired], ingress: web.ingress };
      expect(wiringProblems(wiring)).toEqual([]);
      expect(checkWiring(wiring)).toEqual([]);
    }
    for (const release of releases) {
      const wiring = {
        service: release.service,
        workloads: [release.stable._wired, release.canary._wired],
        destinationRule: release.destinationRule,
        virtualService: release.virtualService,
      };
      expect(checkWiring(wiring)).toEqual([]);
    }
  });
});
