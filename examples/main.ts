import { synthExamples } from './synth-examples';

synthExamples('dist');
