// The drift script the DriftMonitor's processing job runs, run for real with python3 over capture files in SageMaker's
// data-capture format, against its contract: exit status, ExitMessage, report.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DRIFT_SCRIPT_PATH } from '../../src/inference/drift-detector';

interface Run {
  readonly status: number | null;
  readonly message: string;
  readonly report: any;
  readonly stdout: string;
  readonly stderr: string;
}

const HEADER = 'amount,country,age';
/** A reference row: amounts spread over 50-149, three countries, ages 18-77 (deterministic, no randomness). */
const referenceRow = (i: number) => `${50 + ((i * 37) % 100)},${['GB', 'FR', 'DE'][i % 3]},${18 + ((i * 13) % 60)}`;

/** One line of a SageMaker data-capture file: the request's input (and an output the monitor ignores). */
function captureLine(data: string, contentType = 'text/csv', encoding = 'CSV'): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: contentType, mode: 'INPUT', data, encoding },
      endpointOutput: { observedContentType: 'text/csv; charset=utf-8', mode: 'OUTPUT', data: '0.42', encoding: 'CSV' },
    },
    eventMetadata: { eventId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', inferenceTime: '2026-11-01T09:12:00Z' },
    eventVersion: '0',
  });
}

const rows = (n: number, row: (i: number) => string, offset = 1000) => Array.from({ length: n }, (_, i) => row(i + offset));

