import { App, Chart } from 'cdk8s';
import { NetworkPolicyBundle, SecureNamespace, WebApp, WebAppProps, Worker } from '../src';

/**
 * The upstream Online Boutique this example follows: GoogleCloudPlatform/microservices-demo,
 * `release/kubernetes-manifests.yaml` at this commit (Apache-2.0, Copyright Google LLC).
 */
export const BOUTIQUE_UPSTREAM = {
  repository: 'https://github.com/GoogleCloudPlatform/microservices-demo',
  commit: '34ffea9175946982c3088ed84994fe6019ad6e92',
  file: 'release/kubernetes-manifests.yaml',
};

const REGISTRY = 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo';
const VERSION = 'v0.10.6';

/** A gRPC service of the boutique: its image, port, the upstream's resources and probe timings. */
interface GrpcService {
  readonly port: number;
  readonly servicePort?: number;
  readonly cpu: [request: string, limit: string];
  readonly memory: [request: string, limit: string];
  readonly env?: Record<string, string>;
  readonly probe?: { readonly initialDelaySeconds?: number; readonly periodSeconds?: number };
  readonly livenessPeriodSeconds?: number;
  /** Upstream gives most services 5 s to stop; the others keep Kubernetes' 30 s. */
  readonly quickStop?: boolean;
  /** Whether the service reads its port from `PORT` (all but cartservice). */
  readonly portEnv?: boolean;
}

/** `<service>:<port>`, the address the boutique's services are given in their `*_ADDR` variables. */
const addr = (app: WebApp) => `${app.name}:${app.servicePort}`;

/**
 * Google's Online Boutique (12 services) written with this library, following the upstream
 * manifests: the same images, ports, environment, probes (gRPC health checks, the frontend's
 * HTTP check with its cookie header), resources and flows, with no JSON patch. What the library
 * adds: Pod Security restricted pods, a default-deny network that opens exactly the calls the
 * services make, own ServiceAccounts without tokens, disruption budgets and spread.
 */
