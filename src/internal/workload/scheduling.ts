import { IConstruct } from 'constructs';
import {
  Affinity, LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinity, PodAffinityTerm, Toleration,
} from '../../scheduling-options';
import { propError } from '../core/errors';
import { checkLabelMap } from '../core/label-check';
import { checkDnsLabel, checkDnsSubdomain, checkInteger, checkLabelValue, checkQualifiedKey } from '../core/validate';

type Json = Record<string, unknown>;

const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const NODE_OPERATORS = [...LABEL_OPERATORS, 'Gt', 'Lt'];

/** Validates a map of label keys to label values (a nodeSelector, pod labels). */
export function resolveLabelMap(scope: IConstruct, prop: string, value: Record<string, string> | undefined): Record<string, string> | undefined {
  return checkLabelMap(scope, prop, value, '{ "kubernetes.io/arch": "arm64" }');
}

/** Fails when `value` has a key other than `allowed` (a misspelt field would otherwise be written and rejected by the API server). */
function checkKnownKeys(scope: IConstruct, prop: string, value: object, allowed: readonly string[]): void {
  const unknown = Object.keys(value).find(key => !allowed.includes(key));
  if (unknown !== undefined) throw propError(scope, `${prop}.${unknown}`, (value as Json)[unknown], `is not a field here; the fields are ${allowed.join(', ')}`);
}

function checkObject(scope: IConstruct, prop: string, value: unknown, allowed: readonly string[], example: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw propError(scope, prop, value, `must be an object such as ${example}`);
  checkKnownKeys(scope, prop, value, allowed);
}

function checkList<T>(scope: IConstruct, prop: string, value: readonly T[] | undefined, nonEmpty: boolean): readonly T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || (nonEmpty && value.length === 0)) throw propError(scope, prop, value, nonEmpty ? 'must be a non-empty list' : 'must be a list');
  return value;
}

