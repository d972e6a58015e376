import { IConstruct } from 'constructs';
import { PreStopOptions } from '../../container-options';
import { propError } from '../core/errors';
import { checkInteger, checkOptionalObject, checkStringList } from '../core/validate';

/** Kubernetes' grace period when none is given. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/** How the main container stops, as written to the manifest. */
export interface ResolvedLifecycle {
  readonly terminationGracePeriodSeconds?: number;
  readonly lifecycle?: { preStop: { exec: { command: string[] } } };
}

/**
 * Validates `preStop` and `terminationGracePeriodSeconds`. `{ sleepSeconds: n }` runs
 * `sleep n` (Kubernetes 1.28 has no built-in sleep handler, so the image needs a `sleep` binary);
 * `{ command }` runs the command. The grace period, given or Kubernetes' 30 s, must exceed the
 * sleep: the kubelet counts the hook against it and kills the container when it runs out.
 */
export function resolveLifecycle(scope: IConstruct, preStop: PreStopOptions | undefined, gracePeriod: number | undefined): ResolvedLifecycle {
  const grace = gracePeriod === undefined ? undefined : checkInteger(scope, 'terminationGracePeriodSeconds', gracePeriod, 0);
  if (preStop === undefined) return { terminationGracePeriodSeconds: grace };
  checkOptionalObject(scope, 'preStop', preStop, '{ sleepSeconds: 5 } or { command: ["/bin/drain"] }');
  const hasSleep = 'sleepSeconds' in preStop;
  const hasCommand = 'command' in preStop;
  if (hasSleep === hasCommand) throw propError(scope, 'preStop', preStop, 'must be either { sleepSeconds } or { command }');
  if (hasCommand) {
    const command = checkStringList(scope, 'preStop.command', preStop.command, '["/bin/drain", "--wait"]');
    if (command === undefined || command.length === 0) throw propError(scope, 'preStop.command', preStop.command, 'must be a non-empty list of strings');
    return { terminationGracePeriodSeconds: grace, lifecycle: { preStop: { exec: { command } } } };
  }
  const seconds = checkInteger(scope, 'preStop.sleepSeconds', preStop.sleepSeconds, 1, 3600);
  const effective = grace ?? DEFAULT_GRACE_PERIOD_SECONDS;
  if (effective <= seconds) {
    throw propError(scope, 'terminationGracePeriodSeconds', effective,
      `must exceed preStop.sleepSeconds (${seconds}) so the app still has time to shut down after the sleep${grace === undefined ? ' (30 is the Kubernetes default)' : ''}; raise it to at least ${seconds + 10}`);
  }
  return { terminationGracePeriodSeconds: grace, lifecycle: { preStop: { exec: { command: ['sleep', String(seconds)] } } } };
}

/** Validates `command` (non-empty strings, not an empty list) and `args` (strings) of the main container. */
export function resolveCommand(scope: IConstruct, command: string[] | undefined,
  args: string[] | undefined): { command?: string[]; args?: string[] } {
  const resolvedCommand = checkStringList(scope, 'command', command, '["/app/server", "--port=8080"]');
  if (resolvedCommand?.length === 0) throw propError(scope, 'command', command, 'must not be empty; leave it out to run the image\'s entrypoint');
  return { command: resolvedCommand, args: checkStringList(scope, 'args', args, '["--verbose"]', true) };
}
