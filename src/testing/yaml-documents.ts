import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Parses a multi-document YAML file into plain objects, caching the result as JSON in the OS
 * temp folder keyed by the file's content hash (parsing the Istio CRDs costs ~0.5 s; JSON ~20 ms).
 */
export function readYamlDocuments(file: string): any[] {
  const text = fs.readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const cacheFile = path.join(os.tmpdir(), `cloudnative-constructs-${path.basename(file)}-${hash}.json`);
  try {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  } catch {
    // not cached yet
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml');
  const docs = YAML.parseAllDocuments(text).map((d: any) => d.toJS()).filter((d: unknown) => d !== null && d !== undefined);
  try {
    fs.writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(docs));
    fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
  } catch {
    // a cache is optional
  }
  return docs;
}
