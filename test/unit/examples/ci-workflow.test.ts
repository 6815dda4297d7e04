import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import yargs, { type CommandModule } from 'yargs';
import { diffCommand } from '../../../src/cli/commands/diff.js';
import { profileCommand } from '../../../src/cli/commands/profile.js';
import { verifyCommand } from '../../../src/cli/commands/verify.js';

/**
 * examples/ci/github-actions.yml must not rot: it is a workflow GitHub can read, and every
 * ro-profile line it runs parses with the CLI's own commands and flags (strict, as the CLI runs).
 */
const text = readFileSync(new URL('../../../examples/ci/github-actions.yml', import.meta.url), 'utf8');
const workflow = parse(text) as { jobs: Record<string, { steps: { name?: string; uses?: string; run?: string; with?: Record<string, string> }[] }> };
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

/** Enough of a POSIX shell's word splitting for these lines: quotes, and $VAR kept as a word. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The ro-profile commands the workflow runs, up to a pipe or redirection. */
const commands = steps
  .flatMap((s) => (s.run ?? '').split('\n'))
  .map((l) => l.trim())
  .filter((l) => l.startsWith('ro-profile '))
  .map((l) => words(l.split(/\s(?:\||2>&1|>|&&|\|\|)\s?/)[0]!).slice(1));

function parseWithCli(args: string[]): Record<string, unknown> {
  let parsed: Record<string, unknown> | undefined;
  const noop = (c: CommandModule<object, never>) => ({ ...c, handler: (a: unknown) => void (parsed = a as Record<string, unknown>) }) as CommandModule;
  yargs(args)
    .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
    .command(noop(verifyCommand as CommandModule<object, never>))
    .command(noop(diffCommand as CommandModule<object, never>))
    .command(noop(profileCommand as CommandModule<object, never>))
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseSync();
  if (!parsed) throw new Error(`no command ran for: ${args.join(' ')}`);
  return parsed;
}

describe('examples/ci/github-actions.yml', () => {
  it('runs ro-profile with --baseline and SARIF under --out, keeping its exit status', () => {
    expect(commands).toHaveLength(1);
    const argv = parseWithCli(commands[0]!);
    expect(argv).toMatchObject({ image: '$IMAGE', baseline: 'baseline/result.json', out: 'out/' });
    // results.sarif is written by --format sarif or all.
    expect(['sarif', 'all']).toContain(argv['format']);
    const run = steps.find((s) => s.run?.includes('ro-profile '))!.run!;
    expect(run).toContain('set -o pipefail');
    expect(run).toMatch(/\|\| status=\$\?/);
    expect(steps.at(-1)!.run).toMatch(/exit 1/);
  });

  it('the parser it is checked with refuses a flag the CLI does not have', () => {
    expect(() => parseWithCli(['$IMAGE', '--baseline', 'b.json', '--bogus-flag'])).toThrow(/Unknown argument.*bogus-flag/);
    expect(() => parseWithCli(['diff', 'a.json', 'b.json', '--format', 'html'])).toThrow(/Invalid values/);
  });

  it('installs Node 20 and uploads the SARIF file ro-profile writes, as category ro-profile', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with).toEqual({ sarif_file: 'out/results.sarif', category: 'ro-profile' });
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') && String(s.with?.['path']).includes('out/'))).toBe(true);
  });
});
