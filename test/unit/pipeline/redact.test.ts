import { describe, expect, it } from 'vitest';
import { RoProfileError } from '../../../src/errors.js';
import { redactError, redactor } from '../../../src/pipeline/redact.js';

describe('redactor', () => {
  const redact = redactor(
    new Map([
      ['TOKEN', 'abcd1234'],
      ['LONGER', 'abcd1234-and-more'],
      ['SHORT', 'ab'],
      ['PIN', '42'],
      ['SIGN', 'a.b'],
    ]),
  );

  it.each([
    ['masks every occurrence of a value', 'x=abcd1234 y=abcd1234', 'x=*** y=***'],
    ['masks the longer value first, so no tail of it survives', 'v=abcd1234-and-more', 'v=***'],
    ['masks a short value as a word of its own', 'login ab cd, abc stays, lab stays', 'login *** cd, abc stays, lab stays'],
    ['masks a short value as its variable\'s value, in every notation', 'SHORT=ab SHORT: ab "SHORT":"ab" PIN=42 PIN: 42', 'SHORT=*** SHORT: *** "SHORT":"***" PIN=*** PIN: ***'],
    ['leaves a short value of digits alone elsewhere (exit code 42 is no secret)', 'exit code 42 after 42 s', 'exit code 42 after 42 s'],
    ['takes a short value literally, not as a pattern', 'SIGN=a.b axb a.b', 'SIGN=*** axb ***'],
    ['masks in a quoted --exec command', "psql -c 'select 1' -W ab", "psql -c 'select 1' -W ***"],
    ['leaves text without secrets unchanged', 'nothing here', 'nothing here'],
  ])('%s', (_name, input, output) => {
    expect(redact(input)).toBe(output);
  });

  it('is the identity when there are no secrets', () => {
    expect(redactor(new Map())('abcd1234')).toBe('abcd1234');
  });
});

describe('redactError', () => {
  const redact = redactor(new Map([['TOKEN', 's3cret-value']]));

  it('rebuilds an error whose message or hint holds a secret, keeping code and details', () => {
    const e = new RoProfileError('CONTAINER_FAILED', 'output: s3cret-value', { hint: 'saw s3cret-value', details: { container: 'abc' } });
    const r = redactError(e, redact) as RoProfileError;
    expect(r).toBeInstanceOf(RoProfileError);
    expect(r.message).toBe('output: ***');
    expect(r.hint).toBe('saw ***');
    expect(r.code).toBe('CONTAINER_FAILED');
    expect(r.details).toEqual({ container: 'abc' });
  });

  it('passes through errors that hold no secret, and foreign errors', () => {
    const e = new RoProfileError('NOT_READY', 'slow');
    expect(redactError(e, redact)).toBe(e);
    const plain = new Error('s3cret-value');
    expect(redactError(plain, redact)).toBe(plain);
  });
});
