import { configKnobs } from '../analyze/config-knobs.js';
import type { Result } from '../model/result.js';
import { oneLine } from './one-line.js';

/**
 * The report's "Config knobs instead of mounts" section: settings the image's programs have that
 * would make a mount unnecessary or move its writes elsewhere, each with the writes that show it
 * applies. Empty when none applies. Pure.
 */
export function knobsSection(r: Result): string[] {
  const knobs = configKnobs({ mounts: r.plan.mounts, imageEnv: r.image.env });
  if (knobs.length === 0) return [];
  const out = [
    '## Config knobs instead of mounts',
    '',
    'Settings the programs in this image have that decide where these writes go. The config above does not use them: it was verified as it is. Changing a setting is the alternative to the mount; profile again after changing it, so the config follows what the image then writes.',
    '',
  ];
  for (const k of knobs) {
    out.push(`### \`${oneLine(k.mount)}\`: ${k.knob.includes('`') ? k.knob : `\`${k.knob}\``}`, '');
    out.push(k.advice, '');
    out.push(k.dropsMount ? `Every write this mount served during the profile is one of these, so with the setting changed the mount is not needed.` : 'The mount also served other writes, so it stays; these move.', '');
    out.push('Evidence:', '');
    for (const e of k.evidence) out.push(`- \`${oneLine(e).replace(/`/g, "'")}\``);
    out.push('');
  }
  return out;
}
