import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { synthValid } from './harness';
import { buildShop } from '../examples/shop';
import { synthExamples } from '../examples/synth-examples';

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(relative);
      else files[relative] = fs.readFileSync(path.join(dir, relative), 'utf8');
    }
  };
  walk('');
  return files;
}

describe('examples', () => {
  test('every example object passes the schema, security and consistency harness', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'examples-')) });
    buildShop(app);
    const objects = synthValid(app);
    expect(objects.filter(o => o.kind === 'Deployment').map(o => o.metadata.name)).toEqual(expect.arrayContaining(['web', 'catalog', 'worker']));
  });

  test('synthesising twice gives byte-identical files', () => {
    const first = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-a-'));
    const second = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-b-'));
    synthExamples(path.join(first, 'dist'), first);
    synthExamples(path.join(second, 'dist'), second);
    const a = readTree(first);
    const b = readTree(second);
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['dist/shop.k8s.yaml', 'dist/shop.reachability.md', 'examples/shop/.github/workflows/delivery.yml']));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const file of Object.keys(a)) expect({ file, content: b[file] }).toEqual({ file, content: a[file] });
  });
});
