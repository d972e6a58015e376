import { ApiObject } from 'cdk8s';
import { patchedOwnedMetadataProblems, PodMetadataJson } from './pod-metadata';
import { isUnpatched } from '../core/patches';

/** The kinds whose objects own pods, and where their pod template is (an Argo Rollouts Rollout's is `spec.template`). */
export const POD_OWNER_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Rollout'];

/** A pod template as synth-time checks read it. */
export interface PodTemplateJson {
  readonly metadata?: PodMetadataJson;
  readonly spec?: { readonly containers?: ReadonlyArray<ContainerJson>; readonly initContainers?: ReadonlyArray<ContainerJson> };
}

/** A container as synth-time checks read it. */
export interface ContainerJson {
  readonly name?: string;
  readonly image?: string;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly ports?: ReadonlyArray<{ readonly containerPort?: number; readonly name?: string }>;
}

const TEMPLATES = new WeakMap<ApiObject, PodTemplateJson>();

/**
 * Records the (plain JSON) pod template a construct wrote into `owner`, and checks at synthesis
 * that no JSON patch on `owner` sets the pod metadata the platform owns.
 */
export function registerPodTemplate(owner: ApiObject, template: Record<string, unknown>): void {
  const written = template as PodTemplateJson;
  TEMPLATES.set(owner, written);
  owner.node.addValidation({
    validate: () => (isUnpatched(owner) ? [] : patchedOwnedMetadataProblems(
      owner.node.scope?.node.path ?? owner.node.path, `${owner.kind} ${JSON.stringify(owner.name)}`, written.metadata, finalPodTemplate(owner)?.metadata)),
  });
}

/**
 * The pod template of a pod-owning object as it will be written: the construct's own template
 * when the object carries no JSON patch, otherwise read from its final JSON.
 */
export function finalPodTemplate(owner: ApiObject): PodTemplateJson | undefined {
  const registered = TEMPLATES.get(owner);
  if (registered && isUnpatched(owner)) return registered;
  const spec = owner.toJson().spec as { template?: PodTemplateJson; jobTemplate?: { spec?: { template?: PodTemplateJson } } } | undefined;
  return spec?.template ?? spec?.jobTemplate?.spec?.template;
}
