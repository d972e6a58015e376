import * as fs from 'fs';
import { renderSchema, SCHEMA_FILE } from '../projenrc/generate-schemas';

describe('generated props schema', () => {
  test('the committed schema is exactly what the exported types generate (run `npx projen generate-schemas` after changing props)', () => {
    // GIVEN the committed file WHEN the schema is generated from src/index.ts THEN they agree
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema());
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
