import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** What every Istio object of this library needs. */
export interface IstioObjectOptions<TSpec> {
  /** The object's name. */
  readonly name: string;
  /**
   * The namespace it applies in.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Labels of the object. */
  readonly labels: Record<string, string>;
  /** The typed spec. */
  readonly spec: TSpec;
}

/** Creates an Istio object of `kind` at `apiVersion` with a typed spec. */
export function createIstioObject<TSpec>(scope: Construct, id: string, apiVersion: string, kind: string,
  options: IstioObjectOptions<TSpec>): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion,
    kind,
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: options.spec,
  });
}
