#!/usr/bin/env python3
"""Input drift of a SageMaker endpoint over one window of its data capture, against a reference dataset.

cdk-secure-ai's DriftMonitor runs this script in a SageMaker Processing job (AWS's scikit-learn processing container,
network-isolated). It needs only the Python standard library (3.7 or later), so any image with python3 runs it.

Inputs (directories SageMaker Processing fills; each may be overridden by an environment variable):
  DRIFT_CAPTURE_DIR   /opt/ml/processing/input/capture   the window's data capture files (JSON Lines, any depth)
  DRIFT_BASELINE_DIR  /opt/ml/processing/input/baseline  holds DRIFT_BASELINE_FILE, the reference dataset: CSV whose
                                                         first row names the features, in the order the endpoint
                                                         receives them, then rows of training data
Settings:
  DRIFT_BASELINE_FILE   name of the reference dataset file (default reference.csv)
  DRIFT_THRESHOLD       population stability index above which a feature has drifted (default 0.2)
  DRIFT_MINIMUM_RECORDS fewer records than this in the window are too few to judge (default 100)
  DRIFT_WINDOW          the window's label, copied into the report (such as 2026/11/01/09)
Outputs:
  DRIFT_OUTPUT_DIR    /opt/ml/processing/output/drift-report.json   the report (status, counts, per-feature PSI)
  DRIFT_MESSAGE_FILE  /opt/ml/output/message                        one line, SageMaker's ExitMessage
Exit status: 0 no drift (or too few records to judge), 1 drift (the message starts with DRIFT_DETECTED), 2 the
monitor could not run (the message starts with MONITOR_ERROR).

Each captured request's input (captureData.endpointInput: CSV, JSON or BASE64 of either) gives one record per CSV
line or JSON instance. A record the script cannot read counts as a record whose every feature is missing, so that
a flood of malformed requests shows as drift instead of disappearing from the statistics. Neither the report nor the
message contains a captured value: only feature names, bin edges and categories of the reference dataset, counts and
proportions.
"""
import base64
import bisect
import csv
import io
import json
import math
import os
import sys

DRIFT_TAG = 'DRIFT_DETECTED'
ERROR_TAG = 'MONITOR_ERROR'
EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_ERROR = 2

#: Proportions below this count as this, so that an empty bin does not make the index infinite.
EPSILON = 1e-4
NUMERIC_BINS = 10
MAX_CATEGORIES = 20
MISSING = '(missing)'
OTHER = '(other)'
MESSAGE_LIMIT = 1000
REPORT_NAME = 'drift-report.json'


class MonitorError(Exception):
    """A problem with the monitor's inputs or settings: reported with MONITOR_ERROR."""


def setting(name, default):
    value = os.environ.get(name, '').strip()
    return value if value else default


def number_setting(name, default, minimum, integer=False):
    text = setting(name, str(default))
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        raise MonitorError('{} is {!r}, not a number'.format(name, text))
    if not math.isfinite(value) or value < minimum:
        raise MonitorError('{} is {}, below {}'.format(name, text, minimum))
    return value


# --------------------------------------------------------------------------------------------------------------------
# The reference dataset