/** Validates the tolerations: operator `Equal` or `Exists`, effect `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
export function resolveTolerations(scope: IConstruct, tolerations: readonly Toleration[] | undefined): Json[] | undefined {
  return checkList(scope, 'tolerations', tolerations, false)?.map((t, i) => {
    const prop = `tolerations[${i}]`;
    checkObject(scope, prop, t, ['key', 'operator', 'value', 'effect', 'tolerationSeconds'], '{ key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" }');
    const operator = t.operator ?? 'Equal';
    if (!TOLERATION_OPERATORS.includes(operator)) throw propError(scope, `${prop}.operator`, t.operator, 'must be "Equal" or "Exists"');
    if (t.effect !== undefined && !TOLERATION_EFFECTS.includes(t.effect)) {
      throw propError(scope, `${prop}.effect`, t.effect, 'must be "NoSchedule", "PreferNoSchedule" or "NoExecute" (or left out for every effect)');
    }
    if (t.key !== undefined) checkQualifiedKey(scope, `${prop}.key`, t.key);
    if (t.key === undefined && operator !== 'Exists') throw propError(scope, `${prop}.operator`, operator, 'must be "Exists" when no key is given (it tolerates every taint)');
    if (t.value !== undefined) {
      if (operator === 'Exists') throw propError(scope, `${prop}.value`, t.value, 'must be left out with operator "Exists"');
      checkLabelValue(scope, `${prop}.value`, t.value);
    }
    if (t.tolerationSeconds !== undefined) {
      checkInteger(scope, `${prop}.tolerationSeconds`, t.tolerationSeconds, 0);
      if (t.effect !== 'NoExecute') throw propError(scope, `${prop}.tolerationSeconds`, t.tolerationSeconds, 'applies only with effect "NoExecute"');
    }
    return { key: t.key, operator, value: t.value, effect: t.effect, tolerationSeconds: t.tolerationSeconds };
  });
}

/** Validates `affinity` field by field (operators, values, weights, topology keys) and copies it. */
export function resolveAffinity(scope: IConstruct, affinity: Affinity | undefined): Json | undefined {
  if (affinity === undefined) return undefined;
  checkObject(scope, 'affinity', affinity, ['nodeAffinity', 'podAffinity', 'podAntiAffinity'], '{ nodeAffinity: { … } }');
  const result: Json = {};
  if (affinity.nodeAffinity !== undefined) {
    const node = affinity.nodeAffinity;
    const prop = 'affinity.nodeAffinity';
    checkObject(scope, prop, node, ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'], '{ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [ … ] } }');
    const required = node.requiredDuringSchedulingIgnoredDuringExecution;
    let requiredJson: Json | undefined;
    if (required !== undefined) {
      const rprop = `${prop}.requiredDuringSchedulingIgnoredDuringExecution`;
      checkObject(scope, rprop, required, ['nodeSelectorTerms'], '{ nodeSelectorTerms: [{ matchExpressions: [ … ] }] }');
      const terms = checkList(scope, `${rprop}.nodeSelectorTerms`, required.nodeSelectorTerms, true) ?? [];
      if (required.nodeSelectorTerms === undefined) throw propError(scope, `${rprop}.nodeSelectorTerms`, undefined, 'is required: a non-empty list of terms');
      requiredJson = { nodeSelectorTerms: terms.map((term, i) => nodeTerm(scope, `${rprop}.nodeSelectorTerms[${i}]`, term)) };
    }
    const preferred = checkList(scope, `${prop}.preferredDuringSchedulingIgnoredDuringExecution`, node.preferredDuringSchedulingIgnoredDuringExecution, false);
    result.nodeAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: requiredJson,
      preferredDuringSchedulingIgnoredDuringExecution: preferred?.map((p, i) => {
        const pprop = `${prop}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
        checkObject(scope, pprop, p, ['weight', 'preference'], '{ weight: 50, preference: { matchExpressions: [ … ] } }');
        return { weight: checkInteger(scope, `${pprop}.weight`, p.weight, 1, 100), preference: nodeTerm(scope, `${pprop}.preference`, p.preference) };
      }),
    };
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    if (affinity[kind] !== undefined) result[kind] = podAffinity(scope, `affinity.${kind}`, affinity[kind]!);
  }
  return result;
}

function nodeTerm(scope: IConstruct, prop: string, term: NodeSelectorTerm): Json {
  checkObject(scope, prop, term, ['matchExpressions', 'matchFields'], '{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }] }');
  const expressions = checkList(scope, `${prop}.matchExpressions`, term.matchExpressions, false);
  const fields = checkList(scope, `${prop}.matchFields`, term.matchFields, false);
  if ((expressions?.length ?? 0) + (fields?.length ?? 0) === 0) throw propError(scope, prop, term, 'must give at least one matchExpressions or matchFields requirement (an empty term matches no node)');
  return {
    matchExpressions: expressions?.map((r, i) => nodeRequirement(scope, `${prop}.matchExpressions[${i}]`, r, false)),
    matchFields: fields?.map((r, i) => nodeRequirement(scope, `${prop}.matchFields[${i}]`, r, true)),
  };
}

function nodeRequirement(scope: IConstruct, prop: string, r: NodeSelectorRequirement, field: boolean): Json {
  checkObject(scope, prop, r, ['key', 'operator', 'values'], '{ key: "kubernetes.io/arch", operator: "In", values: ["arm64"] }');
  if (field) {
    if (r.key !== 'metadata.name') throw propError(scope, `${prop}.key`, r.key, 'must be "metadata.name", the only node field Kubernetes selects on');
    if (r.operator !== 'In' && r.operator !== 'NotIn') throw propError(scope, `${prop}.operator`, r.operator, 'must be "In" or "NotIn" for a field');
  } else {
    checkQualifiedKey(scope, `${prop}.key`, r.key);
  }
  if (!NODE_OPERATORS.includes(r.operator)) throw propError(scope, `${prop}.operator`, r.operator, `must be one of ${NODE_OPERATORS.map(o => JSON.stringify(o)).join(', ')}`);
  const values = checkValues(scope, `${prop}.values`, r.values, r.operator);
  if ((r.operator === 'Gt' || r.operator === 'Lt') && (values?.length !== 1 || !/^-?[0-9]+$/.test(values[0]))) {
    throw propError(scope, `${prop}.values`, r.values, `must hold exactly one integer with operator "${r.operator}"`);
  }
  if (field && values?.length !== 1) throw propError(scope, `${prop}.values`, r.values, 'must hold exactly one node name');
  return { key: r.key, operator: r.operator, values };
}

function checkValues(scope: IConstruct, prop: string, values: readonly string[] | undefined, operator: string): string[] | undefined {
  if (values !== undefined && (!Array.isArray(values) || values.some(v => typeof v !== 'string'))) throw propError(scope, prop, values, 'must be a list of strings');
  const needsValues = operator === 'In' || operator === 'NotIn' || operator === 'Gt' || operator === 'Lt';
  if (needsValues && (values === undefined || values.length === 0)) throw propError(scope, prop, values, `must be a non-empty list with operator "${operator}"`);
  if (!needsValues && values !== undefined && values.length > 0) throw propError(scope, prop, values, `must be left out with operator "${operator}"`);
  return values === undefined ? undefined : [...values];
}

function podAffinity(scope: IConstruct, prop: string, value: PodAffinity): Json {
  checkObject(scope, prop, value, ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'], '{ preferredDuringSchedulingIgnoredDuringExecution: [ … ] }');
  const required = checkList(scope, `${prop}.requiredDuringSchedulingIgnoredDuringExecution`, value.requiredDuringSchedulingIgnoredDuringExecution, false);
  const preferred = checkList(scope, `${prop}.preferredDuringSchedulingIgnoredDuringExecution`, value.preferredDuringSchedulingIgnoredDuringExecution, false);
  return {
    requiredDuringSchedulingIgnoredDuringExecution: required?.map((t, i) => podTerm(scope, `${prop}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t)),
    preferredDuringSchedulingIgnoredDuringExecution: preferred?.map((w, i) => {
      const wprop = `${prop}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      checkObject(scope, wprop, w, ['weight', 'podAffinityTerm'], '{ weight: 50, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { … } } }');
      return { weight: checkInteger(scope, `${wprop}.weight`, w.weight, 1, 100), podAffinityTerm: podTerm(scope, `${wprop}.podAffinityTerm`, w.podAffinityTerm) };
    }),
  };
}

function podTerm(scope: IConstruct, prop: string, term: PodAffinityTerm): Json {
  checkObject(scope, prop, term, ['labelSelector', 'namespaces', 'namespaceSelector', 'topologyKey'], '{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { … } } }');
  checkQualifiedKey(scope, `${prop}.topologyKey`, term.topologyKey);
  const namespaces = checkList(scope, `${prop}.namespaces`, term.namespaces, false);
  return {
    labelSelector: term.labelSelector === undefined ? undefined : labelSelector(scope, `${prop}.labelSelector`, term.labelSelector),
    namespaces: namespaces?.map((ns, i) => checkDnsLabel(scope, `${prop}.namespaces[${i}]`, ns)),
    namespaceSelector: term.namespaceSelector === undefined ? undefined : labelSelector(scope, `${prop}.namespaceSelector`, term.namespaceSelector),
    topologyKey: term.topologyKey,
  };
}

function labelSelector(scope: IConstruct, prop: string, selector: LabelSelector): Json {
  checkObject(scope, prop, selector, ['matchLabels', 'matchExpressions'], '{ matchLabels: { "app.kubernetes.io/name": "cache" } }');
  const expressions = checkList(scope, `${prop}.matchExpressions`, selector.matchExpressions, false);
  return {
    matchLabels: resolveLabelMap(scope, `${prop}.matchLabels`, selector.matchLabels),
    matchExpressions: expressions?.map((r, i) => {
      const rprop = `${prop}.matchExpressions[${i}]`;
      checkObject(scope, rprop, r, ['key', 'operator', 'values'], '{ key: "tier", operator: "In", values: ["cache"] }');
      checkQualifiedKey(scope, `${rprop}.key`, r.key);
      if (!LABEL_OPERATORS.includes(r.operator)) throw propError(scope, `${rprop}.operator`, r.operator, `must be one of ${LABEL_OPERATORS.map(o => JSON.stringify(o)).join(', ')}`);
      const values = checkValues(scope, `${rprop}.values`, r.values, r.operator);
      values?.forEach((v, j) => checkLabelValue(scope, `${rprop}.values[${j}]`, v));
      return { key: r.key, operator: r.operator, values };
    }),
  };
}

/** Validates `imagePullSecrets` (Secret names, each once). */
export function resolveImagePullSecrets(scope: IConstruct, names: readonly string[] | undefined): Array<{ name: string }> | undefined {
  const list = checkList(scope, 'imagePullSecrets', names, false);
  if (list === undefined) return undefined;
  list.forEach((name, i) => {
    checkDnsSubdomain(scope, `imagePullSecrets[${i}]`, name);
    if (list.indexOf(name) !== i) throw propError(scope, `imagePullSecrets[${i}]`, name, 'is listed twice');
  });
  return list.map(name => ({ name }));
}

/** Validates `priorityClassName` (a DNS-1123 subdomain). */
export function resolvePriorityClassName(scope: IConstruct, name: string | undefined): string | undefined {
  return name === undefined ? undefined : checkDnsSubdomain(scope, 'priorityClassName', name);
}
