import * as fs from 'fs';
import * as path from 'path';
import type * as Yaml from 'yaml';

/** What the command line reads of a project's `cdk8s.yaml`: the app command and the output folder. */
export interface Cdk8sConfig {
  readonly app?: string;
  readonly output?: string;
}

/** The `app` and `output` of `<cwd>/cdk8s.yaml` (none when the file is missing). */
export function readCdk8sConfig(cwd: string): Cdk8sConfig {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = (require('yaml') as typeof Yaml).parse(fs.readFileSync(file, 'utf8')) as { app?: unknown; output?: unknown } | null;
  return {
    app: typeof config?.app === 'string' ? config.app : undefined,
    output: typeof config?.output === 'string' ? config.output : undefined,
  };
}
