import { App, aws_bedrock as bedrock, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const LIST = [{ Key: 'DataClassification', Value: 'Confidential' }, { Key: 'Owner', Value: 'fraud-team' }, { Key: 'Environment', Value: 'prod' }];
const MAP = { DataClassification: 'internal', OwnerTeam: 'agents', Environment: 'dev' };
const guardrail = (tags: unknown) => ({ Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'g', Tags: tags } });
const agent = (tags: unknown) => ({ Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', Tags: tags } });
const one = (resource: unknown, parameters?: TemplateFixture['Parameters']) => validate({ Parameters: parameters, Resources: { R: resource as never } });

describe('V13 AI assets carry classification, owner and environment tags', () => {
  test('compliant: list-form tags; map-form tags with OwnerTeam for Owner; any case', () => {
    const run = one(guardrail(LIST));
    expect(verdictOf(run, 'V13', 'R')).toBe('none');
    expect(run.tally('V13')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(one(agent(MAP)), 'V13', 'R')).toBe('none');
    expect(verdictOf(one(agent({ dataclassification: 'RESTRICTED', owner: 'x', environment: 'prod' })), 'V13', 'R')).toBe('none');
  });

  test('compliant: common conventions in any case, with separators or a platform prefix; a team\'s own keys through tagKeyAliases', () => {
    for (const tags of [
      { 'data-classification': 'internal', 'owner-team': 'ml', 'env': 'prod' },
      { classification: 'Confidential', Team: 'ml', Stage: 'dev' },
      { 'acme:data_classification': 'restricted', 'acme:owner': 'ml', 'acme:environment': 'prod' },
    ]) {
      expect(verdictOf(one(agent(tags)), 'V13', 'R')).toBe('none');
    }
    const own = { 'acme:sensitivity': 'internal', 'acme:owner': 'ml', 'acme:lifecycle': 'prod' };
    expect(one(agent(own)).of('V13')[0].message).toMatch(/no Environment tag/);
    expect(verdictOf(validate({ Resources: { R: agent(own) as never } }, { tagKeyAliases: { Environment: ['lifecycle'] } }), 'V13', 'R')).toBe('none');
    // A convention's value is judged like the key's: a classification outside the scheme fails under any key.
    expect(one(agent({ ...MAP, 'DataClassification': undefined, 'data-classification': 'secret' })).of('V13')[0].message).toMatch(/data-classification is "secret"/);
  });

  test('non-compliant: untagged; a missing key; an empty value; a classification outside the scheme', () => {
    const untagged = one(agent(undefined));
    expect(verdictOf(untagged, 'V13', 'R')).toBe('non-compliant');
    expect(untagged.of('V13')[0]).toMatchObject({ ruleName: 'SecureAI-V13', level: 'warning', locations: ['Properties.Tags'] });
    expect(untagged.of('V13')[0].message).toMatch(/no DataClassification, Owner, Environment tags \(under any common or configured key\)/);
    expect(one(agent({ DataClassification: 'internal', Owner: 'x' })).of('V13')[0].message).toMatch(/no Environment tag/);
    expect(one(agent({ ...MAP, Environment: '' })).of('V13')[0].message).toMatch(/no Environment tag/);
    expect(one(agent({ ...MAP, DataClassification: 'secret' })).of('V13')[0].message).toMatch(/DataClassification is "secret", not one of public, internal, confidential, restricted/);
  });

  test('once per stack: the failing assets of a stack give one finding, on the first, naming each; tagged ones stay compliant', () => {
    const run = validate({ Resources: { A: agent(undefined), G: guardrail(LIST), B: agent({ ...MAP, DataClassification: 'secret' }), C: agent({ Owner: 'x' }) } });
    const findings = run.of('V13');
    expect(findings.map((f) => f.logicalId)).toEqual(['A']);
    expect(findings[0].message).toMatch(/^3 AI assets of the stack are not tagged: A has no DataClassification, Owner, Environment tags \(under any common or configured key\); B has DataClassification is "secret", not one of public, internal, confidential, restricted; C has no DataClassification, Environment tags/);
    expect(run.tally('V13')).toMatchObject({ compliant: 1, nonCompliant: 1 });
    // Each stack is its own finding: its tags are its own fix.
    const cdkApp = new App();
    for (const name of ['One', 'Two']) {
      const stack = new Stack(cdkApp, name);
      new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
      new bedrock.CfnKnowledgeBase(stack, 'Kb', { name: 'k', roleArn: 'arn:aws:iam::111122223333:role/x', knowledgeBaseConfiguration: { type: 'VECTOR' } });
    }
    expect(new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V13').map((f) => f.constructPath)).toEqual(['One/Agent', 'Two/Agent']);
  });

  test('once per stack: assets that cannot be verified give one unverifiable finding, besides the failing ones', () => {
    const run = validate({ Resources: { A: agent(undefined), U: agent(imported('tags')), V: agent({ ...MAP, DataClassification: imported('class') }) } });
    expect(run.of('V13').map((f) => [f.logicalId, f.ruleName])).toEqual([['A', 'SecureAI-V13'], ['U', 'SecureAI-V13[unverifiable]']]);
    expect(run.of('V13')[1].message).toMatch(/^U: the tags cannot be read at synth time .*; V: tag DataClassification is not known at synth time/);
  });

  test('every catalogue type is judged; AI-asset buckets are, other buckets are not', () => {
    for (const type of ['AWS::SageMaker::Endpoint', 'AWS::SageMaker::FeatureGroup', 'AWS::Bedrock::KnowledgeBase', 'AWS::BedrockAgentCore::Memory', 'AWS::SageMaker::ModelCard']) {
      expect(verdictOf(one({ Type: type, Properties: {} }), 'V13', 'R')).toBe('non-compliant');
    }
    const buckets = validate({
      Resources: {
        Data: { Type: 'AWS::S3::Bucket', Properties: {} },
        Web: { Type: 'AWS::S3::Bucket', Properties: {} },
        Source: { Type: 'AWS::Bedrock::DataSource', Properties: { DataSourceConfiguration: { Type: 'S3', S3Configuration: { BucketArn: { 'Fn::GetAtt': ['Data', 'Arn'] } } } } },
      },
    });
    expect(verdictOf(buckets, 'V13', 'Data')).toBe('non-compliant');
    expect(buckets.of('V13')[0].message).toMatch(/the bucket \(referenced by AWS::Bedrock::DataSource Source/);
    expect(verdictOf(buckets, 'V13', 'Web')).toBe('none');
  });

  test('requiredTagKeys parameter; stack tags count', () => {
    expect(verdictOf(validate({ Resources: { R: agent({ CostCenter: '42' }) } }, { requiredTagKeys: ['CostCenter'] }), 'V13', 'R')).toBe('none');
    expect(verdictOf(validate({ Resources: { R: agent(MAP) } }, { requiredTagKeys: ['CostCenter', 'Owner'] }), 'V13', 'R')).toBe('non-compliant');
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S', { tags: { DataClassification: 'confidential', Owner: 'ml', Environment: 'prod' } });
    new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x' });
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
    expect(new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V13')).toHaveLength(0);
  });

  test('intrinsic: Fn::If with an untagged branch; a classification from a parameter with an invalid allowed value', () => {
    expect(verdictOf(one(guardrail(ifElse(LIST, []))), 'V13', 'R')).toBe('non-compliant');
    const param = one(agent({ ...MAP, DataClassification: { Ref: 'Class' } }), { Class: { Default: 'internal', AllowedValues: ['internal', 'top-secret'] } });
    expect(verdictOf(param, 'V13', 'R')).toBe('parameter');
    expect(verdictOf(one(agent({ ...MAP, DataClassification: { Ref: 'Class' } }), { Class: { Default: 'internal' } }), 'V13', 'R')).toBe('none');
  });

  test('unverifiable: imported tags, or an imported classification', () => {
    const run = one(agent(imported('tags')));
    expect(verdictOf(run, 'V13', 'R')).toBe('unverifiable');
    expect(run.of('V13')[0].ruleName).toBe('SecureAI-V13[unverifiable]');
    expect(verdictOf(one(agent({ ...MAP, DataClassification: imported('class') })), 'V13', 'R')).toBe('unverifiable');
  });

  test('real CDK output: CfnGuardrail (list tags) and CfnAgent (map tags)', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    new bedrock.CfnGuardrail(stack, 'Guardrail', {
      name: 'g',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      tags: [{ key: 'DataClassification', value: 'internal' }, { key: 'Owner', value: 'x' }, { key: 'Environment', value: 'prod' }],
    });
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', tags: { DataClassification: 'internal', OwnerTeam: 'x' } });
    const findings = new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V13');
    expect(findings.map((f) => f.resourceType)).toEqual(['AWS::Bedrock::Agent']);
    expect(findings[0].message).toMatch(/no Environment tag/);
  });

  test('malformed values never throw', () => {
    expect(validate({ Resources: { A: agent('x'), B: guardrail([1, { Key: 2 }]), C: agent({ DataClassification: 5 }) } }).tally('V13').errors).toBe(0);
  });
});

describe('V13: an asset that is not created', () => {
  const never = { Conditions: { Never: { 'Fn::Equals': ['yes', 'no'] } } };

  test('non-compliant: the stack\'s first untagged asset is not created, so the finding is reported on the next', () => {
    const run = validate({ ...never, Resources: { Ghost: { ...guardrail([]), Condition: 'Never' }, Agent: agent({}) } });
    expect(verdictOf(run, 'V13', 'Agent')).toBe('non-compliant');
    expect(run.of('V13')[0].message).not.toMatch(/Ghost/);
  });
});
