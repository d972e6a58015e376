import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatPrerequisites, prerequisitesOf } from '../../prerequisites';
import { readCdk8sConfig } from '../core/cdk8s-config';
import { readManifests } from '../plan/read-manifests';

/** Where the command line reads and writes. */
export interface PrerequisitesIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage: cloudnative-constructs prerequisites [options]

Prints what the output needs from the cluster: CRDs and the API versions they must serve,
controllers, the Kubernetes version, Istio (sidecar injection, the CNI plugin where injected pods
meet Pod Security baseline or restricted, the control plane's address), cert-manager issuers, the
labels Prometheus must select, the DNS service. Derived from the synthesised objects. The app is
synthesised into a temporary folder: nothing is written into the output folder ArgoCD syncs.

Options:
  --app <module>   run this module (node, or tsx for .ts) instead of cdk8s.yaml's app command
  --dir <dir>      read the manifests of this folder instead of synthesising (e.g. the committed output)
  --json           print the list as JSON

Exit code: 0, or 2 on a usage or synth error.
`;

/** Runs `cloudnative-constructs prerequisites <argv>` and returns the exit code. */
export function runPrerequisitesCli(argv: readonly string[], io: PrerequisitesIo): number {
  let app: string | undefined;
  let dir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    }
    if ((a === '--app' || a === '--dir') && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'))) {
      io.err(`cloudnative-constructs prerequisites: ${a} needs a value\n\n${USAGE}`);
      return 2;
    }
    if (a === '--app') {
      app = argv[++i];
    } else if (a === '--dir') {
      dir = argv[++i];
    } else if (a === '--json') {
      json = true;
    } else {
      io.err(`cloudnative-constructs prerequisites: unknown option ${JSON.stringify(a)}\n\n${USAGE}`);
      return 2;
    }
  }
  try {
    const objects = dir !== undefined ? readManifests(path.resolve(io.cwd, dir)) : synthesiseApp(io, app);
    if (objects === undefined) return 2;
    const list = prerequisitesOf(objects as object[]);
    io.out(json ? `${JSON.stringify(list, null, 2)}\n` : formatPrerequisites(list));
    return 0;
  } catch (e) {
    io.err(`cloudnative-constructs prerequisites: ${(e as Error).message}\n`);
    return 2;
  }
}

/** The objects the app writes, synthesised into a temporary folder (removed afterwards). */
function synthesiseApp(io: PrerequisitesIo, app: string | undefined): unknown[] | undefined {
  const command = app ? `${app.endsWith('.ts') ? 'npx tsx' : 'node'} ${JSON.stringify(app)}` : readCdk8sConfig(io.cwd).app;
  if (!command) {
    io.err('cloudnative-constructs prerequisites: no cdk8s.yaml with an "app" command here; pass --app <module> or --dir <folder>\n');
    return undefined;
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-prerequisites-'));
  try {
    execSync(command, { cwd: io.cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CDK8S_OUTDIR: outdir } });
    const objects = readManifests(outdir);
    if (objects.length === 0) {
      throw new Error(`"${command}" wrote no manifest into CDK8S_OUTDIR (an App given its own outdir ignores it); pass --dir <folder> to read an output folder instead`);
    }
    return objects;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
