export * from './workload-options';
export * from './ingress-options';
export * from './scalable';
export * from './network-peer';
export * from './web-app';
export * from './autoscaled';
export * from './synth';