/** Runs the script over a window of capture lines (split across two files at two depths) and a reference dataset. */
function runScript(lines: string[], options: { reference?: string | null; env?: Record<string, string> } = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-script-'));
  const capture = path.join(dir, 'capture');
  fs.mkdirSync(path.join(capture, 'fraud', 'AllTraffic', '2026', '11', '01', '09'), { recursive: true });
  const half = Math.ceil(lines.length / 2);
  fs.writeFileSync(path.join(capture, 'fraud', 'AllTraffic', '2026', '11', '01', '09', 'a.jsonl'), lines.slice(0, half).join('\n'));
  fs.writeFileSync(path.join(capture, 'b.jsonl'), lines.slice(half).join('\n'));
  const baseline = path.join(dir, 'baseline');
  fs.mkdirSync(baseline);
  const reference = options.reference === undefined ? [HEADER, ...rows(3000, referenceRow, 0)].join('\n') : options.reference;
  if (reference !== null) fs.writeFileSync(path.join(baseline, 'reference.csv'), reference);
  const output = path.join(dir, 'output');
  const messageFile = path.join(dir, 'message', 'message');
  const run = spawnSync('python3', [DRIFT_SCRIPT_PATH], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? '',
      DRIFT_CAPTURE_DIR: capture,
      DRIFT_BASELINE_DIR: baseline,
      DRIFT_OUTPUT_DIR: output,
      DRIFT_MESSAGE_FILE: messageFile,
      DRIFT_WINDOW: '2026/11/01/09',
      ...options.env,
    },
  });
  const reportFile = path.join(output, 'drift-report.json');
  const result = {
    status: run.status,
    message: fs.existsSync(messageFile) ? fs.readFileSync(messageFile, 'utf8') : '',
    report: fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined,
    stdout: run.stdout,
    stderr: run.stderr,
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

const featureOf = (run: Run, name: string) => run.report.features.find((f: any) => f.name === name);

describe('drift script (python3, standard library only)', () => {
  test('traffic like the reference dataset: NO_DRIFT, exit 0, every feature under the threshold', () => {
    const run = runScript(rows(600, referenceRow).map((r) => captureLine(r)));
    expect(run.status).toBe(0);
    expect(run.message).toBe('NO_DRIFT: 3 features within PSI 0.2 over 600 records in window 2026/11/01/09');
    expect(run.report).toMatchObject({ version: 1, status: 'NO_DRIFT', window: '2026/11/01/09', records: 600, unreadableRecords: 0, threshold: 0.2 });
    expect(run.report.features.map((f: any) => [f.name, f.kind, f.drifted])).toEqual([
      ['amount', 'numeric', false], ['country', 'categorical', false], ['age', 'numeric', false],
    ]);
    for (const feature of run.report.features) expect(feature.psi).toBeLessThan(0.05);
    expect(run.stderr).toBe('');
  });

  test('a shifted numeric feature: DRIFT_DETECTED naming it, exit 1, the report says DRIFT', () => {
    const shifted = (i: number) => referenceRow(i).replace(/^\d+/, (amount) => String(Number(amount) + 120));
    const run = runScript(rows(600, shifted).map((r) => captureLine(r)));
    expect(run.status).toBe(1);
    expect(run.message).toMatch(/^DRIFT_DETECTED: 1 of 3 features above PSI 0\.2 in window 2026\/11\/01\/09: amount \(\d+\.\d{3}\)$/);
    expect(run.report.status).toBe('DRIFT');
    expect(featureOf(run, 'amount')).toMatchObject({ drifted: true });
    expect(featureOf(run, 'amount').psi).toBeGreaterThan(1);
    expect(featureOf(run, 'country').drifted).toBe(false);
  });

  test('a category the reference never had: the categorical feature drifts into (other)', () => {
    const run = runScript(rows(600, (i) => referenceRow(i).replace(/,(GB|FR|DE),/, ',US,')).map((r) => captureLine(r)));
    expect(run.status).toBe(1);
    expect(run.message).toMatch(/: country \(/);
    const other = featureOf(run, 'country').bins.find((b: any) => b.bin === '(other)');
    expect(other).toEqual({ bin: '(other)', reference: 0, window: 1 });
  });

  test('the threshold is a setting: a small shift passes at 0.2 and drifts at 0.001', () => {
    const nudged = rows(600, (i) => referenceRow(i).replace(/^\d+/, (amount) => String(Number(amount) + 3))).map((r) => captureLine(r));
    expect(runScript(nudged).status).toBe(0);
    const strict = runScript(nudged, { env: { DRIFT_THRESHOLD: '0.001' } });
    expect(strict.status).toBe(1);
    expect(strict.report.threshold).toBe(0.001);
  });

  test('fewer records than the minimum: INSUFFICIENT_DATA, exit 0 (a quiet window is not drift)', () => {
    const run = runScript(rows(20, (i) => referenceRow(i).replace(/^\d+/, '9999')).map((r) => captureLine(r)));
    expect(run.status).toBe(0);
    expect(run.message).toBe('INSUFFICIENT_DATA: 20 records in window 2026/11/01/09, fewer than the 100 needed to judge drift');
    expect(runScript(rows(20, referenceRow).map((r) => captureLine(r)), { env: { DRIFT_MINIMUM_RECORDS: '10' } }).report.status).toBe('NO_DRIFT');
  });

  test('reads every capture form: CSV of several lines, JSON by name, JSON instances, BASE64 of CSV and of JSON', () => {
    const lines = [
      captureLine(rows(3, referenceRow).join('\n')),
      captureLine(JSON.stringify({ age: 30, amount: 99, country: 'GB' }), 'application/json', 'JSON'),
      captureLine(JSON.stringify({ instances: [[99, 'FR', 40], [120, 'DE', 50]] }), 'application/json', 'JSON'),
      captureLine(JSON.stringify({ instances: [{ amount: 70, country: 'DE', age: 22 }] }), 'application/json', 'JSON'),
      captureLine(JSON.stringify([88, 'GB', 33]), 'application/json', 'JSON'),
      captureLine(Buffer.from(referenceRow(7)).toString('base64'), 'text/csv', 'BASE64'),
      captureLine(Buffer.from(JSON.stringify({ amount: 60, country: 'FR', age: 61 })).toString('base64'), 'application/json', 'BASE64'),
    ];
    const run = runScript(lines, { env: { DRIFT_MINIMUM_RECORDS: '1' } });
    expect(run.report).toMatchObject({ records: 10, unreadableRecords: 0 });
    // A JSON record by name fills each feature from its key: nothing falls into the missing bins.
    for (const feature of run.report.features) expect(feature.bins.find((b: any) => b.bin === '(missing)').window).toBe(0);
  });

  test('attack: a flood of malformed requests is not dropped from the statistics but shows as drift', () => {
    const garbage = [
      'not json at all',
      JSON.stringify({ captureData: { endpointInput: { observedContentType: 'text/csv', encoding: 'BASE64', data: '!!!not-base64!!!' } } }),
      JSON.stringify({ captureData: { endpointInput: { observedContentType: 'application/octet-stream', encoding: 'BASE64', data: 'AAEC' } } }),
      JSON.stringify({ captureData: {} }),
      captureLine('{"unterminated', 'application/json', 'JSON'),
    ];
    const lines = [...rows(300, referenceRow).map((r) => captureLine(r)), ...Array.from({ length: 300 }, (_, i) => garbage[i % garbage.length])];
    const run = runScript(lines);
    expect(run.report).toMatchObject({ records: 600, unreadableRecords: 300, status: 'DRIFT' });
    expect(run.status).toBe(1);
    expect(featureOf(run, 'amount').bins.find((b: any) => b.bin === '(missing)').window).toBe(0.5);
  });

  test('neither the report nor the message nor the log holds a captured value', () => {
    const secretRow = (i: number) => `${987654.321 + i},SECRET-CATEGORY-${i},${18 + (i % 60)}`;
    const run = runScript(rows(200, secretRow).map((r) => captureLine(r)));
    expect(run.status).toBe(1);
    for (const text of [JSON.stringify(run.report), run.message, run.stdout, run.stderr]) {
      expect(text).not.toMatch(/98765|SECRET-CATEGORY/);
    }
  });

  test('no reference dataset, an empty one, or a bad setting: MONITOR_ERROR, exit 2, no report', () => {
    const lines = rows(200, referenceRow).map((r) => captureLine(r));
    const missing = runScript(lines, { reference: null });
    expect(missing.status).toBe(2);
    expect(missing.message).toMatch(/^MONITOR_ERROR: expected one reference dataset named reference\.csv under .*, found 0$/);
    expect(missing.report).toBeUndefined();
    expect(runScript(lines, { reference: '' }).message).toMatch(/^MONITOR_ERROR: the reference dataset reference\.csv is empty/);
    expect(runScript(lines, { reference: HEADER }).message).toBe('MONITOR_ERROR: the reference dataset has a header but no rows');
    expect(runScript(lines, { reference: 'amount,amount\n1,2' }).message).toBe('MONITOR_ERROR: the reference dataset header must name every column once');
    const badThreshold = runScript(lines, { env: { DRIFT_THRESHOLD: 'high' } });
    expect(badThreshold.status).toBe(2);
    expect(badThreshold.message).toBe("MONITOR_ERROR: DRIFT_THRESHOLD is 'high', not a number");
  });

  test('the script parses as Python 3.7, the oldest python3 of the framework images it runs on', () => {
    const check = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 7))', DRIFT_SCRIPT_PATH], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
