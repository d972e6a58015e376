#!/usr/bin/env node
import { runCli } from './internal/plan/plan-cli';

process.exitCode = runCli(process.argv.slice(2), { cwd: process.cwd(), out: s => process.stdout.write(s), err: s => process.stderr.write(s) });
