import { Construct } from 'constructs';
import { ResolvedGateway } from './gateway-ref';
import { ISTIO_GATEWAY_CLASS } from './istio-gateway-deployment';
import { INetworkPeer } from '../../network-peer';

/**
 * A gateway's pods as a network peer, for a gateway named by `{ name, namespace }` (a gateway
 * construct is a peer itself): selected by the label Istio's automated deployment sets,
 * identified in the mesh by the ServiceAccount it creates. Writes no object.
 */
export class GatewayPeer extends Construct implements INetworkPeer {
  public readonly name: string;
  public readonly namespace: string;
  public readonly selector: Record<string, string>;
  public readonly port: number;
  public readonly containerPorts: readonly number[];
  public readonly serviceAccountName: string;
  public readonly meshProxy: boolean;

  constructor(scope: Construct, id: string, gateway: ResolvedGateway) {
    super(scope, id);
    this.name = gateway.name;
    this.namespace = gateway.namespace;
    this.selector = gateway.selector;
    this.serviceAccountName = gateway.serviceAccountName;
    this.containerPorts = gateway.ports;
    this.port = gateway.ports[gateway.ports.length - 1];
    this.meshProxy = gateway.className === ISTIO_GATEWAY_CLASS;
  }
}
