import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ANY, LEAF, Shape } from './shape';

type TypeMaps = Record<string, Record<string, string>>;
let typeMaps: TypeMaps | undefined;

/**
 * Field → type maps of every @kubernetes/client-node model (from their static
 * `getAttributeTypeMap()`). client-node is ESM-only, so they are read by a child process once
 * and cached on disk per installed client-node version.
 */
function models(): TypeMaps {
  if (typeMaps) return typeMaps;
  const root = path.join(__dirname, '..', '..');
  const version = JSON.parse(fs.readFileSync(require.resolve('@kubernetes/client-node/package.json', { paths: [root] }), 'utf8')).version;
  const cacheFile = path.join(os.tmpdir(), `cloudnative-constructs-k8s-type-maps-${version}.json`);
  try {
    typeMaps = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as TypeMaps;
    return typeMaps;
  } catch {
    // not cached yet
  }
  const json = execFileSync(process.execPath, [path.join(__dirname, 'k8s-type-maps.mjs')], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
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
