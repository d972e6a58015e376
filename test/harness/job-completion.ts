// A model of what the cluster does with a Job's pod template: Istio's sidecar injector adds its
// proxy, then the kubelet runs the containers, and the Job controller counts the pod as done
// only once the pod succeeds. Used to show that a job with sidecars ends.
//
// Kubernetes, "Sidecar containers" (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/):
// - a sidecar is an init container with `restartPolicy: Always`; it keeps running beside the
//   regular containers, and "Jobs with sidecar containers": the sidecar does not keep the Job
//   from completing once the main container has finished — after all regular containers have
//   exited, the kubelet terminates the sidecars;
// - a container in `containers` is a regular container: the pod is Succeeded only when all of
//   them have terminated with success ("Pod lifecycle", pod phase Succeeded:
//   https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase), so a
//   long-running helper there (a log shipper, a proxy) keeps the pod Running and the Job active.
// - the Job completes when its pod succeeded
//   (https://kubernetes.io/docs/concepts/workloads/controllers/job/#running-an-example-job).
//
// Istio (injection template `manifests/charts/istio-control/istio-discovery/files/injection-template.yaml`
// and the annotation reference https://istio.io/latest/docs/reference/config/annotations/):
// in an injected namespace the proxy `istio-proxy` is added as a native sidecar when the pod
// annotation `sidecar.istio.io/nativeSidecar` is "true" (added in Istio 1.24; it takes precedence
// over the mesh-wide ENABLE_NATIVE_SIDECARS, whose default depends on the release, so the model
// takes the conservative one: off), otherwise as a regular container; Envoy does not exit when
// the application does.

/** What happens to one run's pod. */
export interface JobPodOutcome {
  /** Whether the pod reaches Succeeded once the run-to-completion containers have exited 0. */
  readonly completes: boolean;
  /** The regular containers still running after the job's own containers have exited. */
  readonly stillRunning: string[];
}

interface ContainerLike { readonly name: string; readonly restartPolicy?: string }
interface PodTemplateLike {
  readonly metadata?: { readonly annotations?: Record<string, string> };
  readonly spec: { readonly containers: ContainerLike[]; readonly initContainers?: ContainerLike[] };
}

/**
 * The outcome of a Job pod built from `template`, where the containers named in `exiting` run to
 * completion (exit 0) and every other container (sidecars, the Istio proxy) runs until it is
 * stopped. `meshInjected`: the namespace has Istio sidecar injection.
 */
export function jobPodOutcome(template: PodTemplateLike, exiting: readonly string[], meshInjected: boolean): JobPodOutcome {
  const initContainers = [...template.spec.initContainers ?? []];
  const containers = [...template.spec.containers];
  if (meshInjected) {
    const proxy = { name: 'istio-proxy' };
    if (template.metadata?.annotations?.['sidecar.istio.io/nativeSidecar'] === 'true') initContainers.unshift({ ...proxy, restartPolicy: 'Always' });
    else containers.push(proxy);
  }
  // regular init containers run to completion before the regular containers start; native
  // sidecars are stopped by the kubelet after the regular containers exit, so neither can hold
  // the pod: only a regular container that never exits does
  const stillRunning = containers.map(c => c.name).filter(name => !exiting.includes(name));
  return { completes: stillRunning.length === 0, stillRunning };
}
