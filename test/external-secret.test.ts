import { Chart, Testing } from 'cdk8s';
import { CanaryRelease, ExternalSecret, ExternalSecretProps, Pipeline, ProgressiveRelease, ScheduledJob, WebApp, Worker } from '../src';
import { findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const DB: ExternalSecretProps = {
  name: 'web-db',
  store: { name: 'vault', kind: 'ClusterSecretStore' },
  data: { url: { remoteKey: 'shop/db', property: 'url' }, password: { remoteKey: 'shop/db', property: 'password' } },
};

function shop(): Chart {
  return new Chart(Testing.app(), 'shop', { namespace: 'shop' });
}

function podAnnotations(objects: Manifest[], kind: string, name: string): Record<string, string> | undefined {
  const spec = findObject(objects, kind, name).spec;
  return (spec.jobTemplate?.spec.template ?? spec.template).metadata.annotations;
}

describe('ExternalSecret', () => {
  test('writes an external-secrets.io/v1 ExternalSecret that owns Secret <name>, keys sorted, refreshed hourly', () => {
    const chart = shop();
    const secret = new ExternalSecret(chart, 'db', DB);
    const es = findObject(synthValid(chart), 'ExternalSecret', 'web-db');
    // https://external-secrets.io/latest/api/externalsecret/
    expect(es.metadata.namespace).toBe('shop');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'web-db', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } },
        { secretKey: 'url', remoteRef: { key: 'shop/db', property: 'url' } },
      ],
    });
    expect(secret.keys).toEqual(['password', 'url']);
  });

  test('a SecretStore by default, the whole remote value without property, and refreshInterval as given', () => {
    const chart = shop();
    new ExternalSecret(chart, 'token', { name: 'api-token', store: { name: 'aws' }, data: { token: { remoteKey: 'api/token' } }, refreshInterval: '15m' });
    expect(findObject(synthValid(chart), 'ExternalSecret', 'api-token').spec).toMatchObject({
      refreshInterval: '15m', secretStoreRef: { name: 'aws', kind: 'SecretStore' }, data: [{ secretKey: 'token', remoteRef: { key: 'api/token' } }],
    });
  });

  test('workloads take it (or its name) in secretEnv, envFrom and volumes', () => {
    const chart = shop();
    const db = new ExternalSecret(chart, 'db', DB);
    new WebApp(chart, 'web', {
      image: IMAGE,
      secretEnv: { DATABASE_URL: { secret: db, key: 'url' } },
      envFrom: [{ secret: db, prefix: 'DB_' }],
      volumes: { creds: { mountPath: '/etc/db', secret: db }, url: { mountPath: '/etc/url', secret: 'web-db', subPath: 'url' } },
    });
    const pod = findObject(synthValid(chart), 'Deployment', 'web').spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'web-db', key: 'url' } } });
    expect(pod.containers[0].envFrom).toEqual([{ prefix: 'DB_', secretRef: { name: 'web-db' } }]);
    expect(pod.volumes).toEqual(expect.arrayContaining([{ name: 'creds', secret: { secretName: 'web-db' } }, { name: 'url', secret: { secretName: 'web-db' } }]));
  });

  describe('rolls the pods when it changes', () => {
    // the pod template carries a checksum of the specs of the ExternalSecrets its containers read:
    // a new store, remote key or property changes the template, so the Deployment rolls
    function checksum(props: ExternalSecretProps, byName = false): string | undefined {
      const chart = shop();
      // the workload may come first and name the Secret: the checksum is computed at synthesis
      const web = { image: IMAGE, secretEnv: { DATABASE_URL: { secret: 'web-db', key: 'url' } } };
      if (byName) new WebApp(chart, 'web', web);
      const db = new ExternalSecret(chart, 'db', props);
      if (!byName) new WebApp(chart, 'web', { ...web, secretEnv: { DATABASE_URL: { secret: db, key: 'url' } } });
      return podAnnotations(synthValid(chart), 'Deployment', 'web')?.['checksum/external-secrets'];
    }

    test('same spec, same checksum, whether named or given', () => {
      expect(checksum(DB)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(DB, true)).toBe(checksum(DB));
    });

    test.each([
      ['another remote key', { ...DB, data: { ...DB.data, url: { remoteKey: 'shop/db-v2', property: 'url' } } }],
      ['another property', { ...DB, data: { ...DB.data, url: { remoteKey: 'shop/db', property: 'dsn' } } }],
      ['another store', { ...DB, store: { name: 'vault-eu', kind: 'ClusterSecretStore' as const } }],
    ])('%s changes the pod template', (_name, changed) => {
      expect(checksum(changed)).not.toBe(checksum(DB));
    });

    test('no checksum for Secrets no ExternalSecret writes, nor on workloads that read none', () => {
      const chart = shop();
      new ExternalSecret(chart, 'db', DB);
      new WebApp(chart, 'plain', { image: IMAGE, secretEnv: { TOKEN: { secret: 'handmade', key: 'token' } } });
      new WebApp(chart, 'none', { image: IMAGE });
      const objects = synthValid(chart);
      expect(podAnnotations(objects, 'Deployment', 'plain')).toBeUndefined();
      expect(podAnnotations(objects, 'Deployment', 'none')).toBeUndefined();
    });

    test('both tracks of a CanaryRelease and a ProgressiveRelease\'s Rollout roll; an ExternalSecret of the same name elsewhere does not count', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const db = new ExternalSecret(chart, 'db', DB);
      new ExternalSecret(new Chart(app, 'other', { namespace: 'other' }), 'db', DB);
      new CanaryRelease(chart, 'checkout', { port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 10, secretEnv: { URL: { secret: db, key: 'url' } } });
      new ProgressiveRelease(chart, 'payments', { image: IMAGE, port: 8080, envFrom: [{ secret: 'web-db' }], steps: [{ weight: 50, pause: '5m' }, { weight: 100 }] });
      const objects = synthValid(chart);
      const sums = ['checkout-stable', 'checkout-canary'].map(n => podAnnotations(objects, 'Deployment', n)?.['checksum/external-secrets']);
      expect(sums[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(sums[1]).toBe(sums[0]);
      expect(podAnnotations(objects, 'Rollout', 'payments')?.['checksum/external-secrets']).toBe(sums[0]);
    });

    test('a CronJob\'s pods and an init container\'s secretEnv are covered too', () => {
      const chart = shop();
      const db = new ExternalSecret(chart, 'db', DB);
      new ScheduledJob(chart, 'report', { image: IMAGE, schedule: '0 2 * * *', initContainers: [{ name: 'wait', image: IMAGE, secretEnv: { URL: { secret: db, key: 'url' } } }] });
      expect(podAnnotations(synthValid(chart), 'CronJob', 'report')).toHaveProperty('checksum/external-secrets');
    });
  });

  test('syncs before the workloads that read it (ArgoCD wave -1)', () => {
    const chart = shop();
    new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/shop.git' } });
    new ExternalSecret(chart, 'db', DB);
    expect(findObject(synthValid(chart), 'ExternalSecret', 'web-db').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  describe('bad input', () => {
    test('fails when a workload reads a key no data entry provides, naming the keys there are', () => {
      const chart = shop();
      const db = new ExternalSecret(chart, 'db', DB);
      new WebApp(chart, 'web', { image: IMAGE, secretEnv: { USER: { secret: db, key: 'user' } } });
      expect(() => synthValid(chart)).toThrow(/shop\/web: invalid secretEnv.USER: reads key "user" of Secret "web-db", which ExternalSecret shop\/db does not write \(its data has "password", "url"\); add data.user to the ExternalSecret/);

      const byName = shop();
      new Worker(byName, 'worker', { image: IMAGE, sidecars: [{ name: 'proxy', image: IMAGE, secretEnv: { T: { secret: 'web-db', key: 'token' } } }], volumes: { c: { mountPath: '/c', secret: 'web-db', subPath: 'cert.pem' } } });
      new ExternalSecret(byName, 'db', DB);
      expect(() => synthValid(byName)).toThrow(/invalid sidecars\[0\].secretEnv.T: reads key "token"[\s\S]*invalid volumes.c.secret: reads key "cert.pem"/);
    });

    test('fails when the ExternalSecret writes its Secret in another namespace', () => {
      const app = Testing.app();
      const db = new ExternalSecret(new Chart(app, 'data', { namespace: 'data' }), 'db', DB);
      expect(() => new WebApp(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: IMAGE, envFrom: [{ secret: db }] }))
        .toThrow(/shop\/web: invalid envFrom\[0\].secret "ExternalSecret data\/db": writes Secret "web-db" in namespace "data", but the workload runs in "shop"/);
    });

    test.each([
      [{ refreshInterval: 'hourly' }, /invalid refreshInterval "hourly": must be a Go duration/],
      [{ store: { name: 'vault', kind: 'Vault' as any } }, /invalid store.kind "Vault"/],
      [{ data: {} }, /invalid data \{\}: must name at least one key/],
      [{ data: { 'a b': { remoteKey: 'x' } } }, /invalid data.a b "a b": a Secret key is letters/],
      [{ data: { url: { remoteKey: '' } } }, /invalid data.url.remoteKey "": must be the key of the secret in the store/],
      [{ name: 'Web_DB' }, /invalid name "Web_DB"/],
    ])('fails on %j', (change, pattern) => {
      expect(() => new ExternalSecret(shop(), 'db', { ...DB, ...change })).toThrow(pattern);
    });

    test('fails when two ExternalSecrets (or an ExternalSecret and another Secret) take one name', () => {
      const chart = shop();
      new ExternalSecret(chart, 'a', DB);
      expect(() => new ExternalSecret(chart, 'b', DB)).toThrow(/shop\/b: invalid name "web-db": a ExternalSecret named "web-db" already exists/);
    });

    test('the checksum annotation is the library\'s', () => {
      expect(() => new WebApp(shop(), 'web', { image: IMAGE, podAnnotations: { 'checksum/external-secrets': 'x' } })).toThrow(/library's content checksum/);
    });
  });
});
