/**
 * The examples' synthesis into a given folder, for bench/dev-loop.ts:
 * `<runner> bench/dev-loop-app.ts <dir>` writes the manifests to `<dir>/dist` and the workflows under `<dir>`.
 */
import * as path from 'path';
import { synthExamples } from '../examples/synth-examples';

synthExamples(path.join(process.argv[2], 'dist'), process.argv[2]);
