import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_SESSION } from '../../src/runtime/labels.js';
import { docker, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { attachContainer, eventually } from '../helpers/hardened-run.js';

/**
 * `drift` on real containers of one image: a result profiled from it, then one container left
 * alone and one that a test tampers with after start (a new and a changed program in /usr/bin, a
 * new file in /etc, a deleted one, a stray write), read running and stopped.
 */
const IMAGE = 'ro-profile-fixture/lighttpd:latest';

interface DriftDoc {
  drift: boolean;
  notes: string[];
  containers: {
    container: { id: string; name: string; running: boolean };
    result?: { matchedBy: string };
    image?: { ref: string; id: string; user: string; volumes: string[] };
    warnings: unknown[];
    counts: { mounted: number; profiled: number; drift: number; unclassified: number; folded: number };
    drift: { rule: string; kind: string; path: string }[];
    changes: { path: string; class: string; rule?: string }[];
    groups?: { dir: string; drift: number }[];
  }[];
}

const TAMPERED_DRIFT = [
  { rule: 'drift/modified-binary', kind: 'added', path: '/usr/bin/ro-drift-new' },
  { rule: 'drift/modified-binary', kind: 'modified', path: '/usr/bin/yes' },
  { rule: 'drift/new-system-file', kind: 'added', path: '/etc/ro drift ü.conf' },
  { rule: 'drift/deleted-file', kind: 'deleted', path: '/etc/issue' },
  { rule: 'drift/unexpected-write', kind: 'added', path: '/srv/drift' },
  { rule: 'drift/unexpected-write', kind: 'added', path: '/srv/drift/note' },
];

describe.skipIf(!dockerAvailable())('drift', () => {
  const session = testSession('drift');
  const dir = mkdtempSync(join(tmpdir(), 'ro-profile-drift-test-'));
  const resultFile = join(dir, 'lighttpd.json');
  const names = { clean: `${session}-clean`, tampered: `${session}-tampered` };
  const ids: string[] = [];

  const drift = (args: string[]) => runCli(['drift', ...args], { session, timeoutMs: 60_000 });
  const doc = (stdout: string) => JSON.parse(stdout) as DriftDoc;

  async function start(name: string): Promise<string> {
    const c = await docker.createContainer({ Image: IMAGE, name, Labels: { [LABEL_SESSION]: session } });
    ids.push(c.id);
    await c.start();
    // Started means lighttpd wrote its pid file: the writes the profile saw are there to be classified.
    await eventually(async () => ((await c.changes()) as { Path: string }[] | null)?.some((x) => x.Path === '/run/lighttpd.pid'));
    return c.id;
  }

  beforeAll(async () => {
    const profiled = await runCli([IMAGE, '--no-verify', '--format', 'json', '-q'], { session });
    expect(profiled.code, profiled.stderr).toBe(0);
    writeFileSync(resultFile, profiled.stdout);
    // A directory of results holds other files too: they are skipped with a note.
    writeFileSync(join(dir, 'notes.json'), '{"not": "a result"}');
    await start(names.clean);
    const tampered = await attachContainer(await start(names.tampered));
    const script = [
      'set -e',
      "printf 'x\\n' > /usr/bin/ro-drift-new && chmod 0755 /usr/bin/ro-drift-new",
      "printf '\\n' >> /usr/bin/yes",
      "printf 'y\\n' > '/etc/ro drift ü.conf'",
      'rm /etc/issue',
      "mkdir -p /srv/drift && printf 'n\\n' > /srv/drift/note",
    ].join('\n');
    const r = await tampered.exec(['sh', '-c', script]);
    expect(r.exitCode, r.output).toBe(0);
  });

  afterAll(async () => {
    for (const id of ids) await docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    expect(await leftovers(session)).toEqual([]);
  });

  it('an untouched container has no drift: its writes are under the mounts of its result (exit 0)', async () => {
    const r = await drift([names.clean, '--result', resultFile, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const c = doc(r.stdout).containers[0]!;
    expect(c.drift).toEqual([]);
    expect(c.counts.drift).toBe(0);
    expect(c.changes).toContainEqual({ path: '/run/lighttpd.pid', kind: 'added', class: 'mounted' });
    expect(c.counts.folded).toBeGreaterThan(0);
    expect(c.warnings).toEqual([]);
  });

  it('the tampered container: each change under its rule, exit 10', async () => {
    const r = await drift([names.tampered, '--result', resultFile, '--format', 'json']);
    expect(r.code, r.stderr).toBe(10);
    const d = doc(r.stdout);
    expect(d.drift).toBe(true);
    expect(d.containers[0]!.drift).toEqual(TAMPERED_DRIFT);
    expect(r.stderr).toContain(`drift: 6 unexpected changes in ${names.tampered}`);
  });

  it('the table names both containers and the drift lines', async () => {
    const r = await drift([names.clean, names.tampered, '--result', resultFile]);
    expect(r.code, r.stderr).toBe(10);
    expect(r.stdout).toContain(`container  ${names.clean} (`);
    expect(r.stdout).toMatch(/drift\/modified-binary +changed +\/usr\/bin\/yes\n/);
    expect(r.stdout).toMatch(/drift\/new-system-file +added +\/etc\/ro drift ü\.conf\n/);
    expect(r.stdout).toContain('drift: 6 changes in 1 of 2 containers');
  });

  it('--all --results DIR finds the tampered container by its image and passes the clean one', async () => {
    const r = await drift(['--all', '--results', dir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(10);
    const d = doc(r.stdout);
    const byName = new Map(d.containers.map((c) => [c.container.name, c]));
    expect(byName.get(names.tampered)?.drift).toEqual(TAMPERED_DRIFT);
    expect(byName.get(names.tampered)?.result?.matchedBy).toBe('id');
    expect(byName.get(names.clean)?.counts.drift).toBe(0);
    expect(d.notes.join('\n')).toContain('notes.json');
    expect(r.stderr).toContain('skipped');
  });

  it('--all with no result for any running image fails (exit 2): a gate that checked nothing must not pass', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ro-profile-drift-none-'));
    try {
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { image: { ref: string; id: string }; run: { image: string } };
      writeFileSync(join(other, 'r.json'), JSON.stringify({ ...result, image: { ...result.image, ref: 'ro-profile-fixture/none:1', id: `sha256:${'0'.repeat(64)}` }, run: { ...result.run, image: 'ro-profile-fixture/none:1' } }));
      const r = await drift(['--all', '--results', other]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('nothing was checked: no running container runs an image with a result');
      expect(r.stderr).toMatch(/\nhint: Start the containers first/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('with no result: the changes by directory beside the image facts, system changes and deletions still drift', async () => {
    const r = await drift([names.tampered, '--format', 'json']);
    expect(r.code, r.stderr).toBe(10);
    const c = doc(r.stdout).containers[0]!;
    expect(c.image).toMatchObject({ ref: IMAGE, id: expect.stringMatching(/^sha256:/), volumes: [] });
    expect(c.drift).toEqual(TAMPERED_DRIFT.filter((x) => x.rule !== 'drift/unexpected-write'));
    expect(c.changes.filter((x) => x.path.startsWith('/srv/drift')).map((x) => x.class)).toEqual(['unclassified', 'unclassified']);
    expect(c.groups?.filter((g) => g.drift > 0).map((g) => g.dir)).toEqual(['/etc', '/usr/bin']);
    const clean = await drift([names.clean]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/DIRECTORY +ADDED/);
  });

  it('--format sarif --out FILE: SARIF 2.1.0 with the rules, one result per drift change, still exit 10', async () => {
    const out = join(dir, 'drift.sarif');
    const r = await drift([names.tampered, '--result', resultFile, '--format', 'sarif', '--out', out]);
    expect(r.code, r.stderr).toBe(10);
    expect(r.stdout).toBe('');
    const log = JSON.parse(readFileSync(out, 'utf8')) as Log;
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.rules?.map((x) => x.id)).toEqual(['drift/modified-binary', 'drift/new-system-file', 'drift/deleted-file', 'drift/unexpected-write']);
    expect(run.results?.map((x) => x.ruleId)).toEqual(TAMPERED_DRIFT.map((x) => x.rule));
    const etc = run.results?.find((x) => x.ruleId === 'drift/new-system-file');
    expect(etc?.locations?.[0]?.physicalLocation?.artifactLocation).toMatchObject({ uri: 'etc/ro%20drift%20%C3%BC.conf', uriBaseId: 'CONTAINER_ROOT' });
    expect(etc?.locations?.[0]?.logicalLocations?.[0]?.name).toBe(names.tampered);
  });

  it('an unknown container is a usage error with a hint; an unreadable result is RESULT_INVALID', async () => {
    const r = await drift([`${session}-nosuch`, '--result', resultFile, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', error: { code: 'USAGE', message: `No such container: "${session}-nosuch"` } });
    expect(r.stderr).toContain('hint: ');
    const bad = await drift([names.clean, '--result', join(dir, 'notes.json'), '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ outcome: 'error', error: { code: 'RESULT_INVALID' } });
  });

  it('a stopped container is read the same', async () => {
    await docker.getContainer(names.tampered).stop({ t: 5 });
    const r = await drift([names.tampered, '--result', resultFile, '--format', 'json']);
    expect(r.code, r.stderr).toBe(10);
    const c = doc(r.stdout).containers[0]!;
    expect(c.container.running).toBe(false);
    expect(c.drift).toEqual(TAMPERED_DRIFT);
  });
});
