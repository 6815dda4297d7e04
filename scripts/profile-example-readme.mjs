// Writes examples/profiles/<name>/README.md from the result.json beside it: what the image needs
// to run read-only and why, in a few lines a reviewer can read before the full report.
//   node scripts/profile-example-readme.mjs examples/profiles/<name>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const r = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
const p = r.profile;
const why = (m) => {
  const f = r.findings.find((x) => x.path === m.path && x.kind === 'persistent-data');
  if (m.kind === 'volume') return f ? 'data that must outlive the container' : 'a named volume';
  if (m.kind === 'seeded') return 'shipped content the app changes, copied in at start';
  return 'scratch, fresh at every start';
};
const lines = [
  `# The \`${p.name}\` profile on \`${r.image.ref}\``,
  '',
  `${p.description}. Made by \`scripts/make-profile-examples.sh\`; the files beside this one are the real`,
  `outputs of \`ro-profile ${r.image.ref} --format all\` (picked by name: \`${p.name}\`, sha256 \`${p.sha256.slice(0, 12)}\`).`,
  '',
  '## What it needs',
  '',
  ...(r.plan.mounts.length === 0
    ? ['Nothing writable: a read-only root alone.']
    : ['| path | as | why |', '| --- | --- | --- |', ...r.plan.mounts.map((m) => `| \`${m.path}\` | ${m.kind} | ${why(m)}; ${m.coversCount} path${m.coversCount === 1 ? '' : 's'} written in the profile |`)]),
  '',
  `Verified: ${r.verification.map((v) => `${v.result} (${v.format} on ${v.runtime} ${v.version})`).join('; ') || 'no'}. The report (report.md) says what was written where and what verification tried.`,
  '',
  '## The official image',
  '',
  p.notes ?? 'No notes.',
  '',
];
writeFileSync(join(dir, 'README.md'), lines.join('\n'));
