import * as fs from 'fs';
import { generateSchema, renderValidators, SCHEMA_FILE, VALIDATORS_FILE } from '../projenrc/generate-schemas';

describe('generated props schema', () => {
  // generated once: the TypeScript program behind it takes seconds to build
  const generated = generateSchema();

  test('the committed schema is exactly what the exported types generate (run `npx projen generate-schemas` after changing props)', () => {
    // GIVEN the committed file WHEN the schema is generated from src/index.ts THEN they agree
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(JSON.stringify(generated, null, 2) + '\n');
  });

  test('the committed precompiled validators are exactly what the schema generates (run `npx projen generate-schemas` after changing props)', () => {
    // GIVEN the committed module WHEN ajv's standalone code is generated from the schema THEN they agree
    expect(fs.readFileSync(VALIDATORS_FILE, 'utf8')).toBe(renderValidators(generated));
  });

  test('run time never loads ajv: the validators are compiled code, the runtime module imports only their types', () => {
    // GIVEN the runtime check and the generated validators THEN neither requires ajv at run time
    const runtime = fs.readFileSync(require.resolve('../src/internal/validation/validate-props'), 'utf8');
    expect(runtime.split('\n').filter(line => /['"]ajv/.test(line) && !line.startsWith('import type '))).toEqual([]);
    expect(fs.readFileSync(VALIDATORS_FILE, 'utf8')).not.toMatch(/require\(|new Ajv|\.compile\(/);
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
