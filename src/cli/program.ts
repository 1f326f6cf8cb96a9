import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { aiBomOfCloudAssembly, CloudAssemblyError } from '../bom/cyclonedx-bom';
import { TOOL_NAME, toolVersion } from '../package-info';
import { ArtifactVerifier } from '../registry/artifact-verifier';
import { ReportInputError } from '../report/report-input-error';
import { rulesJson, rulesMarkdown } from '../report/rules-doc';
import { SecureAiReport } from '../report/secure-ai-report';
import { ThreatModel } from '../threats/threat-model';
import { threatModelJson, threatModelOfCloudAssembly } from '../threats/threat-model-files';
import { threatModelMarkdown } from '../threats/threat-model-markdown';

/** Where the command writes: the process's streams in main.ts, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Nothing fails the policy (or the command only printed). */
export const EXIT_OK = 0;
/** Findings fail the run's policy (`failOn`), the pack could not run, or an artifact does not verify. */
export const EXIT_FINDINGS = 1;
/** Bad usage or bad input: an unknown command or option, a bad --format, a missing or malformed file, a synthesis without the pack. */
export const EXIT_USAGE = 2;

const REPORT_FORMATS = ['md', 'json', 'sarif', 'summary'] as const;
const RULES_FORMATS = ['md', 'json'] as const;
const THREATS_FORMATS = ['md', 'json'] as const;

/**
 * Runs the `cdk-secure-ai` command line and returns its exit code. Never exits the process and never throws, so
 * tests can call it directly and main.ts stays a shell.
 * @param argv the arguments after the program name
 */
export function run(argv: readonly string[], io: CliIo): number {
  let exitCode = EXIT_OK;
  const fail = (message: string) => {
    io.stderr(`${TOOL_NAME}: error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    exitCode = EXIT_USAGE;
  };
  const emit = (content: string, output: string | undefined) => {
    if (output === undefined) {
      io.stdout(content);
      return true;
    }
    try {
      fs.writeFileSync(path.resolve(output), content);
      return true;
    } catch (e) {
      fail(`cannot write ${output} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check that its directory exists and is writable.`);
      return false;
    }
  };

  const program = new Command(TOOL_NAME)
    .description('Reports of the SecureAI cdk-nag pack (NCSC/CISA Guidelines for secure AI system development), and verification of signed model artifacts.')
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError(`(run ${TOOL_NAME} --help for usage)`);

  program.command('report')
    .description('Turn the SecureAI results of a synthesized app into a report per guideline section. ' +
      `Exit ${EXIT_OK}: nothing fails the run's failOn; ${EXIT_FINDINGS}: findings fail it; ${EXIT_USAGE}: bad usage or input.`)
    .argument('<cdk.out>', 'the cloud assembly directory `cdk synth` wrote, or its secure-ai.findings.json or validation-report.json')
    .addOption(new Option('-f, --format <format>', 'output format (summary: the Markdown report\'s head alone)').choices(REPORT_FORMATS).default('md'))
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .action((target: string, options: { format: typeof REPORT_FORMATS[number]; output?: string }) => {
      let report: SecureAiReport;
      try {
        report = SecureAiReport.fromCloudAssembly(target);
      } catch (e) {
        if (e instanceof ReportInputError) return fail(e.message);
        throw e;
      }
      const render = { md: () => report.toMarkdown(), json: () => report.toJson(), sarif: () => report.toSarif(), summary: () => report.toSummary() };
      const content = render[options.format]();
      if (!emit(content, options.output)) return;
      exitCode = report.failsPolicy() ? EXIT_FINDINGS : EXIT_OK;
    });

  program.command('bom')
    .description('Write the AI bill of materials (CycloneDX 1.7 JSON) of a synthesized app, read from its templates: models, data, ' +
      `images, guardrails, prompts, model cards, training formulation and dependencies. Exit ${EXIT_OK}: written; ${EXIT_USAGE}: bad usage or input.`)
    .argument('<cdk.out>', 'the cloud assembly directory `cdk synth` wrote')
    .option('-o, --output <file>', 'write the BOM to this file instead of standard output')
    .action((target: string, options: { output?: string }) => {
      let bom: string;
      try {
        bom = aiBomOfCloudAssembly(target);
      } catch (e) {
        if (e instanceof CloudAssemblyError) return fail(e.message);
        throw e;
      }
      emit(bom, options.output);
    });

  program.command('threats')
    .description('Write the threat model of a synthesized app: a Mermaid diagram of its system, then per AI asset the threats the ' +
      'guidelines name, the controls present (rules passed), the open and acknowledged findings and what remains to decide. Read from ' +
      'its templates and the secure-ai.findings.json SecureAiChecks wrote in that synthesis. ' +
      `Exit ${EXIT_OK}: written; ${EXIT_USAGE}: bad usage or input (no cloud assembly, or the pack did not run in it).`)
    .argument('<cdk.out>', 'the cloud assembly directory `cdk synth` wrote, with SecureAiChecks registered')
    .addOption(new Option('-f, --format <format>', 'output format').choices(THREATS_FORMATS).default('md'))
    .option('-o, --output <file>', 'write the threat model to this file instead of standard output')
    .action((target: string, options: { format: typeof THREATS_FORMATS[number]; output?: string }) => {
      let model: ThreatModel;
      try {
        model = threatModelOfCloudAssembly(target);
      } catch (e) {
        if (e instanceof CloudAssemblyError) return fail(e.message);
        throw e;
      }
      emit(options.format === 'json' ? threatModelJson(model) : threatModelMarkdown(model), options.output);
    });

  program.command('rules')
    .description('Print every rule of the pack: the guideline phrase it encodes, what is compliant, the fix.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(RULES_FORMATS).default('md'))
    .option('-o, --output <file>', 'write the list to this file instead of standard output')
    .action((options: { format: typeof RULES_FORMATS[number]; output?: string }) => {
      emit(options.format === 'json' ? rulesJson() : rulesMarkdown(), options.output);
    });

  program.command('verify')
    .description('Check a model artifact against its signed manifest, offline: recompute its SHA-256 and verify the signature ' +
      `with the registry signing key's public key. Exit ${EXIT_OK}: valid; ${EXIT_FINDINGS}: invalid (tampered artifact, wrong key, ` +
      `malformed manifest); ${EXIT_USAGE}: bad usage.`)
    .requiredOption('--artifact <file>', 'the model artifact, for example model.tar.gz')
    .requiredOption('--manifest <file>', 'its manifest, for example model.tar.gz.manifest.json')
    .requiredOption('--public-key <file>', 'the signing key\'s public key: PEM, DER, or the base64 that `aws kms get-public-key` prints')
    .action((options: { artifact: string; manifest: string; publicKey: string }) => {
      const unreadable = [options.artifact, options.manifest, options.publicKey].find((file) => !isReadableFile(file));
      if (unreadable !== undefined) return fail(`cannot read ${unreadable}: check that the file exists.`);
      const result = ArtifactVerifier.verifyFiles({
        artifactPath: options.artifact, manifestPath: options.manifest, publicKeyPath: options.publicKey,
      });
      if (result.valid) {
        io.stdout(`valid: ${result.message}\n`);
        exitCode = EXIT_OK;
      } else {
        io.stderr(`${TOOL_NAME}: invalid: ${result.message}\n`);
        exitCode = EXIT_FINDINGS;
      }
    });

  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through the override too, with exit code 0; every other parse error is bad usage.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr(`${TOOL_NAME}: unexpected error, a bug in ${TOOL_NAME}; please report it with this output: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