export function buildBoutique(app: App): Chart {
  const chart = new Chart(app, 'boutique', { namespace: 'boutique' });
  // the upstream manifests run without a mesh; a mesh would also need native sidecars for the
  // load generator's init container, which calls the frontend before any proxy runs
  new SecureNamespace(chart, 'namespace', { name: 'boutique', istio: false });

  const grpc = (name: string, s: GrpcService): WebApp => {
    const probe = { grpc: true as const, ...s.probe };
    const props: WebAppProps = {
      image: `${REGISTRY}/${name}:${VERSION}`,
      port: s.port,
      servicePort: s.servicePort,
      appProtocol: 'grpc',
      runAsUser: 1000,
      env: { ...(s.portEnv ?? true ? { PORT: String(s.port) } : {}), ...s.env },
      resources: { cpu: { request: s.cpu[0], limit: s.cpu[1] }, memory: { request: s.memory[0], limit: s.memory[1] } },
      probes: { readiness: probe, liveness: { ...probe, periodSeconds: s.livenessPeriodSeconds ?? s.probe?.periodSeconds } },
      terminationGracePeriodSeconds: s.quickStop ?? true ? 5 : undefined,
    };
    return new WebApp(chart, name, props);
  };

  // the cart's store: Redis with an emptyDir, as upstream (pinned: upstream's `redis:alpine` floats)
  const redis = new WebApp(chart, 'redis-cart', {
    image: 'docker.io/library/redis:7.2.4-alpine',
    port: 6379,
    appProtocol: 'tcp',
    replicas: 1,
    runAsUser: 1000,
    resources: { cpu: { request: '70m', limit: '125m' }, memory: { request: '200Mi', limit: '256Mi' } },
    probes: { readiness: { periodSeconds: 5 }, liveness: { periodSeconds: 5 } },
    volumes: { 'redis-data': { mountPath: '/data', emptyDir: {} } },
  });

  const productCatalog = grpc('productcatalogservice', { port: 3550, cpu: ['100m', '200m'], memory: ['64Mi', '128Mi'], env: { DISABLE_PROFILER: '1' } });
  const currency = grpc('currencyservice', { port: 7000, cpu: ['100m', '200m'], memory: ['64Mi', '128Mi'], env: { DISABLE_PROFILER: '1' } });
  const payment = grpc('paymentservice', { port: 50051, cpu: ['100m', '200m'], memory: ['64Mi', '128Mi'], env: { DISABLE_PROFILER: '1' } });
  const shipping = grpc('shippingservice', {
    port: 50051,
    cpu: ['100m', '200m'],
    memory: ['64Mi', '128Mi'],
    env: { DISABLE_PROFILER: '1' },
    probe: { periodSeconds: 5 },
    livenessPeriodSeconds: 10,
    quickStop: false,
  });
  const email = grpc('emailservice', { port: 8080, servicePort: 5000, cpu: ['100m', '200m'], memory: ['64Mi', '128Mi'], env: { DISABLE_PROFILER: '1' }, probe: { periodSeconds: 5 } });
  const ad = grpc('adservice', { port: 9555, cpu: ['200m', '300m'], memory: ['180Mi', '300Mi'], probe: { initialDelaySeconds: 20, periodSeconds: 15 } });
  const cart = grpc('cartservice', {
    port: 7070,
    cpu: ['200m', '300m'],
    memory: ['64Mi', '128Mi'],
    env: { REDIS_ADDR: addr(redis) },
    portEnv: false,
    probe: { initialDelaySeconds: 15 },
    livenessPeriodSeconds: 10,
  });
  const recommendation = grpc('recommendationservice', {
    port: 8080,
    cpu: ['100m', '200m'],
    memory: ['220Mi', '450Mi'],
    probe: { periodSeconds: 5 },
    env: { PRODUCT_CATALOG_SERVICE_ADDR: addr(productCatalog), DISABLE_PROFILER: '1' },
  });
  const checkout = grpc('checkoutservice', {
    port: 5050,
    cpu: ['100m', '200m'],
    memory: ['64Mi', '128Mi'],
    quickStop: false,
    env: {
      PRODUCT_CATALOG_SERVICE_ADDR: addr(productCatalog),
      SHIPPING_SERVICE_ADDR: addr(shipping),
      PAYMENT_SERVICE_ADDR: addr(payment),
      EMAIL_SERVICE_ADDR: addr(email),
      CURRENCY_SERVICE_ADDR: addr(currency),
      CART_SERVICE_ADDR: addr(cart),
    },
  });

  // the storefront: HTTP on 8080 behind Service port 80, and the LoadBalancer frontend-external
  const cookie = (probe: string) => ({ path: '/_healthz', httpHeaders: { Cookie: `shop_session-id=x-${probe}-probe` }, initialDelaySeconds: 10 });
  const frontend = new WebApp(chart, 'frontend', {
    image: `${REGISTRY}/frontend:${VERSION}`,
    port: 8080,
    servicePort: 80,
    runAsUser: 1000,
    loadBalancer: { port: 80 },
    env: {
      PORT: '8080',
      PRODUCT_CATALOG_SERVICE_ADDR: addr(productCatalog),
      CURRENCY_SERVICE_ADDR: addr(currency),
      CART_SERVICE_ADDR: addr(cart),
      RECOMMENDATION_SERVICE_ADDR: addr(recommendation),
      SHIPPING_SERVICE_ADDR: addr(shipping),
      CHECKOUT_SERVICE_ADDR: addr(checkout),
      AD_SERVICE_ADDR: addr(ad),
      // the optional shopping assistant is not part of the 12 services: no flow is opened to it
      SHOPPING_ASSISTANT_SERVICE_ADDR: 'shoppingassistantservice:80',
      ENABLE_PROFILER: '0',
    },
    resources: { cpu: { request: '100m', limit: '200m' }, memory: { request: '64Mi', limit: '128Mi' } },
    probes: { readiness: cookie('readiness'), liveness: cookie('liveness') },
    podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
  });

  // synthetic users: waits for the storefront in an init container, then browses it
  const frontendAddr = addr(frontend);
  const loadGenerator = new Worker(chart, 'loadgenerator', {
    image: `${REGISTRY}/loadgenerator:${VERSION}`,
    replicas: 1,
    runAsUser: 1000,
    env: { FRONTEND_ADDR: frontendAddr, USERS: '10', RATE: '1' },
    resources: { cpu: { request: '300m', limit: '500m' }, memory: { request: '256Mi', limit: '512Mi' } },
    terminationGracePeriodSeconds: 5,
    podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
    initContainers: [{
      name: 'frontend-check',
      image: 'busybox:1.38.0@sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d',
      command: ['/bin/sh', '-exc', FRONTEND_CHECK],
      env: { FRONTEND_ADDR: frontendAddr },
    }],
  });

  // exactly the calls the services make (their *_ADDR variables), on the receivers' ports
  new NetworkPolicyBundle(chart, 'flows')
    .allow(loadGenerator, frontend)
    .allow(frontend, productCatalog).allow(frontend, currency).allow(frontend, cart).allow(frontend, recommendation)
    .allow(frontend, shipping).allow(frontend, checkout).allow(frontend, ad)
    .allow(checkout, productCatalog).allow(checkout, shipping).allow(checkout, payment).allow(checkout, email)
    .allow(checkout, currency).allow(checkout, cart)
    .allow(recommendation, productCatalog)
    .allow(cart, redis);
  return chart;
}

/** The load generator's init script, as upstream: up to 12 tries, 10 s apart, for an HTTP 200 from the storefront. */
const FRONTEND_CHECK = `MAX_RETRIES=12
RETRY_INTERVAL=10
for i in $(seq 1 $MAX_RETRIES); do
  echo "Attempt $i: Pinging frontend: \${FRONTEND_ADDR}..."
  STATUSCODE=$(wget --server-response http://\${FRONTEND_ADDR} 2>&1 | awk '/^  HTTP/{print $2}')
  if [ $STATUSCODE -eq 200 ]; then
      echo "Frontend is reachable."
      exit 0
  fi
  echo "Error: Could not reach frontend - Status code: \${STATUSCODE}"
  sleep $RETRY_INTERVAL
done
echo "Failed to reach frontend after $MAX_RETRIES attempts."
exit 1
`;
