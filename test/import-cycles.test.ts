import * as fs from 'fs';
import * as path from 'path';
import madge from 'madge';

// No import cycle among the library's source files, type-only imports included. A cycle makes
// the load order matter (a module read before it has run is half empty) and knots together files
// that should layer: the public option types are leaves, internals build on them, constructs on
// both. Break a cycle by moving what both sides need into a file of its own that imports neither.
//
// madge reads each file's `import`, `import type`, `export … from`, `import('…')` types, dynamic
// imports and, with `mixedImports`, `require()` (the lazy loads of the validators), and resolves
// them with the project's tsconfig.json.

const REPO = path.join(__dirname, '..');
const SRC = path.join(REPO, 'src');

/** Every `.ts` file under src/, relative to it, as madge names them. */
function sourceFiles(): string[] {
  return fs.readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(SRC, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

test('src/ has no import cycle, type-only imports included', async () => {
  // GIVEN the import graph of src/
  const graph = await madge(SRC, {
    fileExtensions: ['ts'],
    tsConfig: path.join(REPO, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false, mixedImports: true } },
  });
  // THEN it has every source file, and every import resolved (a skipped one would hide its edges)
  const modules = graph.obj();
  expect(sourceFiles().filter((f) => !(f in modules))).toEqual([]);
  expect(graph.warnings().skipped).toEqual([]);
  // AND it sees type-only imports and lazy require() calls (options a madge upgrade could change)
  expect(modules['route-options.ts']).toContain('https-gateway.ts'); // `import type { HttpsGateway }`
  expect(modules['internal/validation/validate-props.ts']).toContain('internal/validation/schema-document.ts'); // require()
  // AND no chain of imports leads from a file back to itself
  const cycles = graph.circular().map((cycle) => [...cycle, cycle[0]].join(' -> '));
  expect(cycles).toEqual([]);
}, 60_000);
