#!/usr/bin/env node
// Stand-alone entry for `lad serve` (node dist/serve/main.js [options]); `lad serve` is the same.
import { Command, CommanderError } from 'commander';
import { registerServe } from './command.js';
import { fail } from '../cli/common.js';

const program = new Command('lad').exitOverride();
registerServe(program);
program.parseAsync(['node', 'lad', 'serve', ...process.argv.slice(2)]).catch((e) => {
  if (e instanceof CommanderError) process.exit(e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2);
  fail(e);
});
