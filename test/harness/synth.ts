import { App, Chart, Testing } from 'cdk8s';
import { HarnessOptions, Manifest } from './types';
import { validateManifests } from './validate';

/**
 * Synthesises a chart (cdk8s `Testing.synth`) or every chart of an App, validates all objects
 * together with {@link validateManifests} and returns them.
 */
export function synthValid(scope: Chart | App, options: HarnessOptions = {}): Manifest[] {
  const objects: Manifest[] = Chart.isChart(scope)
    ? Testing.synth(scope)
    : (scope as App).charts.flatMap((c) => Testing.synth(c));
  validateManifests(objects, options);
  return objects;
}
