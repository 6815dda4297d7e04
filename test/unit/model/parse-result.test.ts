import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../../src/model/mount-plan.js';
import { parseResult } from '../../../src/model/parse-result.js';
import { sampleResult } from '../../helpers/sample-result.js';

const NGINX_TEXT = readFileSync(new URL('../../fixtures/results/nginx.json', import.meta.url), 'utf8');
const SAMPLE_TEXT = JSON.stringify(sampleResult(), null, 2);
const HINT = 'Give a file written by "ro-profile IMAGE --format json".';

/** The sample result as JSON text, after an edit. */
function edited(edit: (r: any) => void): string {
  const data = JSON.parse(SAMPLE_TEXT) as unknown;
  edit(data);
  return JSON.stringify(data);
}

describe('parseResult', () => {
  it('reads a saved result back as it was written', () => {
    const result = parseResult(NGINX_TEXT, 'nginx.json');
    expect(result).toEqual(JSON.parse(NGINX_TEXT));
    expect(result.plan.mounts.map((m) => m.path)).toEqual(['/run', '/var/lib/nginx', '/var/log/nginx']);
  });

  it('reads back a result that uses every field of the model', () => {
    expect(parseResult(SAMPLE_TEXT, 'sample.json')).toEqual(sampleResult());
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseResult('docker run --read-only nginx\n', 'out.sh')).toThrow(
      expect.objectContaining({ code: 'RESULT_INVALID', message: expect.stringMatching(/^out\.sh is not JSON: /), hint: HINT }),
    );
  });

  it.each([
    ['null', 'null', 'the top level is null, expected object'],
    ['a number', '42', 'the top level is the integer 42, expected object'],
    ['an array', '[]', 'the top level is an array, expected object'],
    ['a newer schema', edited((r) => (r.schemaVersion = 2)), '/schemaVersion is 2, expected 1'],
    ['a newer schema with other fields', edited((r) => Object.assign(r, { schemaVersion: 2, plan: 'elsewhere' })), '/schemaVersion is 2, expected 1'],
    ['no schema', edited((r) => delete r.schemaVersion), '/schemaVersion is missing'],
    ['no run image', edited((r) => delete r.run.image), '/run/image is missing'],
    ['no plan', edited((r) => delete r.plan), '/plan is missing'],
    ['no findings', edited((r) => delete r.findings), '/findings is missing'],
    ['no image id', edited((r) => delete r.image.id), '/image/id is missing'],
    ['an unknown mount kind', edited((r) => (r.plan.mounts[0].kind = 'ramdisk')), '/plan/mounts/0/kind is "ramdisk", expected one of "tmpfs", "volume", "seeded"'],
    ['an unknown finding kind', edited((r) => (r.findings[0].kind = 'disk-full')), `/findings/0/kind is "disk-full", expected one of ${FINDING_KINDS.map((k) => `"${k}"`).join(', ')}`],
    ['an extra property', edited((r) => (r.tool.commit = 'abc')), '/tool/commit is not allowed'],
    ['an extra property whose name needs escaping', edited((r) => (r.tool['a/b~c'] = 1)), '/tool/a~1b~0c is not allowed'],
    ['a tmpfs with a volume name', edited((r) => (r.plan.mounts[1].volumeName = 'logs')), '/plan/mounts/1/volumeName is not allowed here'],
    ['a volume without one', edited((r) => delete r.plan.mounts[0].volumeName), '/plan/mounts/0/volumeName is missing'],
    ['a wrong type', edited((r) => (r.plan.mounts[0].uid = '1000')), '/plan/mounts/0/uid is a string, expected integer'],
    ['a fractional size', edited((r) => (r.events[0].size = 1.5)), '/events/0/size is the number 1.5, expected integer'],
    ['a relative mount path', edited((r) => (r.plan.mounts[0].path = 'srv/app/data')), '/plan/mounts/0/path must match pattern "^/"'],
    [
      'an empty object',
      '{}',
      '/schemaVersion is missing; /tool is missing; /image is missing; /run is missing; /exercise is missing (and 8 more)',
    ],
  ])('refuses %s, naming the problem by JSON pointer', (_name, text, problems) => {
    expect(() => parseResult(text, 'r.json')).toThrow(
      expect.objectContaining({
        code: 'RESULT_INVALID',
        message: `r.json is not an ro-profile result: ${problems}`,
        hint: HINT,
      }),
    );
  });

  it('never repeats the value of a variable written into a saved result', () => {
    const text = edited((r) => {
      r.run.env[0].value = 'hunter2';
      r.run.env[1].name = 'TZ=hunter2';
      r.run.user = { password: 'hunter2' };
    });
    let message = '';
    try {
      parseResult(text, 'r.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'r.json is not an ro-profile result: /run/env/0/value is not allowed; /run/env/1/name must match pattern "^[A-Za-z_][A-Za-z0-9_.-]*$"; /run/user is an object, expected string',
    );
  });
});
