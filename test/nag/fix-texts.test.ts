// A finding's fix is worded for the resource it is on: for its type where a rule covers several, and for the library
// construct and prop the user wrote where one of this library's constructs made the resource.
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ValidationRun, validate } from './harness';
import { markLibraryConstruct } from '../../src/facts/library-constructs';
import { CATALOGUE } from '../../src/nag/catalogue';
import { SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { ModelCard } from '../../src/registry/model-card';
import { ModelRiskRating } from '../../src/registry/model-risk-rating';
import { endpointFixture } from '../inference/endpoint-fixture';

const rule = (id: string) => CATALOGUE.find((r) => r.id === id)!;

describe('a rule that covers several resource types gives each its own fix', () => {
  const run = validate({
    Resources: {
      // V5: a secret in a model container's environment, and in a build project's.
      Model: {
        Type: 'AWS::SageMaker::Model',
        Properties: { ExecutionRoleArn: 'arn:aws:iam::111111111111:role/x', PrimaryContainer: { Image: 'img', Environment: { API_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH' } } },
      },
      Build: {
        Type: 'AWS::CodeBuild::Project',
        Properties: { Environment: { PrivilegedMode: true, EnvironmentVariables: [{ Name: 'HF_TOKEN', Value: 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH' }] } },
      },
      // O10: a notebook on a retired platform.
      Notebook: { Type: 'AWS::SageMaker::NotebookInstance', Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'r', PlatformIdentifier: 'notebook-al1-v1' } },
    },
  });
  const fixOf = (ruleId: string, logicalId: string) => run.of(ruleId).find((f) => f.logicalId === logicalId)?.fix;

  test('V5 on a model container speaks of its environment, not of CodeBuild\'s privileged mode', () => {
    expect(fixOf('V5', 'Model')).toBe(rule('V5').fixByType?.['AWS::SageMaker::Model']);
    expect(fixOf('V5', 'Model')).not.toMatch(/privileged/);
    expect(fixOf('V5', 'Build')).toMatch(/^Set privileged: false/);
  });

  test('O10 on a notebook speaks of its platform, not of Lambda runtimes', () => {
    expect(fixOf('O10', 'Notebook')).toBe(rule('O10').fixByType?.['AWS::SageMaker::NotebookInstance']);
    expect(fixOf('O10', 'Notebook')).not.toMatch(/Lambda|lambda/);
  });

  test('the CDK\'s violation carries the resource\'s fix, one violation per rule, message and fix', () => {
    const violation = run.report.violations.find((v) => v.ruleName === 'SecureAI-O10');
    expect(violation?.fix).toBe(fixOf('O10', 'Notebook'));
  });
});

describe('on resources a library construct made, the fix names the construct and its prop', () => {
  let withoutCard: ValidationRun;
  let unlinkedCard: ValidationRun;

  beforeAll(() => {
    // Synthesized first, so that the environment's tags (aspects) mark the stack as production for P23.
    const bare = endpointFixture();
    bare.template();
    withoutCard = new ValidationRun(new SecureAiChecks().validateScope(bare.stack));
    const fixture = endpointFixture();
    new ModelCard(fixture.stack, 'Card', {
      environment: fixture.environment,
      modelName: 'fraud-detector',
      owner: 'fraud-ml-team',
      purpose: 'Score card transactions for the likelihood of fraud',
      intendedUses: ['Rank transactions for review by fraud analysts'],
      outOfScopeUses: ['Credit decisions'],
      trainingData: [{ uri: 's3://training-data/transactions/2024.parquet', sha256: 'a'.repeat(64) }],
      evaluations: [{ name: 'holdout', observation: 'AUC 0.94' }],
      limitations: ['Not evaluated on new merchant categories'],
      failureModes: ['Payments split below thresholds'],
      riskRating: ModelRiskRating.HIGH,
      riskRatingExplanation: 'Wrong scores block legitimate payments',
      retention: Duration.days(2555),
      reviewFrequency: Duration.days(90),
    });
    fixture.template();
    unlinkedCard = new ValidationRun(new SecureAiChecks().validateScope(fixture.stack));
  }, 120_000);

  test('V10 and P23 on an InferenceEndpoint without a card: compose a ModelCard with modelId: endpoint.model.ref', () => {
    for (const id of ['V10', 'P23']) {
      const findings = withoutCard.of(id);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) expect(f.fix).toMatch(/^Compose a ModelCard beside the InferenceEndpoint with modelId: endpoint\.model\.ref/);
    }
  });

  test('with a ModelCard in the app that names no model: link it (V10) and approve it (P23), not "add a CfnModelCard"', () => {
    expect(unlinkedCard.of('V10').map((f) => f.fix)).toEqual(expect.arrayContaining([expect.stringMatching(/^Link the app's ModelCard/)]));
    expect(unlinkedCard.of('P23').map((f) => f.fix)).toEqual(expect.arrayContaining([expect.stringMatching(/status: ModelCardStatus\.APPROVED/)]));
    for (const f of [...unlinkedCard.of('V10'), ...unlinkedCard.of('P23')]) expect(f.fix).not.toMatch(/CfnModelCard/);
  });

  test('P18 on the endpoint\'s capture bucket (a SecureBucket) without a backup: OfflineBackup.protectBucket', () => {
    const capture = withoutCard.of('P18').filter((f) => f.resourceType === 'AWS::S3::Bucket');
    expect(capture.length).toBeGreaterThan(0);
    for (const f of capture) expect(f.fix).toMatch(/^Protect it with the library's OfflineBackup: backup\.protectBucket\(<the SecureBucket>\)/);
  });
});

describe('the mark of a library construct', () => {
  test('the nearest marked scope names the construct; an unmarked one falls back to the type\'s fix', () => {
    const app = new App({ autoSynth: false });
    const stack = new Stack(app, 'S');
    const outer = new Construct(stack, 'Outer');
    markLibraryConstruct(outer, 'InferenceEndpoint');
    new CfnResource(outer, 'Model', {
      type: 'AWS::SageMaker::Model',
      properties: { ExecutionRoleArn: 'arn:aws:iam::111111111111:role/x', PrimaryContainer: { Image: 'img' } },
    });
    new CfnResource(stack, 'Plain', {
      type: 'AWS::SageMaker::Model',
      properties: { ExecutionRoleArn: 'arn:aws:iam::111111111111:role/x', PrimaryContainer: { Image: 'img' } },
    });
    const run = new ValidationRun(new SecureAiChecks().validateScope(app));
    const fixes = new Map(run.of('V10').map((f) => [f.constructPath.split('/')[1], f.fix]));
    expect(fixes.get('Outer')).toMatch(/^Compose a ModelCard beside the InferenceEndpoint/);
    expect(fixes.get('Plain')).toBe(rule('V10').fixByType?.['AWS::SageMaker::Model']);
  });
});

describe('fix texts stay within Latin-1', () => {
  // Every finding carries its fix into the report's JSON. One character beyond Latin-1 (a "≥" or "…") in a fix makes the
  // serialised findings of the whole app a two-byte string: at 4,000 resources that doubled the memory it takes to build
  // and write them (2.6 million characters, 480 of them "≥" or "…").
  test('every rule\'s fix and per-type fix', () => {
    const beyond = CATALOGUE.flatMap((r) => [['fix', r.fix], ...Object.entries(r.fixByType ?? {})]
      .filter(([, text]) => /[^\u0000-\u00ff]/.test(text))
      .map(([where, text]) => `${r.id} ${where}: ${text.match(/[^\u0000-\u00ff]/g)!.join('')}`));
    expect(beyond).toEqual([]);
  });
});
