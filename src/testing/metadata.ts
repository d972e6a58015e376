import { Manifest, Problem, problem } from './problems';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Kinds whose names the API server checks as DNS-1123 labels (at most 63 characters). */
const LABEL_NAMED = ['Namespace', 'Service'];

function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return `key prefix ${JSON.stringify(prefix)} is not a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return `key name ${JSON.stringify(name)} is not a qualified name of at most 63 characters`;
  return undefined;
}

/**
 * What the API server's ObjectMeta validation rejects and the schema validators do not check:
 * names (DNS-1123 subdomain, or label for Namespaces and Services), label keys and values
 * (at most 63 characters), annotation keys.
 */
export function metadataProblems(obj: Manifest): Problem[] {
  const out: Problem[] = [];
  const name: string = obj.metadata?.name ?? '';
  const named = LABEL_NAMED.includes(obj.kind) ? name.length <= 63 && DNS1123_LABEL.test(name) : name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
  if (!named) out.push(problem(obj, 'metadata.name', `invalid name (${name.length} characters)`));
  for (const [key, value] of Object.entries<string>(obj.metadata?.labels ?? {})) {
    const keyIssue = keyProblem(key);
    if (keyIssue) out.push(problem(obj, 'metadata.labels', `label ${keyIssue}`));
    if (typeof value !== 'string' || value.length > 63 || !(value === '' || LABEL_NAME.test(value))) {
      out.push(problem(obj, 'metadata.labels', `label ${key} has an invalid value ${JSON.stringify(value)} (${String(value).length} characters; at most 63)`));
    }
  }
  for (const key of Object.keys(obj.metadata?.annotations ?? {})) {
    const keyIssue = keyProblem(key);
    if (keyIssue) out.push(problem(obj, 'metadata.annotations', `annotation ${keyIssue}`));
  }
  return out;
}
