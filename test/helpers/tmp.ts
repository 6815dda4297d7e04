import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory removed by `using`. */
export interface TmpDir extends Disposable {
  readonly path: string;
  /** Writes a file in the directory and returns its path. */
  write(name: string, text: string): string;
}

export function tmpDir(prefix = 'ro-profile-test-'): TmpDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    [Symbol.dispose]() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
