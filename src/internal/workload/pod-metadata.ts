import { IConstruct } from 'constructs';
import { resolveLabelMap } from './scheduling';
import { propError } from '../core/errors';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, LABEL_VERSION } from '../core/labels';
import { checkOptionalObject, checkQualifiedKey } from '../core/validate';
import { CHECKSUM_EXTERNAL_SECRETS } from '../supply-chain/external-secrets';

/** The pod annotations the library writes itself (content checksums that roll the pods). */
export const CHECKSUM_CONFIG = 'checksum/config';
export const CHECKSUM_FILES = 'checksum/files';

const RECOMMENDED = [LABEL_NAME, LABEL_INSTANCE, LABEL_VERSION, LABEL_COMPONENT, LABEL_PART_OF, LABEL_MANAGED_BY];
const LIBRARY_PREFIX = 'cloudnative-constructs.io/';

/**
 * Validates `podLabels`: valid keys and values, and none of the labels the library writes on
 * pods (the recommended labels, which select them, and its own `cloudnative-constructs.io/*`).
 */
export function resolvePodLabels(scope: IConstruct, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  const resolved = resolveLabelMap(scope, 'podLabels', labels);
  for (const key of Object.keys(resolved ?? {})) {
    if (RECOMMENDED.includes(key) || key.startsWith(LIBRARY_PREFIX)) {
      throw propError(scope, `podLabels.${key}`, resolved![key],
        `${key} is written by the library and selects the pods (changing it would orphan them or break the Service and policies); set name, partOf or the image tag instead, or use another key`);
    }
  }
  return resolved;
}

/** Validates `podAnnotations`: valid keys, string values, not the library's checksum annotations. */
export function resolvePodAnnotations(scope: IConstruct, annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  checkOptionalObject(scope, 'podAnnotations', annotations, '{ "prometheus.io/scrape": "true" }');
  if (annotations === undefined) return undefined;
  for (const [key, value] of Object.entries(annotations)) {
    checkQualifiedKey(scope, `podAnnotations.${key}`, key);
    if (typeof value !== 'string') throw propError(scope, `podAnnotations.${key}`, value, 'annotation values must be strings (quote numbers and booleans)');
    if (key === CHECKSUM_CONFIG || key === CHECKSUM_FILES || key === CHECKSUM_EXTERNAL_SECRETS) {
      throw propError(scope, `podAnnotations.${key}`, value, `${key} is the library's content checksum that rolls the pods when config, files or ExternalSecrets change; use another key`);
    }
  }
  return { ...annotations };
}
