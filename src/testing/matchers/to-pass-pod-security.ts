import { manifestsOf } from '../manifests';
import { podSecurityProblems, PodSecurityLevel } from '../pod-security';
import { podTemplateOf } from '../pod-specs';
import { describe, problemLine } from '../problems';
import { hint, listLines, MatcherContext, MatcherResult, orMatcherError } from './context';

/**
 * Passes when every pod template (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, …)
 * meets the Pod Security Standards profile `level`, as Pod Security Admission enforces it.
 */
export function toPassPodSecurity(this: MatcherContext, received: unknown, level: PodSecurityLevel = 'restricted'): MatcherResult {
  const line = hint(this, 'toPassPodSecurity', level === 'restricted' ? '' : JSON.stringify(level));
  if (level !== 'restricted' && level !== 'baseline') {
    throw new Error(this.utils.matcherErrorMessage(line, `the level must be "restricted" or "baseline", received ${this.utils.printReceived(level)}`));
  }
  const objects = orMatcherError(this, line, () => manifestsOf(received));
  const templates = objects.filter((o) => podTemplateOf(o) !== undefined);
  const problems = objects.flatMap((o) => podSecurityProblems(o, level));
  const pass = problems.length === 0;
  return {
    pass,
    message: () => pass
      ? `${line}\n\nExpected: some pod template to violate the Pod Security Standards "${level}" profile\n`
        + `Received: ${templates.length} pod template${templates.length === 1 ? '' : 's'}, all meeting it${templates.length ? ` (${templates.map(describe).join(', ')})` : ''}`
      : `${line}\n\nExpected: every pod template to meet the Pod Security Standards "${level}" profile\n`
        + `Received: ${problems.length} violation${problems.length === 1 ? '' : 's'}:\n${listLines(problems.map(problemLine))}`,
  };
}
