/** A synthesised Kubernetes (or CRD) object, as cdk8s writes it. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: any };
  [k: string]: any;
};

/** Names of our own hardening rules; each can be skipped per synthesis. */
export type HardeningRule = 'readOnlyRootFilesystem' | 'resources' | 'pinnedImage' | 'serviceAccountToken';

/** Options of one validation run. */
export interface HarnessOptions {
  /** hardening rules to skip for this synthesis, e.g. ['readOnlyRootFilesystem'] when a test deliberately turns a default off */
  readonly skipHardening?: HardeningRule[];
}

/** One problem found in one object. */
export interface Problem {
  /** `Kind/namespace/name` of the object at fault. */
  readonly object: string;
  /** JSON path inside that object, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly message: string;
}

/** Short, stable reference to an object for messages: `Kind ns/name` (or `Kind name`). */
export function describe(obj: Manifest): string {
  const name = obj?.metadata?.name ?? '<unnamed>';
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind ?? '<no kind>'} ${ns ? `${ns}/` : ''}${name}`;
}

/** Builds a problem for `obj`. */
export function problem(obj: Manifest, path: string, message: string): Problem {
  return { object: describe(obj), path, message };
}

/** Appends a literal path (`spec.template`, `capabilities.add`) or an array index to a JSON path. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/.test(key)) return path ? `${path}.${key}` : key;
  return joinKey(path, key);
}

/** Appends one data key (which may itself contain dots, e.g. a label) to a JSON path. */
export function joinKey(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Converts an ajv/JSON-pointer instancePath (`/spec/a/0`) into our dotted path. */
export function pointerToPath(prefix: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((p, s) => joinKey(p, /^\d+$/.test(s) ? Number(s) : s), prefix);
}
