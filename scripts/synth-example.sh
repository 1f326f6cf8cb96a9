#!/usr/bin/env bash
# The main job: synthesize the reference platform example with the CDK command line, offline, with SecureAiChecks,
# cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA and PCI packs and the Control Tower guard rules registered; print a
# short summary of the pack's report, and write the whole report as Markdown and SARIF into cdk.out/. Runs from
# source (`projen synth:example` bundles the Lambda assets first), so it works right after `npm ci`.
#
# It says what happened: a synthesis that failed before the packs ran is reported as such, with the CDK's error
# above it, and only the reports actually written are named.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CDK_DISABLE_CLI_TELEMETRY=true

rm -rf cdk.out
synth_status=0
(cd examples/secure-ai-platform && npx cdk synth --no-notices --quiet --output "$root/cdk.out") || synth_status=$?

if [ ! -f cdk.out/secure-ai.findings.json ]; then
  # The pack writes its findings during validation, the last step of synthesis: without them, synthesis stopped
  # earlier (a construct threw, an asset is missing, the app did not compile) and there is nothing to report.
  echo "Synthesis of examples/secure-ai-platform failed before the packs ran (cdk synth exit $synth_status): the error is above. No report was written." >&2
  exit "$(( synth_status == 0 ? 1 : synth_status ))"
fi

cli() { npx ts-node --transpile-only src/cli/main.ts "$@"; }
written=()
report_status=0
if cli report cdk.out --format sarif --output cdk.out/secure-ai-report.sarif >/dev/null; [ -f cdk.out/secure-ai-report.sarif ]; then
  written+=(cdk.out/secure-ai-report.sarif)
fi
cli report cdk.out --format md --output cdk.out/secure-ai-report.md || report_status=$?
[ -f cdk.out/secure-ai-report.md ] && written+=(cdk.out/secure-ai-report.md)
cli report cdk.out --format summary || true

# The pack writes the AI bill of materials and the threat model itself, during synthesis.
generated=()
for file in cdk.out/ai-bom.cdx.json cdk.out/threat-model.md; do
  [ -f "$file" ] && generated+=("$file")
done
[ "${#generated[@]}" -gt 0 ] && echo "Written by the pack during synthesis: ${generated[*]}"

if [ "${#written[@]}" -gt 0 ]; then
  echo "Reports written: ${written[*]}"
else
  echo "No report was written: the command line failed on cdk.out (its error is above)." >&2
fi
if [ "$synth_status" -ne 0 ]; then
  echo "Synthesis failed (cdk synth exit $synth_status): a registered pack's policy failed; the findings are in the report." >&2
  exit "$synth_status"
fi
exit "$report_status"
