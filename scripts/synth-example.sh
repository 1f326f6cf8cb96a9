#!/usr/bin/env bash
# The main job: synthesize the example app with SecureAiChecks registered, then print the pack's report and write
# it as Markdown and SARIF into cdk.out/. Runs from source, so it works right after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true CDK_OUTDIR=cdk.out

rm -rf cdk.out
status=0
npx ts-node --transpile-only examples/secure-ai-platform/app.ts || status=$?
cli() { npx ts-node --transpile-only src/cli/main.ts "$@"; }
cli report cdk.out --format sarif --output cdk.out/secure-ai-report.sarif || true
cli report cdk.out --format md --output cdk.out/secure-ai-report.md || status=$?
cat cdk.out/secure-ai-report.md
echo
echo "Reports written to cdk.out/secure-ai-report.md and cdk.out/secure-ai-report.sarif"
exit "$status"
