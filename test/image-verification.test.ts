import { Chart, Testing } from 'cdk8s';
import { ExternalSecret, ImageVerification, Pipeline, SecureNamespace, WebApp } from '../src';
import { findObject, synthValid } from './harness';

const DIGEST = 'sha256:' + 'a'.repeat(64);

test('smoke', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop' });
  const pipeline = new Pipeline(chart, 'delivery', { image: 'ghcr.io/acme/web', argocd: { repoURL: 'https://github.com/acme/shop.git' } });
  const db = new ExternalSecret(chart, 'db', { name: 'web-db', store: { name: 'vault', kind: 'ClusterSecretStore' }, data: { url: { remoteKey: 'shop/db', property: 'url' } } });
  new WebApp(chart, 'web', { image: `ghcr.io/acme/web@${DIGEST}`, secretEnv: { DB: { secret: db, key: 'url' } } });
  new ImageVerification(chart, 'verify', { images: ['ghcr.io/acme/*'], pipeline });
  const objects = synthValid(chart);
  console.log(JSON.stringify(findObject(objects, 'Policy', 'verify-images'), null, 1));
  console.log(JSON.stringify(findObject(objects, 'ExternalSecret', 'web-db'), null, 1));
  console.log(JSON.stringify(findObject(objects, 'Deployment', 'web').spec.template.metadata, null, 1));
});
