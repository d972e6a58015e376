import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthExamples } from '../examples/synth-examples';

const REPO = path.join(__dirname, '..');

function filesUnder(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs.readdirSync(absolute, { withFileTypes: true }).flatMap(entry => {
    const relative = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(root, relative) : [relative];
  });
}

describe('committed output', () => {
  // GIVEN a fresh synthesis of the examples
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'committed-'));
  synthExamples(path.join(fresh, 'dist'), fresh);
  const generated = [...filesUnder(fresh, 'dist'), ...filesUnder(fresh, 'examples')].sort();

  test('dist/ and the workflow files hold exactly what synthesis writes (run `npm run synth` and commit)', () => {
    const committed = [...filesUnder(REPO, 'dist'), ...generated.filter(f => f.startsWith('examples'))].sort();
    expect(committed).toEqual(generated);
    for (const file of generated) {
      const expected = fs.readFileSync(path.join(fresh, file), 'utf8');
      const actual = fs.existsSync(path.join(REPO, file)) ? fs.readFileSync(path.join(REPO, file), 'utf8') : '<missing>';
      expect({ file, content: actual }).toEqual({ file, content: expected });
    }
  });
});
