import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMountFlag, splitCsv } from '../../../src/syntax/mount-flag.js';
import { readGoCsvRecord, writeGoCsvRecord } from '../../helpers/go-csv.js';

describe('parseMountFlag booleans, read as docker reads them (Go strconv.ParseBool)', () => {
  it.each(['readonly', 'ro', 'readonly=1', 'readonly=t', 'ro=T', 'readonly=true', 'ro=True', 'readonly=TRUE'])('%s is read-only', (field) => {
    expect(parseMountFlag(`type=bind,source=/x,target=/y,${field}`).readOnly).toBe(true);
  });

  it.each(['readonly=0', 'ro=f', 'readonly=F', 'readonly=false', 'ro=False', 'readonly=FALSE'])('%s is writable', (field) => {
    expect(parseMountFlag(`type=bind,source=/x,target=/y,${field}`).readOnly).toBe(false);
  });

  it.each(['volume-nocopy', 'volume-nocopy=T', 'volume-nocopy=True'])('%s disables the copy', (field) => {
    expect(parseMountFlag(`type=volume,source=v,target=/y,${field}`).noCopy).toBe(true);
  });

  it.each([
    ['readonly=yes', 'readonly "yes" is not a boolean'],
    ['ro=on', 'ro "on" is not a boolean'],
    ['volume-nocopy=', 'volume-nocopy "" is not a boolean'],
  ])('refuses %s, which docker refuses too', (field, why) => {
    const flag = `type=volume,source=v,target=/y,${field}`;
    expect(() => parseMountFlag(flag)).toThrow(expect.objectContaining({ code: 'USAGE', message: `"--mount ${flag}" cannot be used: ${why}` }));
  });
});

describe('splitCsv, as Go’s encoding/csv reads a --mount value', () => {
  it.each([
    ['CRLF inside quotes becomes LF', 'type=bind,"target=/a\r\nb"', ['type=bind', 'target=/a\nb']],
    ['a lone CR stays', 'type=bind,"target=/a\rb"', ['type=bind', 'target=/a\rb']],
    ['a CR that ends the value is dropped', 'type=bind,target=/a\r', ['type=bind', 'target=/a']],
    ['a quoted CR at the end stays', 'type=bind,"target=/a\r"', ['type=bind', 'target=/a\r']],
  ])('%s', (_name, value, fields) => {
    expect(splitCsv(value)).toEqual(fields);
    expect(readGoCsvRecord(value)).toEqual(fields);
  });

  it('agrees with the Go reference on any value Go’s writer quotes', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '=', 'é'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 4 }), (fields) => {
        const value = writeGoCsvRecord(fields);
        expect(splitCsv(value)).toEqual(readGoCsvRecord(value));
      }),
      { numRuns: 300 },
    );
  });
});
