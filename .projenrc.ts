import { JsonFile, javascript, typescript } from 'projen';

const project = new typescript.TypeScriptProject({
  name: 'cloudnative-constructs',
  description: 'Hardened cdk8s constructs for web apps, autoscaling, secure namespaces, network policy, Istio canaries and GitOps pipelines',
  license: 'Apache-2.0',
  copyrightOwner: 'cloudnative-constructs authors',
  authorName: 'cloudnative-constructs authors',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  typescriptVersion: '~5.9.3',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  sampleCode: false,
  peerDependencyOptions: { pinnedDevDependency: false },
  // cdk8s-plus and the test kit's schema validators are optional peers (see peerDependenciesMeta below)
  peerDeps: ['cdk8s@^2.70.106', 'cdk8s-plus-28@^2.5.6', 'constructs@^10.4.0', 'kubernetes-models@^4.5.1', '@kubernetes/client-node@^1.4.0'],
  deps: ['yaml@^2.9.1', 'ajv@^8.20.0', 'cron-parser@^5.10.6'],
  devDeps: [
    'fast-check@^4.10.2',
    'cdk8s@2.70.106',
    'cdk8s-plus-28@2.5.6',
    'constructs@10.8.1',
    'tsx@^4.23.0',
    'esbuild@~0.28.2',
    'kubernetes-models@^4.5.1',
    '@kubernetes/client-node@^1.4.0',
    '@kubernetes-models/istio@^2.3.0',
    '@kubernetes-models/argo-cd@^2.7.2',
    '@actions/workflow-parser@^0.3.61',
    'cdk8s-plus-33@2.5.57',
    'cdk8s-cli@^2.207.60',
    'typedoc@^0.28.20',
    'typedoc-plugin-markdown@^4.14.1',
    'ts-json-schema-generator@^2.10.0',
    '@prometheus-io/lezer-promql@^0.315.0',
    '@lezer/lr@^1.4.2',
    '@lezer/highlight@^1.2.1',
    'ts-node@^10.9.2',
    // test/import-cycles.test.ts: the import graph of src/, type-only imports included
    'madge@^8.0.0',
    '@types/madge@^5.0.3',
  ],
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
    },
  },
  tsconfigDev: {
    include: ['../src/**/*.ts', '../examples/**/*.ts', '../bench/**/*.ts', '../.projenrc.ts'],
    // fast-check's declarations import `pure-rand/types`, which `moduleResolution: node` cannot resolve
    compilerOptions: { skipLibCheck: true },
  },
  artifactsDirectory: 'package-dist',
  // the package is an allowlist (`files` below), not an .npmignore denylist
  npmignoreEnabled: false,
  tsconfig: {
    // separate .js.map files that embed their TypeScript source (src/ is not shipped): stack traces
    // name src/<file>.ts lines and debuggers show the source; lib/*.js stays free of base64 maps
    compilerOptions: { inlineSourceMap: false, sourceMap: true, inlineSources: true },
  },
  eslintOptions: { commandOptions: { fix: false }, dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc'], projectService: false, tsconfigPath: './test/tsconfig.json' },
  gitignore: ['*.cpuprofile'],
});

// `npx cloudnative-constructs plan`: what a synthesis changes against the committed output
project.addBins({ 'cloudnative-constructs': 'lib/cli.js' });

// the failure drills evaluate PromQL with Prometheus's engine: the test command installs promtool
// where it can (Debian as root) and otherwise fails naming the install command, never skipping
project.testTask.prependExec('bash scripts/ensure-promtool.sh');

// `npm run eslint -- --fix` rewrites files; the test command only checks (eslintOptions.commandOptions)

// the main job runs tsx directly: going through projen's task runner costs about two seconds
project.package.setScript('synth', 'tsx examples/main.ts');

project.addTask('bench', {
  description: 'Benchmark: N = 1, 10, 100, 1000 WebApps (autoscaled, with allow() rules) against hand-written cdk8s-plus-28 (pass -- --n 100,1000 --runs 5 to choose), then 6, 30 and 60 namespace charts with one Pipeline each (bench/pipelines.ts)',
  exec: 'tsx bench/run.ts',
  receiveArgs: true,
});
project.tasks.tryFind('bench')!.exec('tsx bench/pipelines.ts');

