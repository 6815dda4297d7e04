import { LEVEL_MEANING } from '../model/hardening.js';
import type { Result } from '../model/result.js';
import { oneLine } from './one-line.js';
import { capabilityArgs, configUser } from './process-settings.js';

/** nobody's UID on Debian, Alpine and the distros they feed. */
const NOBODY_UID = 65534;

/**
 * The report's "Hardening" section: the level the config runs under and what it means, each
 * capability kept with its reason, the proof (what broke without it) and the way around it, the
 * user, and each stronger level tried with the setting that broke it and the evidence. Pure.
 */
export function hardeningSection(r: Result): string[] {
  const h = r.hardening;
  // A result made before levels: its config keeps the engine's defaults, as its report always said.
  if (!h) return [];
  const out = ['## Hardening', ''];
  out.push(`- Level: **${h.level}** (${LEVEL_MEANING[h.level]})${h.requested === 'auto' ? ', the strongest that verified (--harden auto)' : `, as asked (--harden ${h.requested})`}; ${h.verified ? 'verified: a run under exactly these settings compared equal with the writable run' : '**not verified**'}.`);
  const user = configUser(r);
  out.push(`- User: ${h.user ? (h.arbitraryUid ? `any UID with GID 0 (verified as \`${h.user.uid}:0\`)` : `\`${h.user.uid}:${h.user.gid}\` (numeric, non-root)`) : `${user !== undefined ? `\`${user}\`` : `the image's (\`${r.image.user || 'root'}\`)`}`}.`);
  // nobody owns files in every container that runs as it: a volume it writes is any such container's to read.
  if (h.user?.uid === NOBODY_UID && !h.arbitraryUid) {
    out.push(`- UID ${NOBODY_UID} is \`nobody\`, shared by every image that drops to it: files it writes on a volume are open to any other container running as nobody. A UID of the image's own (\`RUN useradd --system --uid 10001 app\`, and its user directive set to it) keeps them apart; profile again after the change.`);
  }
  const flags = capabilityArgs(h);
  out.push(`- Capabilities: ${h.capDrop.length > 0 ? `every one dropped${h.capAdd.length > 0 ? `, ${h.capAdd.length} added back` : ', none added back'}` : 'the engine\'s defaults'}${flags.length > 0 ? ` (\`${flags.join(' ')}\`; compose \`cap_drop\`/\`cap_add\`; k8s \`capabilities\`)` : ''}.`);
  out.push('- no-new-privileges (k8s `allowPrivilegeEscalation: false`), seccomp `RuntimeDefault` (the engine\'s default profile; k8s `seccompProfile`).');
  if (h.processes?.length) out.push(`- Processes of the writable run (uid:gid command): ${h.processes.map((p) => `\`${oneLine(p)}\``).join(', ')}.`);
  out.push('');
  if (h.capAdd.length > 0) {
    out.push('### Capabilities kept', '', '| capability | why | without it | instead |', '| --- | --- | --- | --- |');
    for (const c of h.capAdd) out.push(`| \`${c.name}\` | ${cell(c.reason)} | ${cell(c.evidence.slice(0, 3).join('; '))} | ${cell(c.alternative ?? '—')} |`);
    out.push('');
  }
  if (h.rejected.length > 0) {
    out.push('### Stronger levels that did not run', '');
    for (const x of h.rejected) {
      out.push(`- **${x.level}**: ${oneLine(x.setting)} broke it: ${oneLine(x.message)}${x.fix ? `. To run under it: ${oneLine(x.fix)}` : ''}`);
      for (const e of x.evidence.slice(0, 6)) out.push(`  - \`${oneLine(e).replace(/`/g, "'")}\``);
    }
    out.push('');
  }
  if (h.notes?.length) {
    out.push('### Accepted warnings', '', 'Under this level the app logged lines the writable run did not; they are warnings only and it ran the same:', '');
    for (const n of h.notes) out.push(`- \`${oneLine(n).replace(/`/g, "'")}\``);
    out.push('');
  }
  return out;
}

function cell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}
