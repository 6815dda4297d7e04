import { describe, expect, it } from 'vitest';
import { dedupeImages, parseImageList } from '../../../../src/cli/batch/image-list.js';

describe('parseImageList', () => {
  it('takes one reference a line, skipping blank lines, comment lines and trailing comments', () => {
    const text = '# the catalogue\n\nnginx:alpine\n  redis:7   # cache\r\nregistry:5000/a/b@sha256:abc\n\t\n#postgres:16\n';
    expect(parseImageList(text, 'images.txt')).toEqual([
      { image: 'nginx:alpine', from: 'images.txt:3' },
      { image: 'redis:7', from: 'images.txt:4' },
      { image: 'registry:5000/a/b@sha256:abc', from: 'images.txt:5' },
    ]);
  });

  it('refuses a line of two words, naming the file and line', () => {
    expect(() => parseImageList('nginx\nredis:7 --no-verify\n', 'list')).toThrow(/^list:2: "redis:7 --no-verify" is more than one image reference$/);
  });

  it('an empty list is empty', () => {
    expect(parseImageList('# nothing\n\n', 'list')).toEqual([]);
  });
});

describe('dedupeImages', () => {
  it('keeps the first of each reference, in order, and warns where the repeat was', () => {
    const r = dedupeImages([
      { image: 'a', from: 'argument 1' },
      { image: 'b', from: 'list:1' },
      { image: 'a', from: 'list:2' },
    ]);
    expect(r.images.map((i) => i.image)).toEqual(['a', 'b']);
    expect(r.warnings).toEqual(['"a" (list:2) is listed already (argument 1); profiling it once']);
  });
});
