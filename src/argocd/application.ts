import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed `argoproj.io/v1alpha1` Application: only the fields this library writes.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/
 */

/** Where the manifests come from. */
export interface ApplicationSource {
  /** The Git repository URL. */
  readonly repoURL: string;
  /** The folder of plain manifests inside the repository. */
  readonly path: string;
  /**
   * Which files of the folder are synced (`directory.include`, a glob such as `shop.k8s.yaml`).
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/directory/#including-only-certain-files
   * @default - every file of the folder
   */
  readonly directory?: {
    /** A glob of the files to sync, e.g. `shop.k8s.yaml`. */
    readonly include: string;
  };
  /** The branch, tag or commit to follow. */
  readonly targetRevision: string;
}

/** Where the manifests are applied. */
export interface ApplicationDestination {
  /** The cluster API server URL (`https://kubernetes.default.svc` is the cluster ArgoCD runs in). */
  readonly server: string;
  /**
   * The namespace of namespaced objects that set none.
   * @default - none: every object names its namespace (charts without a namespace)
   */
  readonly namespace?: string;
}

/** Backoff between sync retries. */
export interface SyncRetryBackoff {
  /** First wait, e.g. `5s`. */
  readonly duration: string;
  /** Multiplier applied to the wait after each failure. */
  readonly factor: number;
  /** Longest wait, e.g. `3m`. */
  readonly maxDuration: string;
}

/** Retry of a failed sync. */
export interface SyncRetry {
  /** Number of attempts. */
  readonly limit: number;
  /** Backoff between attempts. */
  readonly backoff: SyncRetryBackoff;
}

/** `spec.syncPolicy` */
export interface SyncPolicy {
  /**
   * Automated sync: present only when asked.
   * @default - manual sync
   */
  readonly automated?: {
    /** Delete objects that are no longer in Git. */
    readonly prune: boolean;
    /** Revert changes made in the cluster outside Git. */
    readonly selfHeal: boolean;
  };
  /** `syncOptions` such as `PruneLast=true`. */
  readonly syncOptions: readonly string[];
  /** Retry of failed syncs. */
  readonly retry: SyncRetry;
}

/** `spec` of an Application. */
export interface ApplicationSpec {
  /** The AppProject the Application belongs to. */
  readonly project: string;
  /** The manifests' source. */
  readonly source: ApplicationSource;
  /** The target cluster and namespace. */
  readonly destination: ApplicationDestination;
  /** How and when to sync. */
  readonly syncPolicy: SyncPolicy;
  /** Number of past syncs kept for rollback. */
  readonly revisionHistoryLimit: number;
}

/** An ArgoCD Application object. */
export class ArgoCdApplication extends ApiObject {
  /** The API version written. */
  public static readonly API_VERSION = 'argoproj.io/v1alpha1';

  /** The Application's spec as written. */
  public readonly spec: ApplicationSpec;

  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: ApplicationSpec }) {
    super(scope, id, {
      apiVersion: ArgoCdApplication.API_VERSION,
      kind: 'Application',
      metadata: props.metadata,
      spec: {
        project: props.spec.project,
        source: {
          repoURL: props.spec.source.repoURL,
          path: props.spec.source.path,
          ...(props.spec.source.directory ? { directory: { include: props.spec.source.directory.include } } : {}),
          targetRevision: props.spec.source.targetRevision,
        },
        destination: { ...props.spec.destination },
        syncPolicy: {
          ...(props.spec.syncPolicy.automated ? { automated: { ...props.spec.syncPolicy.automated } } : {}),
          syncOptions: [...props.spec.syncPolicy.syncOptions],
          retry: { limit: props.spec.syncPolicy.retry.limit, backoff: { ...props.spec.syncPolicy.retry.backoff } },
        },
        revisionHistoryLimit: props.spec.revisionHistoryLimit,
      },
    });
    this.spec = props.spec;
  }
}