def as_number(text):
    """The finite number a CSV or JSON value holds, or None."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text) if math.isfinite(text) else None
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == '')


class Feature(object):
    """One column of the reference dataset and the bins its values fall into."""

    def __init__(self, name, values):
        self.name = name
        present = [v for v in values if not is_blank(v)]
        numbers = [as_number(v) for v in present]
        self.numeric = len(present) > 0 and all(n is not None for n in numbers)
        if self.numeric:
            ordered = sorted(numbers)
            # Decile edges of the reference values; ties collapse, so a feature with few values has fewer bins.
            edges = []
            for i in range(1, NUMERIC_BINS):
                edge = ordered[min(len(ordered) - 1, (i * len(ordered)) // NUMERIC_BINS)]
                if not edges or edge > edges[-1]:
                    edges.append(edge)
            self.edges = edges
            self.labels = ['<= {:g}'.format(e) for e in edges] + ['> {:g}'.format(edges[-1])]
            self.labels.append(MISSING)
        else:
            counts = {}
            for v in present:
                key = str(v).strip()
                counts[key] = counts.get(key, 0) + 1
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CATEGORIES]
            self.categories = dict((name, i) for i, (name, _) in enumerate(top))
            self.labels = [name for name, _ in top] + [OTHER, MISSING]
        self.missing_bin = len(self.labels) - 1
        self.expected = [0] * len(self.labels)
        for v in values:
            self.expected[self.bin_of(v)] += 1
        self.observed = [0] * len(self.labels)

    def bin_of(self, value):
        if is_blank(value):
            return self.missing_bin
        if self.numeric:
            number = as_number(value)
            if number is None:
                return self.missing_bin
            return bisect.bisect_left(self.edges, number)
        if isinstance(value, (dict, list)):
            return self.missing_bin
        if isinstance(value, bool):
            value = 'true' if value else 'false'
        return self.categories.get(str(value).strip(), self.missing_bin - 1)

    def observe(self, value):
        self.observed[self.bin_of(value)] += 1

    def observe_missing(self):
        self.observed[self.missing_bin] += 1

    def stability_index(self):
        """The population stability index of the observed proportions against the reference ones."""
        expected_total = float(sum(self.expected))
        observed_total = float(sum(self.observed))
        if expected_total == 0 or observed_total == 0:
            return 0.0
        index = 0.0
        for e, o in zip(self.expected, self.observed):
            p = max(e / expected_total, EPSILON)
            q = max(o / observed_total, EPSILON)
            index += (q - p) * math.log(q / p)
        return index

    def report(self, threshold):
        expected_total = float(sum(self.expected)) or 1.0
        observed_total = float(sum(self.observed)) or 1.0
        psi = self.stability_index()
        return {
            'name': self.name,
            'kind': 'numeric' if self.numeric else 'categorical',
            'psi': round(psi, 6),
            'drifted': psi > threshold,
            'bins': [
                {'bin': label, 'reference': round(e / expected_total, 6), 'window': round(o / observed_total, 6)}
                for label, e, o in zip(self.labels, self.expected, self.observed)
            ],
        }


def find_file(directory, name):
    found = []
    for root, _dirs, files in os.walk(directory):
        found.extend(os.path.join(root, f) for f in files if f == name)
    if len(found) != 1:
        raise MonitorError('expected one reference dataset named {} under {}, found {}'.format(name, directory, len(found)))
    return found[0]


def read_reference(path):
    with io.open(path, newline='', encoding='utf-8-sig') as handle:
        rows = list(csv.reader(handle))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MonitorError('the reference dataset {} is empty: its first row must name the features'.format(os.path.basename(path)))
    header = [cell.strip() for cell in rows[0]]
    if any(not name for name in header) or len(set(header)) != len(header):
        raise MonitorError('the reference dataset header must name every column once')
    data = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not data:
        raise MonitorError('the reference dataset has a header but no rows')
    columns = [[row[i] if i < len(row) else None for row in data] for i in range(len(header))]
    return [Feature(name, column) for name, column in zip(header, columns)]


# --------------------------------------------------------------------------------------------------------------------
# The captured requests


def decode_input(endpoint_input):
    """The records of one captured request: lists (by position) or dicts (by name). Raises ValueError if unreadable."""
    if not isinstance(endpoint_input, dict):
        raise ValueError('no endpointInput')
    data = endpoint_input.get('data')
    if not isinstance(data, str):
        raise ValueError('no data')
    encoding = str(endpoint_input.get('encoding', '')).upper()
    content_type = str(endpoint_input.get('observedContentType', '')).lower()
    if encoding == 'BASE64':
        data = base64.b64decode(data, validate=True).decode('utf-8')
    if 'json' in content_type or encoding == 'JSON':
        return json_records(json.loads(data))
    if 'csv' in content_type or encoding == 'CSV':
        return [row for row in csv.reader(io.StringIO(data)) if any(cell.strip() for cell in row)]
    raise ValueError('content type {!r} is neither CSV nor JSON'.format(content_type))


def is_scalar(value):
    return value is None or isinstance(value, (str, int, float, bool))


def json_records(value):
    if isinstance(value, dict) and isinstance(value.get('instances'), list):
        value = value['instances']
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        if all(is_scalar(v) for v in value):
            return [value]
        if all(isinstance(v, (list, dict)) for v in value):
            return list(value)
        raise ValueError('a JSON list mixing values and records')
    if is_scalar(value):
        return [[value]]
    raise ValueError('an unreadable JSON value')


def observe(features, record):
    by_name = isinstance(record, dict)
    for i, feature in enumerate(features):
        if by_name:
            feature.observe(record.get(feature.name))
        else:
            feature.observe(record[i] if i < len(record) else None)


def read_window(directory, features):
    """Bins every record of every capture file under `directory`; returns (records, unreadable records)."""
    records = 0
    unreadable = 0
    for root, _dirs, files in os.walk(directory):
        for name in sorted(files):
            with io.open(os.path.join(root, name), encoding='utf-8', errors='replace') as handle:
                for line in handle:
                    if not line.strip():
                        continue
                    try:
                        event = json.loads(line)
                        rows = decode_input(event.get('captureData', {}).get('endpointInput') if isinstance(event, dict) else None)
                        if not rows:
                            raise ValueError('no record')
                    # Malformed JSON, base64 or UTF-8 are ValueErrors; a capture of another shape is a Type or AttributeError.
                    except (ValueError, TypeError, AttributeError):
                        unreadable += 1
                        for feature in features:
                            feature.observe_missing()
                        continue
                    for row in rows:
                        records += 1
                        observe(features, row)
    return records + unreadable, unreadable


# --------------------------------------------------------------------------------------------------------------------


def write_message(path, text):
    try:
        directory = os.path.dirname(path)
        if directory and not os.path.isdir(directory):
            os.makedirs(directory)
        with io.open(path, 'w', encoding='utf-8') as handle:
            handle.write(text[:MESSAGE_LIMIT])
    except OSError:
        pass


def run():
    capture_dir = setting('DRIFT_CAPTURE_DIR', '/opt/ml/processing/input/capture')
    baseline_dir = setting('DRIFT_BASELINE_DIR', '/opt/ml/processing/input/baseline')
    output_dir = setting('DRIFT_OUTPUT_DIR', '/opt/ml/processing/output')
    threshold = number_setting('DRIFT_THRESHOLD', 0.2, 0.0)
    minimum = number_setting('DRIFT_MINIMUM_RECORDS', 100, 1, integer=True)
    window = setting('DRIFT_WINDOW', '')
    where = ' in window {}'.format(window) if window else ''

    features = read_reference(find_file(baseline_dir, setting('DRIFT_BASELINE_FILE', 'reference.csv')))
    records, unreadable = read_window(capture_dir, features)
    reports = [f.report(threshold) for f in features]
    drifted = sorted((r for r in reports if r['drifted']), key=lambda r: -r['psi'])
    if records < minimum:
        status = 'INSUFFICIENT_DATA'
        message = 'INSUFFICIENT_DATA: {} records{}, fewer than the {} needed to judge drift'.format(records, where, minimum)
    elif drifted:
        status = 'DRIFT'
        named = ', '.join('{} ({:.3f})'.format(r['name'], r['psi']) for r in drifted)
        message = '{}: {} of {} features above PSI {:g}{}: {}'.format(DRIFT_TAG, len(drifted), len(reports), threshold, where, named)
    else:
        status = 'NO_DRIFT'
        message = 'NO_DRIFT: {} features within PSI {:g} over {} records{}'.format(len(reports), threshold, records, where)
    report = {
        'version': 1,
        'status': status,
        'window': window,
        'records': records,
        'unreadableRecords': unreadable,
        'threshold': threshold,
        'minimumRecords': minimum,
        'features': reports,
    }
    if not os.path.isdir(output_dir):
        os.makedirs(output_dir)
    with io.open(os.path.join(output_dir, REPORT_NAME), 'w', encoding='utf-8') as handle:
        json.dump(report, handle, indent=2, sort_keys=True)
    return status, message


def main():
    message_file = setting('DRIFT_MESSAGE_FILE', '/opt/ml/output/message')
    try:
        status, message = run()
    except MonitorError as error:
        message = '{}: {}'.format(ERROR_TAG, error)
        print(message, file=sys.stderr)
        write_message(message_file, message)
        return EXIT_ERROR
    except Exception as error:  # noqa: BLE001 - any failure must reach the ExitMessage, without the data it was reading
        message = '{}: {} while computing drift'.format(ERROR_TAG, type(error).__name__)
        print(message, file=sys.stderr)
        write_message(message_file, message)
        return EXIT_ERROR
    print(message)
    write_message(message_file, message)
    return EXIT_DRIFT if status == 'DRIFT' else EXIT_OK


if __name__ == '__main__':
    sys.exit(main())
