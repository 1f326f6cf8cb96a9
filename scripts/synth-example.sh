#!/usr/bin/env bash
# The main job: synthesize the reference platform example with the CDK command line, offline, with SecureAiChecks,
# cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA and PCI packs and the Control Tower guard rules registered; print a
# short summary of the pack's report, and write the whole report as Markdown and SARIF into cdk.out/. Runs from
# source, so it works right after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CDK_DISABLE_CLI_TELEMETRY=true

rm -rf cdk.out
status=0
(cd examples/secure-ai-platform && npx cdk synth --no-notices --quiet --output "$root/cdk.out") || status=$?
cli() { npx ts-node --transpile-only src/cli/main.ts "$@"; }
cli report cdk.out --format sarif --output cdk.out/secure-ai-report.sarif || true
cli report cdk.out --format md --output cdk.out/secure-ai-report.md || status=$?
cli report cdk.out --format summary || true
echo "Reports written to cdk.out/secure-ai-report.md and cdk.out/secure-ai-report.sarif"
exit "$status"
