import type * as Yaml from 'yaml';
import { ActionPin, usesOf } from './actions';
import {
  PullRequestTrigger, PushTrigger, Workflow, WorkflowConcurrency, WorkflowJob, WorkflowPermissions,
  WorkflowStep, WorkflowTriggers,
} from './workflow-model';

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const PERMISSION_KEYS: ReadonlyArray<[keyof WorkflowPermissions, string]> = [
  ['actions', 'actions'], ['attestations', 'attestations'], ['checks', 'checks'], ['contents', 'contents'],
  ['deployments', 'deployments'], ['idToken', 'id-token'], ['issues', 'issues'], ['packages', 'packages'],
  ['pages', 'pages'], ['pullRequests', 'pull-requests'], ['securityEvents', 'security-events'], ['statuses', 'statuses'],
];
const SHA = /^[0-9a-f]{40}$/;

/** Adds `key: value` to `out` when `value` is defined (keeps the explicit key order of the callers). */
function put(out: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) out[key] = value;
}

function list(values: readonly string[] | undefined): Json | undefined {
  return values === undefined ? undefined : [...values];
}

function record(values: Readonly<Record<string, string | number | boolean>> | undefined): Json | undefined {
  return values === undefined ? undefined : { ...values };
}

function permissions(p: WorkflowPermissions): JsonObject {
  const out: JsonObject = {};
  for (const [field, key] of PERMISSION_KEYS) put(out, key, p[field]);
  return out;
}

function push(t: PushTrigger): JsonObject {
  const out: JsonObject = {};
  put(out, 'branches', list(t.branches));
  put(out, 'tags', list(t.tags));
  put(out, 'paths-ignore', list(t.pathsIgnore));
  return out;
}

function pullRequest(t: PullRequestTrigger): JsonObject {
  const out: JsonObject = {};
  put(out, 'branches', list(t.branches));
  put(out, 'types', list(t.types));
  return out;
}

function triggers(on: WorkflowTriggers): JsonObject {
  const out: JsonObject = {};
  if (on.push) out.push = push(on.push);
  if (on.pullRequest) out.pull_request = pullRequest(on.pullRequest);
  if (on.workflowDispatch) out.workflow_dispatch = {};
  if (Object.keys(out).length === 0) throw new Error('a workflow needs at least one trigger');
  return out;
}

function concurrency(c: WorkflowConcurrency | undefined): Json | undefined {
  if (!c) return undefined;
  const out: JsonObject = { group: c.group };
  put(out, 'cancel-in-progress', c.cancelInProgress);
  return out;
}

function checkPin(action: ActionPin): void {
  if (!SHA.test(action.sha)) {
    throw new Error(`action ${action.repository} must be pinned to a full 40-hex commit SHA, got ${JSON.stringify(action.sha)}`);
  }
}

function step(s: WorkflowStep, where: string, comments: Map<string, string>): JsonObject {
  const out: JsonObject = {};
  put(out, 'name', s.name);
  put(out, 'id', s.id);
  put(out, 'if', s.if);
  if ('uses' in s) {
    checkPin(s.uses);
    const uses = usesOf(s.uses);
    comments.set(uses, s.uses.tag);
    out.uses = uses;
    put(out, 'with', record(s.with));
  } else {
    if (s.run.includes('${{')) {
      throw new Error(`${where}: a run script must not contain "\${{ }}" expressions (script injection); pass the value through env`);
    }
    put(out, 'working-directory', s.workingDirectory);
    out.run = s.run;
  }
  put(out, 'env', record(s.env));
  put(out, 'timeout-minutes', s.timeoutMinutes);
  return out;
}

function job(id: string, j: WorkflowJob, comments: Map<string, string>): JsonObject {
  const out: JsonObject = {};
  put(out, 'name', j.name);
  put(out, 'needs', list(j.needs));
  put(out, 'if', j.if);
  out['runs-on'] = j.runsOn;
  out.permissions = permissions(j.permissions);
  out['timeout-minutes'] = j.timeoutMinutes;
  put(out, 'concurrency', concurrency(j.concurrency));
  put(out, 'outputs', record(j.outputs));
  put(out, 'env', record(j.env));
  out.steps = j.steps.map((s, i) => step(s, `jobs.${id}.steps[${i}]`, comments));
  return out;
}

/**
 * Maps the typed model to the plain object GitHub reads (kebab-case keys in a fixed order) and
 * the `uses:` → release tag comments to write next to each pinned action.
 */
export function workflowObject(w: Workflow): { readonly object: JsonObject; readonly comments: ReadonlyMap<string, string> } {
  const comments = new Map<string, string>();
  const object: JsonObject = { name: w.name, on: triggers(w.on), permissions: permissions(w.permissions) };
  put(object, 'concurrency', concurrency(w.concurrency));
  put(object, 'env', record(w.env));
  const jobs: JsonObject = {};
  for (const [id, j] of Object.entries(w.jobs)) jobs[id] = job(id, j, comments);
  object.jobs = jobs;
  return { object, comments };
}

/**
 * Renders a workflow as deterministic YAML: fixed key order, no line folding, block literals for
 * multi-line scripts and `# vX.Y.Z` after every pinned `uses:`.
 *
 * @param header comment lines written at the top of the file
 */
export function renderWorkflow(w: Workflow, header: readonly string[] = []): string {
  const { object, comments } = workflowObject(w);
  // loaded when a workflow is rendered, not with the library
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Document, isPair, isScalar, visit } = require('yaml') as typeof Yaml;
  const doc = new Document(object);
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        const tag = comments.get(String(pair.value.value));
        if (tag) pair.value.comment = ` ${tag}`;
      }
    },
  });
  if (header.length > 0) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, blockQuote: 'literal', indentSeq: true });
}
