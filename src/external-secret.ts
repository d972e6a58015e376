import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { hasBrand } from './internal/core/brand';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { claimName, namespaceOf, writtenNamespace } from './internal/core/name-registry';
import { checkDnsSubdomain, checkOptionalObject } from './internal/core/validate';
import { registerExternalSecret } from './internal/supply-chain/external-secret-registry';
import { validateProps } from './internal/validation/validate-props';

const EXTERNAL_SECRET_BRAND = Symbol.for('cloudnative-constructs.ExternalSecret');

/**
 * The store an {@link ExternalSecret} reads from: a `SecretStore` of the namespace or a
 * cluster-wide `ClusterSecretStore` (both External Secrets Operator objects, set up with the
 * store's credentials by whoever runs the cluster).
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export interface ExternalSecretStore {
  /** Name of the store (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * Kind of the store.
   * @default 'SecretStore'
   */
  readonly kind?: 'SecretStore' | 'ClusterSecretStore';
}

/** Where one key of the Secret comes from in the store. */
export interface ExternalSecretEntry {
  /** The secret's key (name or path) in the store, e.g. `shop/db`. */
  readonly remoteKey: string;
  /**
   * One property of a structured (JSON) secret, e.g. `password`.
   * @default - the whole remote value
   */
  readonly property?: string;
}

/** Properties of an {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it writes (a DNS-1123 subdomain). */
  readonly name: string;
  /** The store the values are read from. */
  readonly store: ExternalSecretStore;
  /**
   * The Secret's keys: key → where its value lives in the store. Workloads may only read these keys.
   * @example { password: { remoteKey: 'shop/db', property: 'password' } }
   */
  readonly data: Record<string, ExternalSecretEntry>;
  /**
   * How often the operator reads the store again and updates the Secret (a Go duration such as
   * `'15m'` or `'1h'`; `'0'` reads once). Pods see a new value only when they restart, or at once
   * in files of a Secret volume mounted without `subPath` (see the README: secrets that change).
   * @see https://external-secrets.io/latest/api/externalsecret/
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

const KEY = /^[-._a-zA-Z0-9]+$/;
const REFRESH = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

/**
 * A Secret whose values live in a secret store, never in Git: an External Secrets Operator
 * `external-secrets.io/v1` ExternalSecret that writes (and owns) Secret `<name>` in the chart's
 * namespace. Workloads take it, or its name, wherever they take a Secret (`secretEnv`,
 * `envFrom`, `volumes`); a checksum of its spec on their pod template rolls them when it changes,
 * and reading a key it does not provide is an error.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class ExternalSecret extends Construct {
  /** Whether `x` is an ExternalSecret (works across copies of this package). */
  public static isExternalSecret(x: unknown): x is ExternalSecret {
    return hasBrand(x, EXTERNAL_SECRET_BRAND);
  }

  /** Name of the ExternalSecret and of the Secret it writes. */
  public readonly name: string;
  /** Namespace of the Secret: the chart's (`default` when it sets none, and then none is written). */
  public readonly namespace: string;
  /** The keys of the Secret, sorted. */
  public readonly keys: readonly string[];
  /** The ExternalSecret object. */
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    Object.defineProperty(this, EXTERNAL_SECRET_BRAND, { value: true });
    validateProps(this, 'ExternalSecretProps', props);
    this.name = checkDnsSubdomain(this, 'name', props.name);
    this.namespace = namespaceOf(this);
    const data = this.resolveData(props.data);
    this.keys = data.map(d => d.secretKey);
    claimName(this, 'name', 'ExternalSecret', this.name);
    claimName(this, 'name', 'Secret', this.name);
    this.externalSecret = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: this.name,
        namespace: writtenNamespace(this, this.namespace),
        labels: recommendedLabels({ name: this.name, instance: this.name, component: 'secret' }),
      },
      spec: {
        refreshInterval: this.resolveRefresh(props.refreshInterval ?? '1h'),
        secretStoreRef: this.resolveStore(props.store),
        target: { name: this.name, creationPolicy: 'Owner' },
        data,
      },
    });
    registerExternalSecret(this, this.namespace, this.name);
  }

  private resolveStore(store: ExternalSecretStore): { name: string; kind: string } {
    checkOptionalObject(this, 'store', store, '{ name: "vault", kind: "ClusterSecretStore" }');
    const kind = store.kind ?? 'SecretStore';
    if (kind !== 'SecretStore' && kind !== 'ClusterSecretStore') throw propError(this, 'store.kind', kind, 'must be "SecretStore" or "ClusterSecretStore"');
    return { name: checkDnsSubdomain(this, 'store.name', store.name), kind };
  }

  private resolveData(data: Record<string, ExternalSecretEntry>): Array<{ secretKey: string; remoteRef: { key: string; property?: string } }> {
    checkOptionalObject(this, 'data', data, '{ password: { remoteKey: "shop/db", property: "password" } }');
    const keys = Object.keys(data ?? {}).sort();
    if (keys.length === 0) throw propError(this, 'data', data, 'must name at least one key of the Secret, e.g. { password: { remoteKey: "shop/db", property: "password" } }');
    return keys.map(secretKey => {
      const prop = `data.${secretKey}`;
      if (!KEY.test(secretKey) || secretKey.length > 253) throw propError(this, prop, secretKey, 'a Secret key is letters, digits, "-", "_" and "." (at most 253 characters)');
      const entry = data[secretKey];
      checkOptionalObject(this, prop, entry, '{ remoteKey: "shop/db", property: "password" }');
      if (typeof entry.remoteKey !== 'string' || entry.remoteKey.trim() === '') throw propError(this, `${prop}.remoteKey`, entry.remoteKey, 'must be the key of the secret in the store, e.g. "shop/db"');
      if (entry.property !== undefined && (typeof entry.property !== 'string' || entry.property === '')) {
        throw propError(this, `${prop}.property`, entry.property, 'must be a property of the remote secret, e.g. "password" (leave it out for the whole value)');
      }
      return { secretKey, remoteRef: { key: entry.remoteKey, property: entry.property } };
    });
  }

  private resolveRefresh(value: string): string {
    if (typeof value !== 'string' || !REFRESH.test(value)) {
      throw propError(this, 'refreshInterval', value, 'must be a Go duration such as "15m" or "1h" ("0" reads the store once)');
    }
    return value;
  }
}
