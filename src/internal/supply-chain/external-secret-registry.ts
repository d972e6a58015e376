import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { getOrInsert } from '../core/get-or-insert';
import { namespaceOf } from '../core/name-registry';

/**
 * What workloads read of an ExternalSecret (its fields, by shape): the registry does not import
 * the class, which registers itself here.
 */
export interface RegisteredExternalSecret extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly string[];
  readonly externalSecret: ApiObject;
}

/** The ExternalSecrets of an app by `<namespace>/<name>`. */
const REGISTRY = new WeakMap<IConstruct, Map<string, RegisteredExternalSecret>>();

/** Records an ExternalSecret so that workloads naming its Secret find it. */
export function registerExternalSecret(secret: RegisteredExternalSecret, namespace: string, name: string): void {
  getOrInsert(REGISTRY, secret.node.root, () => new Map()).set(`${namespace}/${name}`, secret);
}

/** The ExternalSecret writing the Secret `name` in `scope`'s namespace, if the app has one. */
export function externalSecretNamed(scope: IConstruct, name: string): RegisteredExternalSecret | undefined {
  return REGISTRY.get(scope.node.root)?.get(`${namespaceOf(scope)}/${name}`);
}
