import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configKnobs } from '../../../src/analyze/config-knobs.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { Result } from '../../../src/model/result.js';

/** Results the CLI produced from real images (examples/ and examples/profiles/). */
function examples(): Map<string, Result> {
  const out = new Map<string, Result>();
  for (const base of ['examples', 'examples/profiles']) {
    for (const d of readdirSync(base)) {
      const f = join(base, d, 'result.json');
      if (existsSync(f)) out.set(`${base === 'examples' ? '' : 'profiles/'}${d}`, JSON.parse(readFileSync(f, 'utf8')) as Result);
    }
  }
  return out;
}

const knobsOf = (r: Result) => configKnobs({ mounts: r.plan.mounts, imageEnv: r.image.env });

function mount(path: string, covers: string[]): Mount {
  return { path, kind: 'tmpfs', uid: 0, gid: 0, mode: 0o755, exec: false, sizeBytes: 1 << 26, covers, coversCount: covers.length, observedBytes: 0, reasons: [], hides: [] };
}

describe('configKnobs on the real examples', () => {
  const all = examples();

  it('finds the knobs the real images have, each with the writes as evidence', () => {
    const found = Object.fromEntries([...all].map(([name, r]) => [name, knobsOf(r).map((k) => `${k.id} ${k.mount} drops=${k.dropsMount}`)]).filter(([, ks]) => (ks as string[]).length > 0));
    expect(found).toEqual({
      'compose-project': ['python-bytecode /app/__pycache__ drops=true'],
      nginx: ['nginx-temp-paths /var/lib/nginx drops=true'],
      'profiles/nginx': ['nginx-temp-paths /var/lib/nginx drops=true'],
      postgres: ['postgres-socket-dir /run/postgresql drops=true'],
      'profiles/postgres': ['postgres-socket-dir /run/postgresql drops=true'],
      'profiles/mariadb': ['mysql-tmpdir /tmp drops=true'],
      'profiles/python-wsgi': ['python-bytecode /app/__pycache__ drops=true'],
      'profiles/tomcat': ['java-perfdata /tmp/hsperfdata_tomcat drops=true'],
    });
  });

  it('quotes the written paths it matched', () => {
    const wsgi = knobsOf(all.get('profiles/python-wsgi') as Result)[0];
    expect(wsgi?.knob).toBe('PYTHONDONTWRITEBYTECODE=1');
    expect(wsgi?.evidence).toEqual(['written: /app/__pycache__/app.cpython-311.pyc']);
    const nginx = knobsOf(all.get('nginx') as Result)[0];
    expect(nginx?.knob).toBe('`client_body_temp_path`, `fastcgi_temp_path`, `proxy_temp_path`, `scgi_temp_path`, `uwsgi_temp_path`');
    expect(nginx?.evidence.every((e) => e.startsWith('written: /var/lib/nginx/'))).toBe(true);
  });
});

describe('configKnobs rules', () => {
  it('stays quiet when the image already sets the knob', () => {
    const m = mount('/app/__pycache__', ['/app/__pycache__', '/app/__pycache__/m.cpython-312.pyc']);
    expect(configKnobs({ mounts: [m], imageEnv: [] })).toHaveLength(1);
    expect(configKnobs({ mounts: [m], imageEnv: ['PYTHONDONTWRITEBYTECODE=1'] })).toEqual([]);
    const perf = mount('/tmp/hsperfdata_app', ['/tmp/hsperfdata_app/7']);
    expect(configKnobs({ mounts: [perf], imageEnv: ['JAVA_TOOL_OPTIONS=-Xmx1g -XX:-UsePerfData'] })).toEqual([]);
  });

  it('says the mount stays when it also served other writes, and when it served more than it lists', () => {
    const mixed = mount('/tmp', ['/tmp/hsperfdata_app/7', '/tmp/upload-1']);
    expect(configKnobs({ mounts: [mixed], imageEnv: [] }).map((k) => [k.id, k.dropsMount])).toEqual([['java-perfdata', false]]);
    const many = { ...mount('/app/__pycache__', ['/app/__pycache__/a.pyc']), coversCount: 500 };
    expect(configKnobs({ mounts: [many], imageEnv: [] })[0]?.dropsMount).toBe(false);
  });

  it('reads TMPDIR only when the image points it somewhere unusual, and quotes the setting', () => {
    const m = mount('/srv/app/tmp', ['/srv/app/tmp/spool-1']);
    expect(configKnobs({ mounts: [m], imageEnv: ['TMPDIR=/tmp'] })).toEqual([]);
    const [k] = configKnobs({ mounts: [m], imageEnv: ['TMPDIR=/srv/app/tmp/'] });
    expect(k?.id).toBe('image-temp-variable');
    expect(k?.evidence).toEqual(['image sets TMPDIR=/srv/app/tmp/', 'written: /srv/app/tmp/spool-1']);
  });

  it('names the XDG variable for writes under HOME, unless the image sets it', () => {
    const m = mount('/home/app/.cache', ['/home/app/.cache/pip/http/x']);
    expect(configKnobs({ mounts: [m], imageEnv: ['HOME=/home/app'] }).map((k) => k.knob)).toEqual(['XDG_CACHE_HOME']);
    expect(configKnobs({ mounts: [m], imageEnv: ['HOME=/home/app', 'XDG_CACHE_HOME=/cache'] })).toEqual([]);
    expect(configKnobs({ mounts: [m], imageEnv: [] })).toEqual([]);
  });

  it('does not take a directory merely named like a temp dir outside nginx for nginx', () => {
    expect(configKnobs({ mounts: [mount('/srv/proxy', ['/srv/proxy/body/1'])], imageEnv: [] })).toEqual([]);
    expect(configKnobs({ mounts: [mount('/var/cache/nginx', ['/var/cache/nginx/client_temp', '/var/cache/nginx/proxy_temp/1/00/0000000001'])], imageEnv: [] }).map((k) => k.knob)).toEqual(['`client_body_temp_path`, `proxy_temp_path`']);
  });
});
