import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchEntry } from '../../../../src/cli/batch/batch-entry.js';
import { countLine, renderMarkdown, renderTable, summaryOf, writeSummary } from '../../../../src/cli/batch/summary.js';
import { tmpDir } from '../../../helpers/tmp.js';

const entries: BatchEntry[] = [
  { image: 'ro-profile-fixture/busybox-app:latest', dir: 'app_0123456789ab', outcome: 'success', exitCode: 0, mounts: 2, hardening: 'restricted', verifiedWith: 'run, docker 27.1', seconds: 9.14, files: ['docker-run.sh'] },
  { image: 'x|y', dir: 'x-y_0123456789ab', outcome: 'failed', exitCode: 4, seconds: 0.04, error: { code: 'IMAGE_NOT_FOUND', message: 'Image "x|y" is not\npresent', hint: 'Check the name.' } },
  { image: 'old', dir: 'old', outcome: 'resumed', exitCode: 0, mounts: 1, hardening: 'drop-caps', seconds: 3 },
  { image: 'late', dir: 'late', outcome: 'not-run' },
];
const times = { toolVersion: '9.9.9', startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:01:00.000Z', finished: true };

describe('summaryOf', () => {
  it('counts each outcome', () => {
    const s = summaryOf(entries, times);
    expect(s.counts).toEqual({ total: 4, success: 1, failed: 1, resumed: 1, interrupted: 0, 'not-run': 1, pending: 0, running: 0 });
    expect(countLine(s)).toBe('1 success, 1 resumed, 1 failed, 1 not-run');
  });
});

describe('renderTable', () => {
  it('is one row an image under a header, columns aligned, "-" where there is nothing', () => {
    expect(renderTable(entries)).toBe(
      [
        'IMAGE                                  OUTCOME  EXIT  MOUNTS  HARDENING   VERIFIED-WITH     SECONDS  DIR',
        'ro-profile-fixture/busybox-app:latest  success  0     2       restricted  run, docker 27.1  9.1      app_0123456789ab/',
        'x|y                                    failed   4     -       -           -                 0.0      x-y_0123456789ab/',
        'old                                    resumed  0     1       drop-caps   -                 3.0      old/',
        'late                                   not-run  -     -       -           -                 -        late/',
        '',
      ].join('\n'),
    );
  });
});

describe('renderMarkdown', () => {
  it('escapes table cells and lists each failure with its code, message and hint', () => {
    const md = renderMarkdown(summaryOf(entries, times));
    expect(md).toContain('| `x\\|y` | failed | 4 | - | - | - | 0.0 | `x-y_0123456789ab/` |');
    expect(md).toContain('### `x\\|y`: exit 4 (IMAGE_NOT_FOUND)\n\n```text\nImage "x|y" is not\npresent\n```\n\nHint: Check the name.');
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(5);
  });

  it('says when it is partial', () => {
    expect(renderMarkdown(summaryOf(entries, { ...times, finished: false }))).toContain('(not finished: this is a partial summary)');
    expect(renderMarkdown(summaryOf(entries, times))).not.toContain('partial');
  });
});

describe('writeSummary', () => {
  it('writes summary.json and summary.md, and nothing else is left in the directory', () => {
    using dir = tmpDir();
    const s = summaryOf(entries, times);
    writeSummary(dir.path, s);
    writeSummary(dir.path, s);
    expect(JSON.parse(readFileSync(join(dir.path, 'summary.json'), 'utf8'))).toEqual(s);
    expect(readFileSync(join(dir.path, 'summary.md'), 'utf8')).toBe(renderMarkdown(s));
  });
});
