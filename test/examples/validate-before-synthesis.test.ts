import { App } from 'aws-cdk-lib';
import { buildAssistant } from '../../examples/generative-ai-assistant/app';
import { buildMultiAccount } from '../../examples/multi-account/app';
import { buildPlatform } from '../../examples/secure-ai-platform/app';
import { Finding, METADATA_KEYS } from '../../src/nag/findings';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';

/*
 * The README tells users to call `validateScope(app)` in their tests, where the app is usually not synthesized yet:
 * the pack must judge it as it does inside synthesis. The examples tag their stacks with `Tags.of`, whose aspects the
 * CDK applies only at synthesis.
 */

const ENV_CONTEXT = { account: '111111111111', region: 'eu-west-2' };

function findings(app: App): string[] {
  const all: Finding[] = JSON.parse(new SecureAiChecks().validateScope(app).metadata?.[METADATA_KEYS.findings] ?? '[]');
  return all.map((f) => `${f.ruleName} ${f.stackPath}/${f.logicalId}${f.acknowledged ? ' (acknowledged)' : ''}: ${f.message}`).sort();
}

describe.each([
  ['generative-ai-assistant', buildAssistant],
  ['secure-ai-platform', buildPlatform],
  ['multi-account', buildMultiAccount],
])('examples/%s', (_name, build) => {
  test('validateScope before synthesis finds what it finds after', () => {
    const app = new App({ context: ENV_CONTEXT });
    build(app);
    const before = findings(app);
    app.synth();
    expect(before).toEqual(findings(app));
  }, 120_000);
});
