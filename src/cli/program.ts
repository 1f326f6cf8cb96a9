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
    .description('Verify a model signed in the OpenSSF Model Signing v1.0 format ("key" method), offline: the signature bundle '
      + 'over the DSSE envelope, the model\'s files against the signed digests, and optionally the signed provenance the training '
      + `pipeline writes beside it. Exit ${EXIT_OK}: valid; ${EXIT_FINDINGS}: invalid, with the check that failed (bundle, key, `
      + `signature, payload, digest, provenance, expectation); ${EXIT_USAGE}: bad usage.`)
    .requiredOption('--model <path>', 'the model: a file (such as model.tar.gz) or a directory')
    .requiredOption('--signature <bundle>', 'the signature bundle (a Sigstore bundle, such as model.tar.gz.sig)')
    .requiredOption('--public-key <pem>', 'the signing key\'s public key: PEM, DER, or the base64 that `aws kms get-public-key` prints')
    .option('--ignore-path <path>', 'a path of the model directory to leave out (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('--ignore-unsigned-files', 'verify only the files the signature lists')
    .option('--provenance <bundle>', 'the signed provenance bundle (model.tar.gz.provenance.sig), checked with the same key')
    .option('--expect-artifact-uri <uri>', 'the registered artifact URI the provenance must name')
    .option('--expect-image-digest <digest>', 'the training image digest (sha256:...) the provenance must name')
    .option('--expect-builder <arn>', 'the state machine ARN the provenance must name as its builder')
    .action((options: {
      model: string;
      signature: string;
      publicKey: string;
      ignorePath: string[];
      ignoreUnsignedFiles?: boolean;
      provenance?: string;
      expectArtifactUri?: string;
      expectImageDigest?: string;
      expectBuilder?: string;
    }) => {
      const result = ArtifactVerifier.verify({
        modelPath: options.model,
        signaturePath: options.signature,
        publicKeyPath: options.publicKey,
        ignorePaths: options.ignorePath,
        ignoreUnsignedFiles: options.ignoreUnsignedFiles,
        provenancePath: options.provenance,
        expectedArtifactUri: options.expectArtifactUri,
        expectedImageDigest: options.expectImageDigest,
        expectedBuilderId: options.expectBuilder,
      });
      if (result.usageError) return fail(result.message);
      if (result.valid) {
        io.stdout(`valid: ${result.message}\n`);
        exitCode = EXIT_OK;
      } else {
        io.stderr(`${TOOL_NAME}: invalid: ${result.failedCheck} check failed: ${result.message}\n`);
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
