import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Manifest } from './problems';

/**
 * What the test kit's matchers accept: a cdk8s `App` (every chart), a `Chart`, one `ApiObject`,
 * or manifests already synthesised (one object or an array, e.g. read back from YAML).
 */
export type SynthesisSource = App | Chart | ApiObject | Manifest | readonly Manifest[];

/**
 * The synthesised manifests of an App, a Chart or an ApiObject (through cdk8s `Testing.synth`,
 * which also runs the constructs' validations), or the given manifests themselves.
 * Throws when `source` is none of these.
 */
export function manifestsOf(source: SynthesisSource | unknown): Manifest[] {
  if (Array.isArray(source)) return source as Manifest[];
  if (Chart.isChart(source)) return Testing.synth(source) as Manifest[];
  if (ApiObject.isApiObject(source)) return [source.toJson() as Manifest];
  if (isApp(source)) return source.charts.flatMap((c) => Testing.synth(c) as Manifest[]);
  if (typeof source === 'object' && source !== null && typeof (source as Manifest).kind === 'string') return [source as Manifest];
  throw new Error('expected a cdk8s App, Chart or ApiObject, or synthesised manifests (an object with a kind, or an array of them)');
}

function isApp(x: unknown): x is App {
  return typeof x === 'object' && x !== null && Array.isArray((x as App).charts) && typeof (x as App).synth === 'function';
}
