import { auditAll, auditGiven, findContainers } from '../../drift/audit.js';
import { driftCount, hasDrift, type DriftReport } from '../../drift/drift-model.js';
import { driftJson, renderDriftJson, renderDriftTable } from '../../drift/drift-report.js';
import { renderDriftSarif } from '../../drift/drift-sarif.js';
import { RoProfileError } from '../../errors.js';
import { DockerEngine } from '../../runtime/docker-engine.js';
import { loadResult, loadResults } from '../drift-results.js';
import { reportError } from '../output.js';
import { printGateReport } from '../write-out.js';
import { stderrReporter } from '../stderr-reporter.js';
import { toolVersion } from '../version.js';
import type { DriftArgs } from '../commands/drift.js';

function checkFlags(argv: DriftArgs, names: readonly string[]): void {
  const usage = (message: string, hint: string) => new RoProfileError('USAGE', message, { hint });
  if (argv.all && names.length > 0) throw usage('"--all" and container names cannot be used together', 'Name the containers, or use --all --results DIR for every running one.');
  if (argv.all && argv.results === undefined) throw usage('"--all" needs "--results DIR"', 'Give the directory of results that --all matches the running containers to.');
  if (argv.all && argv.result !== undefined) throw usage('"--all" and "--result" cannot be used together', 'With --all each container gets the result of its image from --results DIR.');
  if (!argv.all && argv.results !== undefined) throw usage('"--results DIR" needs "--all"', 'Add --all, or compare named containers with --result FILE.');
  if (!argv.all && names.length === 0) throw usage('drift needs a container, or --all', 'Name containers (ro-profile drift NAME... --result RESULT.json), or use --all --results DIR.');
}

/** `ro-profile drift`: audits containers against their result and returns the exit code. */
export async function runDrift(argv: DriftArgs): Promise<number> {
  const out = { json: argv.json, debug: argv.debug };
  const reporter = stderrReporter({ quiet: argv.quiet });
  try {
    const names = argv.containers ?? [];
    checkFlags(argv, names);
    const engine = new DockerEngine();
    const started = Date.now();
    let report: DriftReport;
    if (argv.all) {
      const { results, notes } = loadResults(argv.results!);
      report = await auditAll(engine, results, notes);
    } else {
      const loaded = argv.result !== undefined ? loadResult(argv.result) : undefined;
      report = await auditGiven(engine, await findContainers(engine, names), loaded);
    }
    for (const n of report.notes) reporter.info(n);
    // A gate that checked nothing must not pass: the containers are not up, or DIR holds other images' results.
    if (argv.all && report.containers.length === 0) {
      throw new RoProfileError('USAGE', `nothing was checked: no running container runs an image with a result in ${argv.results!}`, { hint: 'Start the containers first, or give the directory of results profiled from the images they run (matched by image id, then by reference).' });
    }
    for (const c of report.containers) {
      for (const w of c.warnings) reporter.warn(`${c.container.name}: ${w.message}`);
      reporter.stage('drift', `${c.container.name}: ${c.classification.changes.length} changes, ${driftCount(c)} drift`);
    }
    reporter.stage('report', `${report.containers.length} container${report.containers.length === 1 ? '' : 's'} checked`, Date.now() - started);
    return emitReport(report, argv);
  } catch (e) {
    return reportError(e, out);
  }
}

/** stdout (or --out) gets the report in every case, drift or not; the exit status says which. */
function emitReport(report: DriftReport, argv: DriftArgs): number {
  const version = toolVersion();
  const text = argv.format === 'sarif' ? renderDriftSarif(report, version) : argv.format === 'json' ? renderDriftJson(report, version) : renderDriftTable(report);
  const drifted = report.containers.filter((c) => driftCount(c) > 0);
  const total = drifted.reduce((s, c) => s + driftCount(c), 0);
  const err = hasDrift(report)
    ? new RoProfileError('DRIFT_FOUND', `drift: ${total} unexpected change${total === 1 ? '' : 's'} in ${drifted.map((c) => c.container.name).join(', ')}`, {
        hint: 'Recreate the container from its image; if the app made these writes itself, profile it again with an exercise that makes them.',
      })
    : undefined;
  return printGateReport({ text, result: driftJson(report, version), out: argv.out, json: argv.json, failure: err });
}
