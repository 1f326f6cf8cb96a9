#!/usr/bin/env bash
# The main job: synthesize the reference platform example with SecureAiChecks (and cdk-nag's packs and the
# Control Tower guard rules) registered, print a short summary of the pack's report, and write the whole report as
# Markdown and SARIF into cdk.out/. Runs from source, so it works right after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true CDK_OUTDIR=cdk.out

rm -rf cdk.out
status=0
npx ts-node --transpile-only examples/secure-ai-platform/app.ts || status=$?
cli() { npx ts-node --transpile-only src/cli/main.ts "$@"; }
cli report cdk.out --format sarif --output cdk.out/secure-ai-report.sarif || true
cli report cdk.out --format md --output cdk.out/secure-ai-report.md || status=$?
cli report cdk.out --format summary || true
echo "Reports written to cdk.out/secure-ai-report.md and cdk.out/secure-ai-report.sarif"
exit "$status"
