import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { constructsMarkdown } from '../../scripts/constructs-doc';
import { SATISFIED_RULES } from '../../src/construct-kit/satisfied-rules';
import { CATALOGUE } from '../../src/nag/catalogue';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../../src/storage/environment-key';
import { SecureBucket } from '../../src/storage/secure-bucket';
import { claimantOfTestFile, claimEvidence, unprovenClaims } from '../satisfied-rules';

const ROOT = path.join(__dirname, '..', '..');

describe('the constructs\' satisfied rules', () => {
  test.each(Object.entries(SATISFIED_RULES))('%s is defined where the data says, and names rules of the catalogue once each', (name, rules) => {
    expect(fs.readFileSync(path.join(ROOT, 'src', rules.file), 'utf-8')).toMatch(new RegExp(`export class ${name}\\b`));
    const ids = [...rules.satisfies, ...(rules.supports ?? [])].map((c) => c.rule);
    expect(ids.filter((id) => !CATALOGUE.some((r) => r.id === id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('docs/CONSTRUCTS.md is the generated file (regenerate with `npx projen docs:constructs`)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'CONSTRUCTS.md'), 'utf-8');
    expect(committed === constructsMarkdown() ? 'up to date' : 'stale: run `npx projen docs:constructs`').toBe('up to date');
  });

  test('the README links to the list', () => {
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8')).toContain('](docs/CONSTRUCTS.md)');
  });

  test('a rule the data names that is not in the catalogue is refused when the doc is rendered', () => {
    expect(() => constructsMarkdown({ X: { file: 'x.ts', satisfies: [{ rule: 'P99', how: 'no' }] } })).toThrow(/names rule P99/);
  });
});

describe('the claims check the compliance tests run', () => {
  /** A stack with an AI bucket and its key, synthesized so that the aspects (tags) ran, as in a compliance test. */
  function bucketApp(build?: (stack: Stack, key: EnvironmentKey, logs: AccessLogBucket) => void): App {
    const app = new App();
    const stack = new Stack(app, 'S');
    const key = new EnvironmentKey(stack, 'Key', { purpose: EnvironmentKeyPurpose.DATA, description: 'data' });
    const logs = new AccessLogBucket(stack, 'Logs');
    new SecureBucket(stack, 'Bucket', { encryptionKey: key, serverAccessLogsBucket: logs });
    build?.(stack, key, logs);
    app.synth();
    return app;
  }

  test('a claim the pack judges compliant on the construct\'s resources is proven', () => {
    const evidence = claimEvidence(bucketApp());
    expect(evidence.proven).toEqual(new Set(['EnvironmentKey P16', 'SecureBucket V6', 'SecureBucket V7']));
    expect(unprovenClaims('EnvironmentKey', [evidence])).toEqual([]);
  });

  test('a claim the pack judges non-compliant is refuted: a SecureBucket outside an environment lacks its Owner and Environment tags', () => {
    expect(claimEvidence(bucketApp()).refuted).toEqual(['Claim: SecureBucket satisfies SecureAI-V13, but it is non-compliant on S/Bucket/Resource']);
  });

  test('a claim no app judges compliant is unproven; an instance the rule does not apply to neither proves nor refutes it', () => {
    const evidence = claimEvidence(bucketApp((stack, key, logs) => {
      new SecureBucket(stack, 'Plain', { encryptionKey: key, serverAccessLogsBucket: logs, aiAsset: false });
    }));
    expect(evidence.refuted.filter((line) => line.includes('Plain'))).toEqual([]);
    expect(unprovenClaims('SecureBucket', [evidence])).toEqual([
      'Claim: SecureBucket satisfies SecureAI-V13, but no compliance test app of its test file judges it compliant on its resources',
    ]);
    expect(unprovenClaims('SecureBucket', [])).toHaveLength(3);
  });

  test.each([
    ['/r/test/training/training-pipeline.test.ts', 'TrainingPipeline'],
    ['/r/test/inference/inference-api.test.ts', 'InferenceApi'],
    ['/r/test/examples/multi-account.test.ts', undefined],
  ])('the construct a test file proves: %s', (file, kind) => {
    expect(claimantOfTestFile(file)).toBe(kind);
  });
});
