import * as fs from 'fs';
import * as path from 'path';
import { generateSchema, SCHEMA_FILE, validatorFiles, VALIDATORS_DIR } from '../projenrc/generate-schemas';

describe('generated props schema', () => {
  // generated once: the TypeScript program behind it takes seconds to build
  const generated = generateSchema();

  test('the committed schema is exactly what the exported types generate (run `npx projen generate-schemas` after changing props)', () => {
    // GIVEN the committed file WHEN the schema is generated from src/index.ts THEN they agree
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(JSON.stringify(generated, null, 2) + '\n');
  });

  test('the committed precompiled validators are exactly what the schema generates (run `npx projen generate-schemas` after changing props)', () => {
    // GIVEN the committed modules WHEN ajv's standalone code is generated from the schema THEN they agree, and no stale module is left
    const { write, stale } = validatorFiles(generated);
    for (const [file, content] of write) expect([file, fs.readFileSync(file, 'utf8') === content]).toEqual([file, true]);
    expect(stale).toEqual([]);
  });

  test('run time never loads ajv: the validators are compiled code, the runtime module imports only their types', () => {
    // GIVEN the runtime check and the generated validators THEN neither requires ajv at run time
    const runtime = fs.readFileSync(require.resolve('../src/internal/validation/validate-props'), 'utf8');
    expect(runtime.split('\n').filter(line => /['"]ajv/.test(line) && !line.startsWith('import type '))).toEqual([]);
    for (const file of fs.readdirSync(VALIDATORS_DIR).filter(f => f !== 'index.ts')) {
      expect([file, fs.readFileSync(path.join(VALIDATORS_DIR, file), 'utf8')]).not.toEqual([file, expect.stringMatching(/require\(|new Ajv|\.compile\(/)]);
    }
  });

  test('a construct loads only its own validator, the first time it is created', () => {
    // GIVEN a fresh module registry WHEN one WebApp is created THEN the WebApp validator is loaded and no other construct's
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('../src');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Chart, Testing } = require('cdk8s');
      const loaded = () => Object.keys(require.cache).filter(k => k.startsWith(VALIDATORS_DIR)).map(k => path.basename(k)).sort();
      expect(loaded()).toEqual(['index.ts']);
      new lib.WebApp(new Chart(Testing.app(), 'c'), 'web', { image: 'ghcr.io/acme/web:1.0.0' });
      expect(loaded()).toEqual(['index.ts', 'props-WebAppProps.ts']);
    });
  });

  test('every exported props type and the validated methods are in it', () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    expect(Object.keys(schema.props)).toEqual(expect.arrayContaining(['AutoscaledProps', 'CanaryReleaseProps', 'NetworkPolicyBundleProps', 'PipelineProps', 'SecureNamespaceProps', 'WebAppProps',
      'WorkerProps', 'StatefulAppProps', 'ScheduledJobProps']));
    expect(schema.methods['NetworkPolicyBundle.prototype.allow'].map((p: { name: string }) => p.name)).toEqual(['from', 'to', 'port', 'options']);
    expect(schema.methods['NetworkPolicyBundle.prototype.allowEgress'].map((p: { name: string }) => p.name)).toEqual(['from', 'to']);
    expect(schema.methods.reachabilityReport.map((p: { name: string }) => p.name)).toEqual(['source', 'title']);
    // construct instances and cdk8s classes are checked structurally, not described field by field
    // (a cdk8s-plus workload of any major by its shape, IPlusWorkload)
    expect(schema.definitions.AutoscalingTarget).toEqual({ anyOf: [{ instanceOf: 'IScalableWorkload' }, { instanceOf: 'IPlusWorkload' }] });
    expect(schema.methods['NetworkPolicyBundle.prototype.allow'][0].schema).toEqual({ anyOf: [{ instanceOf: 'INetworkPeer' }, { instanceOf: 'IPlusWorkload' }] });
  });
});
