import { synthExamples } from './synth-examples';

// CDK8S_OUTDIR: where `cdk8s synth` and `cloudnative-constructs plan` (a temporary folder) want the output
synthExamples(process.env.CDK8S_OUTDIR ?? 'dist');
