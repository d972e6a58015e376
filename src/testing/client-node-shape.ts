import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { resolveOptionalPeer, SCHEMA_PEERS_INSTALL } from './optional-peer';
import { ANY, LEAF, Shape } from './shape';

type TypeMaps = Record<string, Record<string, string>>;
let typeMaps: TypeMaps | undefined;

// Runs as an ES module in a child process: prints { ModelClass: { jsonField: type } } of every model.
const PRINT_TYPE_MAPS = `
const models = await import(process.argv[1]);
const out = {};
for (const [name, model] of Object.entries(models)) {
  if (typeof model?.getAttributeTypeMap === 'function') {
    out[name] = Object.fromEntries(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  }
}
process.stdout.write(JSON.stringify(out));
`;

/**
 * Field → type maps of every @kubernetes/client-node model (from their static
 * `getAttributeTypeMap()`). client-node is an ES module (which Jest's CommonJS runtime cannot
 * load), so they are read by a child process once and cached on disk per installed version.
 */
function models(): TypeMaps {
  if (typeMaps) return typeMaps;
  const manifest = resolveOptionalPeer('@kubernetes/client-node', 'toBeValidKubernetes()', SCHEMA_PEERS_INSTALL);
  const version = JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
  const cacheFile = path.join(os.tmpdir(), `cloudnative-constructs-k8s-type-maps-${version}.json`);
  try {
    typeMaps = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as TypeMaps;
    return typeMaps;
  } catch {
    // not cached yet
  }
  const dir = path.dirname(manifest);
  const allModels = path.join(dir, 'dist', 'gen', 'models', 'all.js');
  const entry = fs.existsSync(allModels) ? allModels : path.join(dir, JSON.parse(fs.readFileSync(manifest, 'utf8')).main ?? 'index.js');
  const json = execFileSync(process.execPath, ['--input-type=module', '-e', PRINT_TYPE_MAPS, pathToFileURL(entry).href],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  typeMaps = JSON.parse(json) as TypeMaps;
  try {
    fs.writeFileSync(`${cacheFile}.${process.pid}`, json);
    fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
  } catch {
    // a cache is optional
  }
  return typeMaps;
}
const cache = new Map<string, Shape>();

/**
 * Converts a @kubernetes/client-node type name (`V1Container`, `Array<V1EnvVar>`,
 * `{ [key: string]: string; }`, `IntOrString`, ...) into a {@link Shape}.
 */
export function clientNodeShape(type: string): Shape {
  const hit = cache.get(type);
  if (hit) return hit;
  let shape: Shape;
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    shape = { type: 'array', items: clientNodeShape(array[1]) };
  } else if (map) {
    shape = { type: 'map', values: clientNodeShape(map[1]) };
  } else if (models()[type]) {
    let props: Record<string, Shape> | undefined;
    shape = {
      type: 'object',
      properties: () => {
        props ??= Object.fromEntries(Object.entries(models()[type]).map(([field, t]) => [field, clientNodeShape(t)]));
        return props;
      },
    };
  } else if (['string', 'number', 'boolean', 'Date'].includes(type)) {
    shape = LEAF;
  } else {
    // IntOrString, any, object, RawExtension-like types: leave open.
    shape = ANY;
  }
  cache.set(type, shape);
  return shape;
}

/** The client-node model shape of a top-level kind, or undefined when client-node has no model for it. */
export function topLevelShape(apiVersion: string, kind: string): Shape | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const candidates = [`${cap(group.split('.')[0])}${cap(version)}${kind}`, `${cap(version)}${kind}`];
  const name = candidates.find((c) => models()[c] !== undefined);
  return name ? clientNodeShape(name) : undefined;
}

/** Shape of `metadata` (ObjectMeta), shared by CRD validators. */
export function objectMetaShape(): Shape {
  return clientNodeShape('V1ObjectMeta');
}
