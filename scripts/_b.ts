import { App } from 'cdk8s';
import { buildBoutique } from '../examples/boutique';
const app = new App({ outdir: '/tmp/nc/bq' });
const chart = buildBoutique(app);
console.log(chart.toJson().length);
