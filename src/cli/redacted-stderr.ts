/**
 * Every byte the tool writes to stderr from here on passes through `redact`: progress, warnings,
 * difference messages, errors, the second Ctrl-C's list. One choke point, so no new message can
 * forget it. Returns the function that puts the stream back. stdout is not wrapped: it carries
 * artifacts that name variables and never hold values (the pipeline redacts the result itself),
 * and a value that happens to be config text must not garble a config.
 */
export function redactStderr(redact: (text: string) => string): () => void {
  const original = process.stderr.write;
  const write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    return (original as (this: NodeJS.WriteStream, c: string, ...r: unknown[]) => boolean).call(this, redact(text), ...rest);
  };
  process.stderr.write = write as typeof process.stderr.write;
  return () => {
    process.stderr.write = original;
  };
}
