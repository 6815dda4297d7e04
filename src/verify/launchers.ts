import { composeLauncher } from './compose-launcher.js';
import { k8sLauncher } from './k8s-launcher.js';
import { runLauncher, type Launcher } from './launcher.js';

import type { VerifyFormat } from './verify-formats.js';
export { VERIFY_FORMATS, type VerifyFormat } from './verify-formats.js';

/** The launcher of --verify-with FORMAT. */
export function launcherFor(format: VerifyFormat): Launcher {
  switch (format) {
    case 'run':
      return runLauncher;
    case 'compose':
      return composeLauncher;
    case 'k8s':
      return k8sLauncher;
    default: {
      const never: never = format;
      throw new Error(`no launcher for ${String(never)}`);
    }
  }
}
