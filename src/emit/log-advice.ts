import type { Result } from '../model/result.js';
import { shellQuote } from './shell-quote.js';
import { formatSize } from './tmpfs-options.js';

export interface LogAdvice {
  /** The mount the logs are written to. */
  readonly mount: string;
  readonly files: readonly string[];
  /** tmpfs: its size caps the logs; volume: nothing does. */
  readonly bounded: boolean;
  readonly sizeBytes?: number;
}

/** Where the app writes log files into the container, by mount (from the log-file findings). */
export function logAdviceOf(r: Result): LogAdvice[] {
  return r.findings
    .filter((f) => f.kind === 'log-file')
    .map((f) => {
      const m = r.plan.mounts.find((x) => x.path === f.path);
      const bounded = m === undefined || m.kind === 'tmpfs';
      return { mount: f.path, files: f.evidence, bounded, ...(m?.kind === 'tmpfs' ? { sizeBytes: m.sizeBytes } : {}) };
    });
}

/**
 * One comment line per log mount for the printed configs (shell and YAML both read `#`): the
 * logs stay in the container, where no log driver and no `kubectl logs` sees them.
 */
export function logCommentLines(r: Result): string[] {
  return logAdviceOf(r).map((a) => {
    const cap = a.bounded ? (a.sizeBytes !== undefined ? `its tmpfs (size=${formatSize(a.sizeBytes)}) caps them` : 'its mount caps them') : 'its volume has no size limit';
    // A comment is one line, whatever a path holds.
    const files = a.files.slice(0, 3).map((f) => f.replace(/[\r\n\u2028\u2029\u0085]+/g, ' '));
    return `# logs: the app writes ${files.join(', ')}${a.files.length > 3 ? ', …' : ''} inside the container (${cap}); link them to /dev/stdout or /dev/stderr in the image (RUN ln -sf /dev/stdout FILE) so the log driver gets them\n`;
  });
}

/** The report's "Logs" section: how to send the logs out, and what bounds them meanwhile. */
export function logsSection(r: Result): string[] {
  const advice = logAdviceOf(r);
  if (advice.length === 0) return [];
  const out = ['## Logs', ''];
  out.push('The app writes log files inside the container, where neither Docker\'s log driver nor `kubectl logs` sees them, and they take the mount\'s space (tmpfs: memory) until it is full.', '');
  for (const a of advice) {
    out.push(`- \`${a.mount}\`: ${a.files.slice(0, 10).map((f) => `\`${f}\``).join(', ')}${a.files.length > 10 ? `, … and ${a.files.length - 10} more` : ''}; ${a.bounded ? (a.sizeBytes !== undefined ? `the tmpfs's size (${formatSize(a.sizeBytes)}) caps them: a full one is a write error the app must survive` : 'the mount caps them') : 'a named volume has **no size limit**: they can fill the host\'s disk; keep them on a sized tmpfs with `--ephemeral ' + a.mount + '` if they need not persist'}.`);
  }
  out.push('');
  out.push('To send them out:', '');
  out.push(`- In the image, link each file to the container's output: \`RUN ${[...new Set(advice.flatMap((a) => a.files.slice(0, 2)))].slice(0, 2).map((f) => `ln -sf /dev/stdout ${shellQuote(f)}`).join(' && ')}\` (\`/dev/stderr\` for error logs), or set the app's own option to log to stdout.`);
  out.push('- Then Docker\'s log driver takes them: `docker run --log-driver local --log-opt max-size=10m` (or compose `logging: {driver: local, options: {max-size: 10m}}`), and on Kubernetes the kubelet rotates them (`containerLogMaxSize`).');
  out.push('');
  return out;
}
