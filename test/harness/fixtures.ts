import { Manifest } from './types';

// Small hand-written manifests that pass every harness check; tests mutate copies of them.

const NS = 'shop';

/** A Deployment that meets PSS restricted, our hardening rules and Polaris danger checks. */
export function hardenedDeployment(name = 'web', labels: Record<string, string> = { app: name }): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name,
            image: `ghcr.io/acme/${name}:1.4.2`,
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** A Service selecting `app: <selectorApp>` on port 80 → targetPort `targetPort`. */
export function service(name = 'web', targetPort: number | string = 'http', selectorApp = name): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { selector: { app: selectorApp }, ports: [{ name: 'http', port: 80, targetPort, appProtocol: 'http' }] },
  };
}

/** An Ingress routing `/` to Service `svc` port `port`. */
export function ingress(svc = 'web', port: { number?: number; name?: string } = { number: 80 }): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: NS },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port } } }] } }] },
  };
}

/** An autoscaling/v2 HPA scaling Deployment `target` on cpu. */
export function hpa(target = 'web'): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

/** A PodDisruptionBudget selecting `app: <app>`. */
export function pdb(app = 'web'): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace: NS },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app } } },
  };
}

/** A canary set: two Deployments (version stable/canary), one Service, VirtualService and DestinationRule. */
export function canarySet(weights: [number, number] = [90, 10]): Manifest[] {
  const track = (version: string) => {
    const d = hardenedDeployment(`api-${version}`, { app: 'api', version });
    return d;
  };
  return [
    track('stable'),
    track('canary'),
    service('api', 'http', 'api'),
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'api', namespace: NS },
      spec: {
        hosts: ['api'],
        http: [{
          route: [
            { destination: { host: 'api', subset: 'stable', port: { number: 80 } }, weight: weights[0] },
            { destination: { host: 'api', subset: 'canary', port: { number: 80 } }, weight: weights[1] },
          ],
          retries: { attempts: 3, perTryTimeout: '2s' },
        }],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'api', namespace: NS },
      spec: {
        host: 'api',
        subsets: [{ name: 'stable', labels: { version: 'stable' } }, { name: 'canary', labels: { version: 'canary' } }],
        trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '10s' } },
      },
    },
  ];
}

/**
 * A Gateway API canary: Gateway `public` (HTTP listener and an HTTPS listener for
 * api.example.com), the two track Deployments with Services `api-stable` and `api-canary`, and
 * HTTPRoute `api` splitting `weights` between them on the HTTPS listener.
 */
export function gatewayCanarySet(weights: [number, number] = [90, 10]): Manifest[] {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: NS },
      spec: {
        gatewayClassName: 'istio',
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
          {
            name: 'https-api',
            hostname: 'api.example.com',
            port: 443,
            protocol: 'HTTPS',
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'public-tls' }] },
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
        ],
      },
    },
    hardenedDeployment('api-stable', { app: 'api', track: 'stable' }),
    hardenedDeployment('api-canary', { app: 'api', track: 'canary' }),
    { ...service('api-stable', 'http', 'api'), spec: { selector: { app: 'api', track: 'stable' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { ...service('api-canary', 'http', 'api'), spec: { selector: { app: 'api', track: 'canary' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'api', namespace: NS },
      spec: {
        parentRefs: [{ name: 'public', sectionName: 'https-api' }],
        hostnames: ['api.example.com'],
        rules: [{
          backendRefs: [{ name: 'api-stable', port: 80, weight: weights[0] }, { name: 'api-canary', port: 80, weight: weights[1] }],
        }],
      },
    },
  ];
}

/** A STRICT PeerAuthentication. */
export function peerAuthentication(): Manifest {
  return {
    apiVersion: 'security.istio.io/v1beta1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: NS },
    spec: { mtls: { mode: 'STRICT' } },
  };
}

/** An ArgoCD Application syncing `deploy/` of a repository into `shop`. */
export function argoApplication(): Manifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/acme/shop.git', path: 'dist', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: NS },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/** Deep copy, so tests can mutate a fixture. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** A StatefulSet `db` with a `data` claim template and its headless Service `db-headless`. */
export function statefulSetWithHeadless(): Manifest[] {
  const sts = hardenedDeployment('db');
  sts.kind = 'StatefulSet';
  delete sts.spec.strategy;
  sts.spec.serviceName = 'db-headless';
  sts.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
  sts.spec.template.spec.containers[0].volumeMounts.push({ name: 'data', mountPath: '/data' });
  const headless = service('db-headless', 'http', 'db');
  headless.spec.clusterIP = 'None';
  return [sts, headless];
}
