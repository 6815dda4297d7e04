import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitFormat } from '../../../src/emit/emit.js';
import { logAdviceOf, logCommentLines, logsSection } from '../../../src/emit/log-advice.js';
import { resourcesSection } from '../../../src/emit/report-resources.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';

const NGINX = parseResult(readFileSync(new URL('../../fixtures/results/nginx.json', import.meta.url), 'utf8'), 'nginx.json');

describe('resourcesSection', () => {
  it('shows each measured figure beside the limit chosen and how each format writes it', () => {
    const text = resourcesSection(NGINX).join('\n');
    expect(text).toContain("from the container's cgroup (v1) files");
    expect(text).toContain('| memory, working set peak | 2.7 MiB | 2.8 MiB | 64 MiB app + 192 MiB tmpfs = 256 MiB | `--memory 256m`, compose `mem_limit: 256m`, k8s `memory: 64Mi` |');
    expect(text).toContain('| tasks (processes and threads), peak | 3 | 3 | 64 | `--pids-limit 64`, compose `pids_limit: 64`');
    expect(text).toContain('Limits: **starter**, headroom ×2.');
    expect(text).toContain('- Not verified under these limits yet');
    const verified: Result = { ...NGINX, verification: [{ format: 'run', runtime: 'docker', version: '20.10.24', result: 'pass', rounds: [] }] };
    expect(resourcesSection(verified).join('\n')).toContain('- Verified under these limits with run on docker 20.10.24.');
    expect(text).toContain('| `/var/log/nginx` | tmpfs | 64 MiB | 540 B | 4.0 KiB |');
  });

  it('without limits or measurement it says why, and which flag sets them', () => {
    const { limits: _l, ...off } = NGINX;
    expect(resourcesSection(off).join('\n')).toContain('No limits in the config (`--limits off`)');
    const { usage: _u, ...unmeasured } = off;
    expect(resourcesSection(unmeasured as Result).join('\n')).toContain('Not measured: the run ended before a reading');
  });
});

describe('the emptyDir note', () => {
  it('is said only where the Pod has emptyDirs: a plan of named volumes alone (claims) has none', () => {
    const claims: Result = { ...NGINX, plan: { mounts: NGINX.plan.mounts.map((m) => ({ ...m, kind: 'volume' as const, volumeName: `v${m.path.length}` })) } };
    expect(resourcesSection(NGINX).join('\n')).toContain('disk-backed emptyDir');
    expect(emitFormat(NGINX, 'k8s')).toContain('disk-backed emptyDirs count against ephemeral storage');
    expect(resourcesSection(claims).join('\n')).not.toContain('emptyDir');
    expect(emitFormat(claims, 'k8s')).not.toContain('emptyDirs count');
  });
});

describe('log advice', () => {
  it('nginx logs into /var/log/nginx: the report and every config say how to send the logs out, and what caps them', () => {
    expect(logAdviceOf(NGINX)).toEqual([{ mount: '/var/log/nginx', files: expect.arrayContaining(['/var/log/nginx/access.log']), bounded: true, sizeBytes: 64 * 1024 * 1024 }]);
    const section = logsSection(NGINX).join('\n');
    expect(section).toContain('ln -sf /dev/stdout /var/log/nginx/');
    expect(section).toContain("the tmpfs's size (64m) caps them");
    for (const f of ['run', 'compose', 'k8s'] as const) expect(emitFormat(NGINX, f)).toContain('# logs: the app writes /var/log/nginx/');
  });

  it('a log mount on a named volume is called unbounded, with the flag that sizes it', () => {
    const r: Result = { ...NGINX, plan: { mounts: NGINX.plan.mounts.map((m) => (m.path === '/var/log/nginx' ? { ...m, kind: 'volume' as const, volumeName: 'nginx-logs' } : m)) } };
    expect(logsSection(r).join('\n')).toContain('**no size limit**');
    expect(logsSection(r).join('\n')).toContain('--ephemeral /var/log/nginx');
    expect(logCommentLines(r)[0]).toContain('its volume has no size limit');
  });

  it('a path holding a line break stays inside its one comment line', () => {
    const r: Result = { ...NGINX, findings: NGINX.findings.map((f) => (f.kind === 'log-file' ? { ...f, evidence: ['/var/log/nginx/a\nrm -rf /'] } : f)) };
    const lines = logCommentLines(r);
    expect(lines[0]!.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });
});
