#!/usr/bin/env node
import { runCli } from './internal/plan/plan-cli';
import { runPrerequisitesCli } from './internal/prerequisites/prerequisites-cli';

const io = { cwd: process.cwd(), out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) };
const argv = process.argv.slice(2);
process.exitCode = argv[0] === 'prerequisites' ? runPrerequisitesCli(argv.slice(1), io) : runCli(argv, io);
