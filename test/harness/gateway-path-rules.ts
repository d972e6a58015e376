// The HTTPRoute CRD's own rules on `matches[].path` (Gateway API, test/schemas/crds/gateway-api),
// read from its CEL `x-kubernetes-validations` and `maxLength`, so that tests check paths against
// what the API server will enforce rather than against a copy of the rules. The rules of the
// shape `(self.type in ['Exact','PathPrefix']) ? <check on self.value> : true` are interpreted
// (startsWith, contains, endsWith, matches); any other shape fails loudly.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const CRD = path.join(__dirname, '..', 'schemas', 'crds', 'gateway-api', 'gateway.networking.k8s.io_httproutes.yaml');

interface PathRule { readonly message: string; readonly accepts: (value: string) => boolean }

function interpret(rule: string): ((value: string) => boolean) | undefined {
  const guarded = /^\(self\.type in \['Exact','PathPrefix'\]\) \? (.*) : true$/s.exec(rule.replace(/\s+/g, ' ').trim());
  if (!guarded) return undefined;
  const check = guarded[1];
  const call = /^(!?)self\.value\.(startsWith|contains|endsWith)\('([^']*)'\)$/.exec(check);
  if (call) {
    const [, not, fn, arg] = call;
    const test = (v: string) => (fn === 'startsWith' ? v.startsWith(arg) : fn === 'endsWith' ? v.endsWith(arg) : v.includes(arg));
    return v => (not ? !test(v) : test(v));
  }
  const matches = /^self\.value\.matches\(r"""(.*)"""\)$/.exec(check);
  if (matches) {
    const re = new RegExp(matches[1]);
    return v => re.test(v);
  }
  throw new Error(`HTTPRoute path rule not understood: ${rule}`);
}

let cached: PathRule[] | undefined;

/** The rules the v1 HTTPRoute CRD puts on a PathPrefix/Exact path value. */
export function httpRoutePathRules(): PathRule[] {
  if (cached) return cached;
  const crd = parse(fs.readFileSync(CRD, 'utf8'));
  const version = crd.spec.versions.find((v: any) => v.name === 'v1');
  const pathSchema = version.schema.openAPIV3Schema.properties.spec.properties.rules.items.properties.matches.items.properties.path;
  const rules: PathRule[] = [{ message: `maxLength ${pathSchema.properties.value.maxLength}`, accepts: v => v.length <= pathSchema.properties.value.maxLength }];
  for (const validation of pathSchema['x-kubernetes-validations']) {
    const accepts = interpret(validation.rule);
    if (accepts) rules.push({ message: validation.message, accepts });
  }
  cached = rules;
  return rules;
}

/** The messages of the CRD's path rules that refuse `value` (none: the API server accepts it). */
export function httpRoutePathProblems(value: string): string[] {
  return httpRoutePathRules().filter(rule => !rule.accepts(value)).map(rule => rule.message);
}
