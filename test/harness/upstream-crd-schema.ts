import * as fs from 'fs';
import * as path from 'path';
import { CrdSchemas } from './crd-validation';

const CRD_DIR = path.join(__dirname, '..', 'schemas', 'crds');

function crdFiles(): string[] {
  return fs.readdirSync(CRD_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => fs.readdirSync(path.join(CRD_DIR, entry.name))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => path.join(CRD_DIR, entry.name, file)));
}

/**
 * The upstream CRDs of test/schemas/crds/ (Gateway API, prometheus-operator, Argo Rollouts,
 * ArgoCD, Kyverno, External Secrets): every object of one of their kinds is validated against its strict schema.
 */
export const upstreamCrds = new CrdSchemas(crdFiles, 'test/schemas/crds/');
