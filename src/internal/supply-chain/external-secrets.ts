import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { externalSecretNamed } from './external-secret-registry';
import type { ExternalSecret } from '../../external-secret';
import type { WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { namespaceOf } from '../core/name-registry';
import { checkDnsSubdomain } from '../core/validate';

/** The pod annotation holding the checksum of the ExternalSecrets a workload reads. */
export const CHECKSUM_EXTERNAL_SECRETS = 'checksum/external-secrets';

/** A Secret as workloads name it: by name, or the ExternalSecret that writes it. */
export type SecretSource = string | ExternalSecret;

/** A Secret a workload reads, and the key it reads (none when it reads every key). */
export interface SecretReference {
  readonly name: string;
  readonly key?: string;
  /** The prop that names it, for errors. */
  readonly prop: string;
}

function isExternalSecret(value: unknown): value is ExternalSecret {
  return typeof value === 'object' && value !== null && Symbol.for('cloudnative-constructs.ExternalSecret') in value;
}

/**
 * The Secret name of a `secret` prop: a Secret name (a DNS-1123 subdomain) or an ExternalSecret,
 * which must write its Secret in the workload's namespace (a pod reads Secrets of its own only).
 */
export function secretNameOf(scope: IConstruct, prop: string, value: SecretSource): string {
  if (!isExternalSecret(value)) return checkDnsSubdomain(scope, prop, value);
  const namespace = namespaceOf(scope);
  if (value.namespace !== namespace) {
    throw propError(scope, prop, `ExternalSecret ${value.node.path}`,
      `writes Secret ${JSON.stringify(value.name)} in namespace ${JSON.stringify(value.namespace)}, but the workload runs in ${JSON.stringify(namespace)} and pods read Secrets of their own namespace only; create the ExternalSecret in a chart of namespace ${JSON.stringify(namespace)}`);
  }
  return value.name;
}

function nameOf(value: SecretSource): string {
  return isExternalSecret(value) ? value.name : value;
}

/**
 * Every Secret the workload's containers read: `secretEnv` (of the main container, init
 * containers and sidecars) with its key, `envFrom` Secrets, and Secret `volumes` (with the key a
 * `subPath` mounts). Props must already be validated.
 */
export function collectSecretReferences(props: WorkloadOptions): SecretReference[] {
  const refs: SecretReference[] = [];
  const env = (prefix: string, secretEnv: WorkloadOptions['secretEnv']) => {
    for (const [variable, ref] of Object.entries(secretEnv ?? {})) refs.push({ name: nameOf(ref.secret), key: ref.key, prop: `${prefix}secretEnv.${variable}` });
  };
  env('', props.secretEnv);
  (props.initContainers ?? []).forEach((c, i) => env(`initContainers[${i}].`, c.secretEnv));
  (props.sidecars ?? []).forEach((c, i) => env(`sidecars[${i}].`, c.secretEnv));
  (props.envFrom ?? []).forEach((source, i) => {
    if (source.secret !== undefined) refs.push({ name: nameOf(source.secret), prop: `envFrom[${i}].secret` });
  });
  for (const [volume, mount] of Object.entries(props.volumes ?? {})) {
    if (mount.secret === undefined) continue;
    refs.push({ name: nameOf(mount.secret), key: mount.subPath?.split('/')[0], prop: `volumes.${volume}.secret` });
  }
  return refs;
}

/**
 * The checksum of the specs of the ExternalSecrets whose Secrets `refs` name (in `scope`'s
 * namespace), read when the app is synthesised; undefined when none of them is an ExternalSecret.
 * A change to an ExternalSecret (another store, key or property) changes the pod template, so the
 * pods roll; a change of the remote value alone does not (see the README).
 */
export function externalSecretsChecksum(scope: IConstruct, refs: readonly SecretReference[]): string | undefined {
  const names = [...new Set(refs.map(r => r.name))].sort();
  const specs = names.flatMap(name => {
    const secret = externalSecretNamed(scope, name);
    return secret ? [[name, (secret.externalSecret as ApiObject).toJson().spec]] : [];
  });
  return specs.length === 0 ? undefined : createHash('sha256').update(JSON.stringify(specs)).digest('hex');
}

/**
 * A problem for each key a workload reads from the Secret of an ExternalSecret that the
 * ExternalSecret does not write: the pod would never start (`CreateContainerConfigError`).
 */
export function secretKeyProblems(scope: IConstruct, refs: readonly SecretReference[]): string[] {
  return refs.flatMap(ref => {
    const secret = ref.key === undefined ? undefined : externalSecretNamed(scope, ref.name);
    if (!secret || secret.keys.includes(ref.key!)) return [];
    return [`${scope.node.path}: invalid ${ref.prop}: reads key ${JSON.stringify(ref.key)} of Secret ${JSON.stringify(ref.name)}, which ExternalSecret ${secret.node.path} does not write (its data has ${secret.keys.map(k => JSON.stringify(k)).join(', ')}); add data.${ref.key} to the ExternalSecret, or read one of its keys`];
  });
}
