import { RoProfileError } from '../errors.js';
import type { MountSpec } from '../runtime/engine.js';

/** Parses Docker's `--mount` CSV (type=bind,source=...,target=...,readonly,...) into our shape. */
export function parseMountFlag(flag: string): MountSpec {
  const fields = splitCsv(flag);
  let type: MountSpec['type'] = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let noCopy = false;
  let tmpfsSizeBytes: number | undefined;
  let tmpfsMode: number | undefined;
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = (eq < 0 ? f : f.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : f.slice(eq + 1);
    switch (key) {
      case 'type':
        if (value !== 'bind' && value !== 'volume' && value !== 'tmpfs') throw badMount(flag, `unsupported type "${value}"`);
        type = value;
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro':
        readOnly = parseBool(flag, key, value);
        break;
      case 'volume-nocopy':
        noCopy = parseBool(flag, key, value);
        break;
      case 'tmpfs-size':
        tmpfsSizeBytes = parseSizeOption(flag, value ?? '');
        break;
      case 'tmpfs-mode':
        tmpfsMode = parseInt(value ?? '', 8);
        break;
      default:
        // Options we do not interpret (consistency, bind-propagation, ...) still reach the user's own run.
        break;
    }
  }
  if (!target) throw badMount(flag, 'it has no target');
  return {
    type,
    ...(source !== undefined ? { source } : {}),
    target,
    readOnly,
    ...(noCopy ? { noCopy } : {}),
    ...(tmpfsSizeBytes !== undefined && Number.isFinite(tmpfsSizeBytes) ? { tmpfsSizeBytes } : {}),
    ...(tmpfsMode !== undefined && Number.isFinite(tmpfsMode) ? { tmpfsMode } : {}),
  };
}

/** A bare key means true; a value is read as docker reads it, with Go's strconv.ParseBool ("T", "True", ...). */
function parseBool(flag: string, key: string, value: string | undefined): boolean {
  if (value === undefined || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw badMount(flag, `${key} "${value}" is not a boolean`);
}

/** Docker's tmpfs-size: bytes, or a number with a k/m/g suffix (binary units). */
function parseSizeOption(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)b?$/i.exec(value.trim());
  if (!m) throw badMount(flag, `tmpfs-size "${value}" is not a size`);
  return Math.round(Number(m[1]) * 1024 ** ['', 'k', 'm', 'g', 't'].indexOf((m[2] ?? '').toLowerCase()));
}

function badMount(flag: string, why: string): RoProfileError {
  return new RoProfileError('USAGE', `"--mount ${flag}" cannot be used: ${why}`, {
    hint: 'Write it as docker does, e.g. --mount type=volume,source=data,target=/data',
  });
}

/** Splits a CSV field list the way Docker's --mount does (double quotes group a field). */
export function splitCsv(value: string): string[] {
  // Go's encoding/csv reads CRLF as LF, inside quotes too, and drops a CR that ends the input.
  const s = value.replace(/\r\n/g, '\n').replace(/\r$/, '');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') {
      if (quoted && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((f) => f.length > 0);
}
