/* Generates crds/: the CustomResourceDefinition schemas the test kit ships, so that
 * `toBeValidKubernetes()` validates the custom kinds this library writes (and users' own objects
 * of those kinds) strictly, with no file to pass. One folder per upstream source: `schemas.json`
 * (the source's CRDs reduced to what validation reads: group, kind, scope and each served
 * version's OpenAPI schema, without description texts) and the source's LICENSE (and NOTICE).
 *
 * The sources are the upstream copies the test harness validates against (test/schemas/); each
 * one's release and licence are recorded in its README there. Shipping another source is one
 * line in SOURCES below, then `npx projen generate-crds`.
 *
 * Run: `npx projen generate-crds` (or `tsx projenrc/generate-crds.ts [--check]`). With `--check`
 * it writes nothing and exits 1 when the committed crds/ differs from the sources. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..');
export const CRDS_DIR = path.join(ROOT, 'crds');
const SCHEMAS = path.join(ROOT, 'test', 'schemas');

interface CrdSource {
  /** The folder name under crds/. */
  readonly name: string;
  /** Upstream CRD YAML files (or folders of them), relative to test/schemas/. */
  readonly from: readonly string[];
  /** Licence files to ship beside them: target name → file relative to test/schemas/. */
  readonly licence: Readonly<Record<string, string>>;
  /** The upstream release, for crds/README.md. */
  readonly release: string;
}

/** What the kit ships: one line per upstream source. */
export const SOURCES: readonly CrdSource[] = [
  { name: 'argo-rollouts', from: ['crds/argo-rollouts'], licence: { LICENSE: 'crds/argo-rollouts/LICENSE' }, release: 'Argo Rollouts v1.9.1' },
  { name: 'argocd', from: ['crds/argocd'], licence: { LICENSE: 'crds/argocd/LICENSE' }, release: 'Argo CD v3.5.1' },
  { name: 'external-secrets', from: ['crds/external-secrets'], licence: { LICENSE: 'crds/external-secrets/LICENSE' }, release: 'External Secrets Operator v2.9.0' },
  { name: 'gateway-api', from: ['crds/gateway-api'], licence: { LICENSE: 'crds/gateway-api/LICENSE' }, release: 'Gateway API v1.6.1 (standard channel)' },
  { name: 'istio', from: ['istio-crds.yaml'], licence: { LICENSE: 'ISTIO-LICENSE' }, release: 'Istio (istio/api crds.gen.yaml, see test/schemas/README.md)' },
  { name: 'kyverno', from: ['crds/kyverno'], licence: { LICENSE: 'crds/kyverno/LICENSE', NOTICE: 'crds/kyverno/NOTICE' }, release: 'Kyverno v1.19.0' },
  { name: 'prometheus-operator', from: ['crds/prometheus-operator'], licence: { LICENSE: 'crds/prometheus-operator/LICENSE', NOTICE: 'crds/prometheus-operator/NOTICE' }, release: 'prometheus-operator v0.93.0' },
];

/** A schema without its `description` texts (a property named `description` stays). */
function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' && typeof value === 'string') continue;
    out[key] = key === 'properties' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value as object).map(([name, s]) => [name, withoutDescriptions(s)]))
      : withoutDescriptions(value);
  }
  return out;
}

function yamlFiles(source: CrdSource): string[] {
  return source.from.flatMap((rel) => {
    const file = path.join(SCHEMAS, rel);
    if (!fs.statSync(file).isDirectory()) return [file];
    return fs.readdirSync(file).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(file, f));
  });
}

/** The reduced CRDs of one source: still CustomResourceDefinitions, so any CRD reader takes them. */
function reducedCrds(source: CrdSource): any[] {
  return yamlFiles(source)
    .flatMap((file) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()))
    .filter((crd) => crd?.kind === 'CustomResourceDefinition')
    .map((crd) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crd.metadata.name },
      spec: {
        group: crd.spec.group,
        names: { kind: crd.spec.names.kind, plural: crd.spec.names.plural },
        scope: crd.spec.scope,
        versions: crd.spec.versions.filter((v: any) => v.served).map((v: any) => ({
          name: v.name, served: true, storage: v.storage, schema: { openAPIV3Schema: withoutDescriptions(v.schema.openAPIV3Schema) },
        })),
      },
    }))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Every file of crds/, by path relative to it. */
export function generateCrds(): Map<string, string> {
  const files = new Map<string, string>();
  const rows: string[] = [];
  for (const source of SOURCES) {
    const crds = reducedCrds(source);
    const json = `[\n${crds.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`;
    files.set(`${source.name}/schemas.json`, json);
    for (const [target, rel] of Object.entries(source.licence)) files.set(`${source.name}/${target}`, fs.readFileSync(path.join(SCHEMAS, rel), 'utf8'));
    const kinds = crds.map((c) => `${c.spec.names.kind} (${c.spec.group} ${c.spec.versions.map((v: any) => v.name).join(', ')})`).join(', ');
    rows.push(`| \`${source.name}/\` | ${source.release} | ${kinds} | ${Math.round(json.length / 1024)} KiB |`);
  }
  files.set('README.md', [
    '# CRD schemas shipped with the test kit',
    '',
    'Generated by `npx projen generate-crds` from the upstream copies in `test/schemas/` (do not edit).',
    '`toBeValidKubernetes()` validates objects of these kinds against them strictly (unknown fields',
    'rejected); CRD files passed in `crds` take precedence for the kinds they define. Each',
    '`schemas.json` holds the served versions\' OpenAPI schemas of its source\'s',
    'CustomResourceDefinitions, without description texts; the upstream licence is beside it.',
    '',
    '| folder | release | kinds (group, served versions) | size |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'));
  return files;
}

if (require.main === module) {
  const files = generateCrds();
  const check = process.argv.includes('--check');
  const drift = [...files].filter(([rel, text]) => !fs.existsSync(path.join(CRDS_DIR, rel)) || fs.readFileSync(path.join(CRDS_DIR, rel), 'utf8') !== text);
  if (check) {
    if (drift.length > 0) {
      process.stderr.write(`crds/ is out of date (${drift.map(([rel]) => rel).join(', ')}): run npx projen generate-crds\n`);
      process.exit(1);
    }
  } else {
    fs.rmSync(CRDS_DIR, { recursive: true, force: true });
    for (const [rel, text] of files) {
      fs.mkdirSync(path.dirname(path.join(CRDS_DIR, rel)), { recursive: true });
      fs.writeFileSync(path.join(CRDS_DIR, rel), text);
    }
  }
}
