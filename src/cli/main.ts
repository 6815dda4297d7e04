#!/usr/bin/env node
import { toolVersion } from './version.js';

// `ro-profile --version` alone needs no flag parser: yargs and the string-width it loads cost about
// 80 ms of CPU before any flag is read (bench/help.mjs). The output is yargs' own: the version, a newline.
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') process.stdout.write(`${toolVersion()}\n`);
else await (await import('./parse-args.js')).parseArgs();
