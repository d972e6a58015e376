import { App } from 'cdk8s';
import { buildShop } from './shop';

const app = new App({ outdir: 'dist' });
buildShop(app);
app.synth();
