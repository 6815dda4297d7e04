import { classifyDrift } from '../../../src/drift/classify-drift.js';
import type { ContainerDrift, DriftReport } from '../../../src/drift/drift-model.js';
import { groupChanges } from '../../../src/drift/group-changes.js';
import type { FsChange } from '../../../src/model/write-event.js';

const ID = 'sha256:81173adb2d25f6705d1145063acd8b35e6e7a6953ab21eb1fe9163b5bd72dd20';

export const TAMPERED: readonly FsChange[] = [
  { kind: 'modified', path: '/usr' },
  { kind: 'modified', path: '/usr/bin' },
  { kind: 'added', path: '/usr/bin/new tool' },
  { kind: 'modified', path: '/usr/bin/yes' },
  { kind: 'modified', path: '/etc' },
  { kind: 'added', path: '/etc/ü.conf' },
  { kind: 'deleted', path: '/etc/issue' },
  { kind: 'added', path: '/srv/x' },
  { kind: 'modified', path: '/run' },
  { kind: 'added', path: '/run/app.pid' },
];

/** Two containers of one image against one result: one tampered, one clean; and one with no result. */
export function sampleReport(): DriftReport {
  const expectations = { mountPaths: ['/run'], written: new Set<string>(), deleted: new Set<string>(), ownedDirs: [] };
  const container = (name: string, id: string) => ({ id, name, image: 'example/web:1', imageId: ID, running: true });
  const result = { file: 'results/web.json', imageRef: 'example/web:1', imageId: ID, matchedBy: 'id' as const };
  const tampered: ContainerDrift = { container: container('web-b', 'b'.repeat(64)), result, warnings: [], classification: classifyDrift(TAMPERED, { expectations, mountPoints: [] }) };
  const clean: ContainerDrift = {
    container: container('web-a', 'a'.repeat(64)),
    result: { ...result, imageId: 'sha256:0000' },
    warnings: [{ kind: 'image-mismatch', message: 'the container runs image X, the result profiled Y' }],
    classification: classifyDrift([{ kind: 'added', path: '/run/app.pid' }], { expectations, mountPoints: [] }),
  };
  return { containers: [clean, tampered], notes: ['skipped results/notes.json: not JSON'] };
}

export function noResultReport(): DriftReport {
  const classification = classifyDrift(TAMPERED, { mountPoints: [] });
  const c: ContainerDrift = {
    container: { id: 'c'.repeat(64), name: 'loose', image: 'example/web:1', imageId: ID, running: false },
    image: { ref: 'example/web:1', id: ID, user: 'www-data', volumes: ['/data'] },
    warnings: [],
    classification,
    groups: groupChanges(classification.changes),
  };
  return { containers: [c], notes: [] };
}
