import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';

const CHECKED = new WeakSet<IConstruct>();

/**
 * Makes cdk8s's own `app.synth()` fail, naming both objects, when its output type would write two
 * objects to one file (`FILE_PER_RESOURCE` names files `<kind>.<name>` only, so the `default-deny`
 * of two namespaces collide and one is silently lost). Registered once per app, by every construct
 * of this library; `synth()` checks the files it is about to write itself.
 */
export function checkOutputFilesOnSynth(scope: IConstruct): void {
  const root = scope.node.root;
  if (CHECKED.has(root) || !(root instanceof App)) return;
  CHECKED.add(root);
  root.node.addValidation({ validate: () => collisions(root) });
}

function collisions(app: App): string[] {
  const perResource = app.yamlOutputType === YamlOutputType.FILE_PER_RESOURCE;
  if (!perResource && app.yamlOutputType !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return [];
  const owners = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const obj of app.node.findAll()) {
    if (!(obj instanceof ApiObject)) continue;
    const file = `${perResource ? '' : `${Names.toDnsLabel(Chart.of(obj))}/`}${`${obj.kind}.${obj.name}`.replace(/[^0-9a-zA-Z-_.]/g, '')}`;
    const first = owners.get(file);
    if (first) {
      errors.push(`${describe(first)} and ${describe(obj)} would both be written to ${file}${app.outputFileExtension}, the second overwriting the first; `
        + 'FILE_PER_RESOURCE names files by kind and name only: use YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE with one chart per namespace, or FILE_PER_CHART');
    } else {
      owners.set(file, obj);
    }
  }
  return errors;
}

function describe(obj: ApiObject): string {
  const ns = obj.metadata.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.name} (${obj.node.path})`;
}
