import { execFileSync, execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseManifests, readManifests } from './read-manifests';
import { formatPlan, planManifests } from '../../plan';

/** Where the command line reads and writes. */
export interface CliIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage: cloudnative-constructs plan [options]

Synthesises the app (the "app" command of cdk8s.yaml, or --app <module>) into its output folder
and compares it with the committed output (the folder as committed at git HEAD, or --committed
<dir>): objects added, changed (field by field) and removed, and as errors the changes the
cluster refuses (immutable fields) and the removals and renames ArgoCD would prune.

Options:
  --app <module>        run this module (node, or tsx for .ts) instead of cdk8s.yaml's app command
  --no-synth            compare the output folder as it is (already synthesised)
  --outdir <dir>        the output folder (default: cdk8s.yaml "output", else "dist")
  --committed <dir>     compare with this folder instead of the output folder at git HEAD
  --summary <file>      append the plan as Markdown to <file> (e.g. "$GITHUB_STEP_SUMMARY")
  --allow-prune         report removed and renamed objects as warnings, not errors

Exit code: 0 when nothing is refused or pruned, 1 when something is, 2 on a usage or synth error.
`;

interface Args {
  app?: string;
  synth: boolean;
  outdir?: string;
  committed?: string;
  summary?: string;
  allowPrune: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { synth: true, allowPrune: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--app') args.app = value();
      else if (a === '--no-synth') args.synth = false;
      else if (a === '--outdir') args.outdir = value();
      else if (a === '--committed') args.committed = value();
      else if (a === '--summary') args.summary = value();
      else if (a === '--allow-prune') args.allowPrune = true;
      else return `unknown option ${JSON.stringify(a)}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return args;
}

function readCdk8sConfig(cwd: string): { app?: string; output?: string } {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return {};
  const config = parse(fs.readFileSync(file, 'utf8')) as { app?: unknown; output?: unknown } | null;
  return {
    app: typeof config?.app === 'string' ? config.app : undefined,
    output: typeof config?.output === 'string' ? config.output : undefined,
  };
}

/** The objects of `outdir` as committed at git HEAD (none when it was never committed). */
function committedAtHead(cwd: string, outdir: string): unknown[] {
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const files = git(['ls-tree', '-r', '--name-only', '--full-name', 'HEAD', '--', outdir]).split('\n').filter(f => /\.ya?ml$/.test(f));
  const top = git(['rev-parse', '--show-toplevel']).trim();
  return files.flatMap(f => parseManifests(git(['show', `HEAD:${f}`]), path.join(top, f)));
}

/** Runs `cloudnative-constructs <argv>` and returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  if (argv[0] === '--help' || argv[0] === '-h' || argv.length === 0) {
    io.out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] !== 'plan') {
    io.err(`cloudnative-constructs: unknown command ${JSON.stringify(argv[0])}\n\n${USAGE}`);
    return 2;
  }
  const args = parseArgs(argv.slice(1));
  if (typeof args === 'string') {
    io.err(`cloudnative-constructs plan: ${args}\n\n${USAGE}`);
    return 2;
  }
  const config = readCdk8sConfig(io.cwd);
  const outdir = args.outdir ?? config.output ?? 'dist';
  try {
    if (args.synth) {
      const command = args.app ? `${args.app.endsWith('.ts') ? 'npx tsx' : 'node'} ${JSON.stringify(args.app)}` : config.app;
      if (!command) {
        io.err('cloudnative-constructs plan: no cdk8s.yaml with an "app" command here; pass --app <module> or --no-synth\n');
        return 2;
      }
      execSync(command, { cwd: io.cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CDK8S_OUTDIR: outdir } });
    }
    const next = readManifests(path.resolve(io.cwd, outdir));
    const committed = args.committed ? readManifests(path.resolve(io.cwd, args.committed)) : committedAtHead(io.cwd, outdir);
    const result = planManifests(committed, next, { allowPrune: args.allowPrune });
    io.out(formatPlan(result, 'text'));
    if (args.summary) fs.appendFileSync(args.summary, formatPlan(result, 'markdown'));
    return result.ok ? 0 : 1;
  } catch (e) {
    io.err(`cloudnative-constructs plan: ${(e as Error).message}\n`);
    return 2;
  }
}
