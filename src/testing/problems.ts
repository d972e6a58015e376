/** A synthesised Kubernetes (or custom resource) object, as cdk8s writes it. */
export type Manifest = {
  /** `apps/v1`, `v1`, `networking.istio.io/v1beta1`, … */
  apiVersion: string;
  /** `Deployment`, `Service`, … */
  kind: string;
  /** The object's metadata; `name` is required. */
  metadata: {
    /** The object's name. */
    name: string;
    /** The object's namespace. @default - none (cluster-scoped, or the namespace kubectl applies it to) */
    namespace?: string;
    /** Labels, annotations, … */
    [k: string]: any;
  };
  /** The rest of the object (`spec`, `data`, …). */
  [k: string]: any;
};

/** One problem found in one object. */
export interface Problem {
  /** `Kind namespace/name` of the object at fault. */
  readonly object: string;
  /** JSON path inside that object, e.g. `spec.template.spec.containers[0].image` (empty for the whole object). */
  readonly path: string;
  /** What is wrong and what is allowed. */
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

/** One line per problem: `Kind ns/name at path: message`. */
export function problemLine(p: Problem): string {
  return `${p.object}${p.path ? ` at ${p.path}` : ''}: ${p.message}`;
}

/** Formats problems as one message, one line per problem. */
export function formatProblems(problems: readonly Problem[]): string {
  const lines = problems.map((p) => `  - ${problemLine(p)}`);
  return `${problems.length} manifest problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
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

/** Converts an ajv/JSON-pointer instancePath (`/spec/a/0`) into a dotted path. */
export function pointerToPath(prefix: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((p, s) => joinKey(p, /^\d+$/.test(s) ? Number(s) : s), prefix);
}
