import { App, Chart, Testing } from 'cdk8s';

/** A chart `test` (or `id`) in namespace `namespace` (none when undefined) of a fresh test app (or `app`). */
export function chartIn(namespace: string | undefined = 'shop', app: App = Testing.app(), id = 'test'): Chart {
  return new Chart(app, id, { namespace });
}
