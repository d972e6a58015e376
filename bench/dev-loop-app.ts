/** The examples' synthesis into a given folder, for bench/dev-loop.ts: `<runner> bench/dev-loop-app.ts <outdir>`. */
import { synthExamples } from '../examples/synth-examples';

synthExamples(process.argv[2], process.argv[2]);
