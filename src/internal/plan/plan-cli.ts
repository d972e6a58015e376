import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { checkNotIgnored, committedAt, repositoryPath } from './git-output';
import { ManifestObject } from './object-key';
import { readManifests, yamlFiles } from './read-manifests';
import { formatPlan, planManifests } from '../../plan';

/** Where the command line reads and writes. */
export interface CliIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGE = `Usage: cloudnative-constructs plan [options]

Synthesises the app into a temporary folder and compares it with the output folder as committed
in git at --base (default HEAD, read with git ls-tree and git cat-file): objects added, changed
(field by field) and removed; as errors the changes the cluster refuses (immutable fields) and the
removals and renames ArgoCD would prune; as warnings the changes that disrupt (a lost
spec.replicas). The output folder in the working tree is never read, so files an earlier synthesis
left there change nothing. The app runs with CDK8S_OUTDIR set to the temporary folder (an App
created without outdir writes there).

Options:
  --app <module>        run this module (node, or tsx for .ts) instead of cdk8s.yaml's app command
  --command <command>   run this shell command instead ("cdk8s synth" in it gets --output <temporary folder>)
  --outdir <dir>        the committed output folder (default: cdk8s.yaml "output", else "dist")
  --base <ref>          the commit, branch or tag whose committed output is compared (default HEAD),
                        e.g. origin/main for a pull request
  --committed <dir>     compare with this folder (e.g. a checkout of the base) instead of git
  --summary <file>      append the plan as Markdown to <file> (e.g. "$GITHUB_STEP_SUMMARY")
  --allow-prune         report removed and renamed objects as warnings, not errors

Exit code: 0 when nothing is refused or pruned, 1 when something is, 2 on a usage, git or synth
error (unknown --base, output folder git-ignored or not committed there, nothing synthesised).
`;

interface Args {
  app?: string;
  command?: string;
  outdir?: string;
  base: string;
  committed?: string;
  summary?: string;
  allowPrune: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { base: 'HEAD', allowPrune: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--app') args.app = value();
      else if (a === '--command') args.command = value();
      else if (a === '--outdir') args.outdir = value();
      else if (a === '--base') args.base = value();
      else if (a === '--committed') args.committed = value();
      else if (a === '--summary') args.summary = value();
      else if (a === '--allow-prune') args.allowPrune = true;
      else if (a === '--no-synth') return '--no-synth is gone: plan always synthesises into a temporary folder, so that files an earlier synthesis left in the output folder cannot hide a removal';
      else return `unknown option ${JSON.stringify(a)}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (args.app !== undefined && args.command !== undefined) return '--app and --command exclude each other';
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

/** The shell command that synthesises into `dir`, or undefined when none is known. */
function synthCommand(args: Args, config: { app?: string }, dir: string): string | undefined {
  if (args.command !== undefined) {
    // cdk8s synth sets CDK8S_OUTDIR itself, from its --output (default: cdk8s.yaml "output", else dist)
    return args.command.replace(/(^|[\s;&|])(cdk8s\s+synth)\b/, (_m, before: string, synth: string) => `${before}${synth} --output ${JSON.stringify(dir)}`);
  }
  if (args.app !== undefined) return `${args.app.endsWith('.ts') ? 'npx tsx' : 'node'} ${JSON.stringify(args.app)}`;
  return config.app;
}

/** Runs the synthesis into a fresh temporary folder and returns its objects and YAML files. */
function synthesiseFresh(commandFor: (dir: string) => string, cwd: string, repoOutdir: string): { objects: ManifestObject[]; files: string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnc-plan-'));
  const dir = path.join(tmp, 'out');
  const command = commandFor(dir);
  try {
    execSync(command, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CDK8S_OUTDIR: dir } });
    const files = fs.existsSync(dir) ? yamlFiles(dir) : [];
    if (files.length === 0) {
      throw new Error(`${JSON.stringify(command)} wrote no manifest into the temporary folder CDK8S_OUTDIR=${dir}: create the App without an outdir `
        + '(cdk8s reads CDK8S_OUTDIR), or pass process.env.CDK8S_OUTDIR as its outdir');
    }
    return { objects: readManifests(dir, repoOutdir), files };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
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
  return runPlan(argv.slice(1), io);
}

function runPlan(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`cloudnative-constructs plan: ${args}\n\n${USAGE}`);
    return 2;
  }
  const config = readCdk8sConfig(io.cwd);
  const outdir = args.outdir ?? config.output ?? 'dist';
  if (synthCommand(args, config, '') === undefined) {
    io.err('cloudnative-constructs plan: no cdk8s.yaml with an "app" command here; pass --app <module> or --command <command>\n');
    return 2;
  }
  try {
    if (args.committed !== undefined && path.resolve(io.cwd, args.committed) === path.resolve(io.cwd, outdir)) {
      throw new Error(`--committed ${args.committed} is the output folder, which holds whatever was synthesised last, not what is committed; leave it out to compare with git (--base)`);
    }
    // where ArgoCD reads the output: the Applications' source paths are relative to the repository's root
    const repoOutdir = repositoryPath(io.cwd, outdir);
    const next = synthesiseFresh(dir => synthCommand(args, config, dir)!, io.cwd, repoOutdir);
    let committed: ManifestObject[];
    if (args.committed !== undefined) {
      committed = readManifests(path.resolve(io.cwd, args.committed), repoOutdir);
    } else {
      checkNotIgnored(io.cwd, outdir, next.files);
      committed = committedAt(io.cwd, args.base, outdir);
    }
    const result = planManifests(committed, next.objects, { allowPrune: args.allowPrune });
    io.out(formatPlan(result, 'text'));
    if (args.summary) fs.appendFileSync(args.summary, formatPlan(result, 'markdown'));
    return result.ok ? 0 : 1;
  } catch (e) {
    io.err(`cloudnative-constructs plan: ${(e as Error).message}\n`);
    return 2;
  }
}
