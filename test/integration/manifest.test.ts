import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Result } from '../../src/model/result.js';
import { getIn, parseManifest, selectContainer, type Obj } from '../../src/source/manifest.js';
import { asProfiled } from '../../src/verify/workload-pod.js';
import { ROOT, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';
import { READ_ONLY_ERRORS } from '../helpers/fixture-exercises.js';
import { eventually, httpStatus } from '../helpers/hardened-run.js';
import { emptyDirDockerRun } from '../helpers/k8s-run.js';
import { strategicMerge } from '../helpers/strategic-merge.js';
import { tmpDir } from '../helpers/tmp.js';

/**
 * `--manifest` end to end: the example Deployment (nginx fixture, a configMap volume, an
 * emptyDir, env from a value and from a Secret, a readinessProbe) profiled from its file and
 * verified as the workload patched (--verify-with k8s), then the printed patches applied to the
 * file (strategic merge, and the Kustomize JSON6902 patch by fast-json-patch), and the merged
 * pod template run as a kubelet would (fresh root-owned emptyDirs; the configMap and the Secret's
 * variable left out as when profiling) to show the user's own workload runs read-only.
 * `--harden drop-caps --leave-one-out 0` keep it short: the levels are harden.test.ts's subject.
 */
const MANIFEST = join(ROOT, 'examples/manifests/deployment.yaml');

describe.skipIf(!dockerAvailable())('ro-profile --manifest', () => {
  it('profiles the example Deployment from its file, verifies the patched workload, and the merged pod template runs read-only', async () => {
    const session = testSession('manifest');
    using out = tmpDir();
    const r = await runCli(['--manifest', MANIFEST, '--verify-with', 'k8s', '--harden', 'drop-caps', '--leave-one-out', '0', '--format', 'all', '--out', out.path], { session, timeoutMs: 150_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: env SHOP_API_TOKEN comes from secretKeyRef.*-e SHOP_API_TOKEN=VALUE/);
    const result = JSON.parse(readFileSync(join(out.path, 'result.json'), 'utf8')) as Result;
    expect(result.verification.at(-1)).toMatchObject({ format: 'k8s', runtime: expect.stringMatching(/the manifest's workload as patched/), result: 'pass' });
    // The env value is a secret to outputs: named, never written.
    for (const f of ['result.json', 'patch.yaml', 'patch.json6902.yaml', 'values.yaml', 'k8s.yaml', 'report.md']) expect(readFileSync(join(out.path, f), 'utf8')).not.toContain('eu-west-canary');

    const picked = selectContainer(parseManifest(readFileSync(MANIFEST, 'utf8'), MANIFEST), MANIFEST);
    const smp = strategicMerge(picked.workload.doc, parse(readFileSync(join(out.path, 'patch.yaml'), 'utf8'))) as Obj;
    const ops = parse(readFileSync(join(out.path, 'patch.json6902.yaml'), 'utf8')) as jsonpatch.Operation[];
    expect(jsonpatch.applyPatch(structuredClone(picked.workload.doc), ops, true, false).newDocument).toEqual(smp);
    const podSpec = getIn(smp, picked.workload.podSpecPath) as Obj;
    const seeds = new Set(((podSpec.initContainers as Obj[] | undefined) ?? []).map((c) => c.name));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: asProfiled(podSpec, 'nginx', seeds) };
    const p = await emptyDirDockerRun(stringify(pod), session);
    try {
      for (const init of p.inits) expect(init.exitCode, init.logs).toBe(0);
      expect(await p.hardening()).toEqual({ readOnlyRoot: true, noNewPrivileges: true, privileged: false });
      expect(await eventually(() => httpStatus(p.ip, 80).catch(() => undefined))).toBe(200);
      const s = await p.status();
      expect(s.running, await p.logs()).toBe(true);
      expect(await p.logs()).not.toMatch(READ_ONLY_ERRORS);
    } finally {
      await p.remove();
    }
    expect(await leftovers(session)).toEqual([]);
  });

  it('lists the choices when the manifest has several containers (exit 2)', async () => {
    const r = await runCli(['--manifest', join(ROOT, 'examples/manifests/helm-template.yaml')], { session: testSession('manifest-usage') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--container statefulset/release-cache/redis\n  --container job/release-cache-check/check');
  });
});
