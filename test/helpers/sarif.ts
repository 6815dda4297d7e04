import { expect } from 'vitest';
import type { Log } from 'sarif';

/**
 * The SARIF 2.1.0 schema is not available offline, so this checks the parts of it code-scanning
 * uploads depend on: version and $schema, one run of a named driver, unique rule ids, every result
 * naming a listed rule at its index with a schema level and a message, and each location's
 * uriBaseId declared by the run.
 */
export function expectValidSarif(log: Log): void {
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(log.runs.length).toBeGreaterThan(0);
  for (const run of log.runs) {
    expect(run.tool.driver.name).toBe('ro-profile');
    const ids = (run.tool.driver.rules ?? []).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of run.tool.driver.rules ?? []) {
      expect(r.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(r.shortDescription?.text).toBeTruthy();
      expect(['none', 'note', 'warning', 'error']).toContain(r.defaultConfiguration?.level);
    }
    for (const res of run.results ?? []) {
      expect(ids).toContain(res.ruleId);
      expect(res.ruleIndex).toBe(ids.indexOf(res.ruleId!));
      expect(['none', 'note', 'warning', 'error']).toContain(res.level);
      expect(res.message.text).toBeTruthy();
      expect(res.locations?.length).toBeGreaterThan(0);
      for (const l of res.locations ?? []) {
        const a = l.physicalLocation?.artifactLocation;
        expect(typeof a?.uri).toBe('string');
        if (a?.uriBaseId !== undefined) expect(run.originalUriBaseIds?.[a.uriBaseId]).toBeDefined();
        // A URI reference: nothing a URI cannot hold unescaped.
        expect(a?.uri).toMatch(/^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*$/);
      }
    }
  }
}