// the JSON Schema of every exported *Props type and public method's arguments, checked at run time
// (src/internal/validation); a test fails when the committed file drifts from the source
// the CRD schemas shipped with the test kit (crds/), reduced from the upstream copies in test/schemas/
project.addTask('generate-crds', {
  description: 'Regenerate crds/ (the CRD schemas toBeValidKubernetes() ships) from the upstream CRDs in test/schemas/',
  exec: 'tsx projenrc/generate-crds.ts',
});

project.addTask('generate-schemas', {
  description: 'Regenerate src/internal/validation/props-schema.json from the exported types of src/index.ts and its precompiled validators (src/internal/validation/generated/, one module per props type and method)',
  exec: 'tsx projenrc/generate-schemas.ts',
});

// unrs-resolver 1.13 (via eslint-import-resolver-typescript) lists platform bindings that the
// registry here does not serve, which leaves the lock file unusable by `npm ci`; 1.12.2 has them all
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// the example manifests are committed, as a GitOps repository would: a test fails when they drift
project.gitignore.removePatterns('/dist/');

// ---- the npm package: lib/, README, LICENSE, CHANGELOG and nothing else -------------------------
project.package.addVersion('0.1.0');
// lib/**/*.json: JSON the code imports (the props schema), copied by tsc
// crds/: the CRD schemas the test kit validates custom kinds against, with their licences
// (`npx projen generate-crds`; about 1.1 MB unpacked, 90 kB in the tarball)
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.js.map', 'lib/**/*.d.ts', 'lib/**/*.json', 'CHANGELOG.md',
  'crds/README.md', 'crds/*/schemas.json', 'crds/*/LICENSE', 'crds/*/NOTICE']);
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './testing': { types: './lib/testing/index.d.ts', default: './lib/testing/index.js' },
  './package.json': './package.json',
});
// TypeScript's `moduleResolution: node` (node10) ignores `exports`: point it at the test kit's types
project.package.addField('typesVersions', { '*': { testing: ['lib/testing/index.d.ts'] } });
project.package.addField('peerDependenciesMeta', {
  'cdk8s-plus-28': { optional: true },
  'kubernetes-models': { optional: true },
  '@kubernetes/client-node': { optional: true },
});
project.package.addField('keywords', ['cdk8s', 'kubernetes', 'istio', 'constructs', 'gitops', 'argocd', 'pod-security']);

// ---- API reference: TypeDoc + typedoc-plugin-markdown into docs/api/ (committed; a test checks drift)
new JsonFile(project, 'typedoc.json', {
  // TypeDoc rejects unknown options such as projen's "//" marker
  marker: false,
  obj: {
    $schema: 'https://typedoc.org/schema.json',
    entryPoints: ['src/index.ts', 'src/testing/index.ts'],
    tsconfig: 'tsconfig.json',
    plugin: ['typedoc-plugin-markdown'],
    out: 'docs/api',
    readme: 'none',
    excludePrivate: true,
    excludeProtected: true,
    excludeInternal: true,
    // no "Defined in" source links: line numbers would make every edit drift the reference
    disableSources: true,
    hideGenerator: true,
    cleanOutputDir: true,
    sort: ['kind', 'alphabetical'],
    // an export without documentation, a broken {@link} or a public type that is not exported fails the run
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    requiredToBeDocumented: ['Enum', 'EnumMember', 'Variable', 'Function', 'Class', 'Interface', 'Property', 'Method', 'Accessor', 'TypeAlias'],
    treatWarningsAsErrors: true,
    intentionallyNotExported: ['CanaryTrackInput'],
    // tsc and the tests type-check; TypeDoc only reads the declarations
    skipErrorChecking: true,
  },
});
project.gitattributes.addAttributes('/docs/api/**', 'linguist-generated');
project.addTask('docs', {
  description: 'Regenerate the API reference in docs/api/ from the TSDoc (run after changing the public API)',
  exec: 'typedoc --options typedoc.json',
});

project.synth();
