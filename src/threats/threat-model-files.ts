import * as fs from 'fs';
import * as path from 'path';
import { buildThreatModel, PackResults, ThreatModel } from './threat-model';
import { writeThreatModelMarkdown } from './threat-model-markdown';
import { CloudAssemblyError, cloudAssemblyTemplates } from '../nag/engine/cloud-assembly-templates';
import { ResourceIndex } from '../nag/engine/resource-index';
import { Finding, FINDINGS_FILE, METADATA_KEYS, RecordedPasses, RulePass } from '../nag/findings';

/** The files the threat model is written to in the cloud assembly. */
export const THREAT_MODEL_MARKDOWN_FILE = 'threat-model.md';
export const THREAT_MODEL_JSON_FILE = 'threat-model.json';

/**
 * Writes the threat model of the app an index holds into a directory (the cloud assembly), beside the BOM. Each file
 * is written a part at a time: for a large app each runs to tens of megabytes, which need not be held as one string
 * besides the model.
 */
export function writeThreatModelFiles(directory: string, index: ResourceIndex, results: PackResults): void {
  const model = buildThreatModel(index, results);
  writeInParts(path.join(directory, THREAT_MODEL_MARKDOWN_FILE), (write) => writeThreatModelMarkdown(model, write));
  writeInParts(path.join(directory, THREAT_MODEL_JSON_FILE), (write) => writeThreatModelJson(model, write));
}

/** The threat model as threat-model.json holds it. */
export function threatModelJson(model: ThreatModel): string {
  const parts: string[] = [];
  writeThreatModelJson(model, (text) => parts.push(text));
  return parts.join('');
}

/**
 * threat-model.json a part at a time: the text of `JSON.stringify(model, undefined, 2)` and a newline, each asset
 * stringified on its own.
 */
function writeThreatModelJson(model: ThreatModel, write: (text: string) => void): void {
  // The list of assets is left out by a placeholder, then written in its place.
  const mark = '\u0000assets';
  const placeholder = `"assets": ${JSON.stringify(mark)}`;
  const text = JSON.stringify({ ...model, assets: mark }, undefined, 2);
  const at = text.indexOf(placeholder);
  write(text.slice(0, at + '"assets": '.length));
  if (model.assets.length === 0) write('[]');
  // An asset alone in a list under a key of an object is indented as the model indents it: its text is what lies
  // between that wrapper's opening and closing, with no line to indent again.
  const [opening, closing] = ['{\n  "assets": [\n    ', '\n  ]\n}'];
  model.assets.forEach((asset, i) => {
    const wrapped = JSON.stringify({ assets: [asset] }, undefined, 2);
    write(`${i === 0 ? '[\n    ' : ',\n    '}${wrapped.slice(opening.length, wrapped.length - closing.length)}`);
  });
  if (model.assets.length > 0) write('\n  ]');
  write(`${text.slice(at + placeholder.length)}\n`);
}

/** Writes a file from the parts `produce` gives, about a megabyte at a time. */
function writeInParts(file: string, produce: (write: (text: string) => void) => void): void {
  const fd = fs.openSync(file, 'w');
  try {
    let pending: string[] = [];
    let length = 0;
    const flush = () => {
      const bytes = Buffer.from(pending.join(''), 'utf-8');
      for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written);
      pending = [];
      length = 0;
    };
    produce((text) => {
      pending.push(text);
      length += text.length;
      if (length >= 2 ** 20) flush();
    });
    flush();
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The threat model of a cloud assembly read after synthesis (cdk.out): the inventory from its templates, the
 * results from the findings file SecureAiChecks wrote in that synthesis.
 * @throws CloudAssemblyError when the directory is not a cloud assembly, or holds no usable results of the pack
 */
export function threatModelOfCloudAssembly(directory: string): ThreatModel {
  const index = ResourceIndex.fromTemplates(cloudAssemblyTemplates(directory));
  return buildThreatModel(index, recordedResults(directory));
}

/**
 * The pack's results recorded in a cloud assembly. Without them the model could say which threats concern the
 * assets but not which are controlled, so a missing or older file is an error naming the fix, not an empty model.
 */
function recordedResults(directory: string): PackResults {
  const file = path.join(directory, FINDINGS_FILE);
  const again = 'Register it with `Validations.of(app).addPlugins(new SecureAiChecks())` and synthesize again.';
  if (!fs.existsSync(file)) {
    throw new CloudAssemblyError(`${directory} has no ${FINDINGS_FILE}: SecureAiChecks did not run in that synthesis, and the threat ` +
      `model needs its results (the controls that passed, the findings open and acknowledged). ${again}`);
  }
  let content: { metadata?: Record<string, unknown>; passed?: unknown };
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new CloudAssemblyError(`${file} is not valid JSON (${(e as Error).message}): synthesize the app again to rewrite it.`);
  }
  const findings = content?.metadata?.[METADATA_KEYS.findings];
  if (typeof findings !== 'string') {
    const error = content?.metadata?.error;
    throw new CloudAssemblyError(typeof error === 'string'
      ? `${file} records that SecureAiChecks failed in that synthesis (${error}): fix the error and synthesize again.`
      : `${file} is not a findings file of SecureAiChecks (no "${METADATA_KEYS.findings}" metadata): synthesize the app again.`);
  }
  if (typeof content.passed !== 'object' || content.passed === null) {
    throw new CloudAssemblyError(`${file} has no "passed" record: an older version of cdk-secure-ai wrote it, without the rules each ` +
      'resource passed. Synthesize the app again with this version.');
  }
  return { findings: JSON.parse(findings) as Finding[], passed: passesOf(content.passed as RecordedPasses) };
}

function passesOf(recorded: RecordedPasses): RulePass[] {
  const out: RulePass[] = [];
  for (const [stackPath, resources] of Object.entries(recorded)) {
    for (const [logicalId, rules] of Object.entries(resources ?? {})) {
      for (const ruleId of Array.isArray(rules) ? rules : []) out.push({ ruleId: String(ruleId), stackPath, logicalId });
    }
  }
  return out;
}
