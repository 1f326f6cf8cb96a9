import { App, Validations } from 'aws-cdk-lib';
import { stackOf, validate, ValidationRun, verdictOf } from './harness';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';

/**
 * The evaluator's semantics as rules see them (issue 17): a parameter is judged by its default, its other allowed
 * values give one `[parameter]` warning; conditions are evaluated where their inputs are known; `Fn::FindInMap` is
 * evaluated. Each case is a minimal template of our own.
 */

const STUDIO = {
  AuthMode: 'IAM',
  DomainName: 'team',
  VpcId: 'vpc-0abc',
  SubnetIds: ['subnet-1'],
  DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::111122223333:role/studio', SecurityGroups: ['sg-0abc'] },
};

describe('parameters: the default decides, other allowed values warn once', () => {
  const studio = (parameter: Record<string, unknown>) => validate({
    Parameters: { NetworkAccess: parameter, Unrelated: { Default: 'x', AllowedValues: ['x', 'y'] } },
    Resources: { Domain: { Type: 'AWS::SageMaker::Domain', Properties: { ...STUDIO, AppNetworkAccessType: { Ref: 'NetworkAccess' } } } },
  });

  test('a default of VpcOnly passes; PublicInternetOnly among the allowed values is one [parameter] warning naming both', () => {
    const run = studio({ Default: 'VpcOnly', AllowedValues: ['PublicInternetOnly', 'VpcOnly'] });
    expect(verdictOf(run, 'P3', 'Domain')).toBe('parameter');
    expect(run.of('P3')).toHaveLength(1);
    expect(run.of('P3')[0]).toMatchObject({ ruleName: 'SecureAI-P3[parameter]', level: 'warning', locations: ['Properties.AppNetworkAccessType'] });
    expect(run.of('P3')[0].message).toMatch(/parameter NetworkAccess/);
    expect(run.of('P3')[0].message).toMatch(/"PublicInternetOnly"/);
    expect(run.of('P3')[0].message).not.toMatch(/Unrelated/);
    expect(run.tally('P3')).toMatchObject({ compliant: 1, nonCompliant: 0 });
  });

  test('allowed values that all pass: no finding', () => {
    expect(verdictOf(studio({ Default: 'VpcOnly', AllowedValues: ['VpcOnly'] }), 'P3', 'Domain')).toBe('none');
  });

  test('a failing default is an error naming the parameter, with no [parameter] warning besides', () => {
    const run = studio({ Default: 'PublicInternetOnly', AllowedValues: ['PublicInternetOnly', 'VpcOnly'] });
    expect(run.of('P3').map((f) => f.ruleName)).toEqual(['SecureAI-P3']);
    expect(run.of('P3')[0].message).toMatch(/"PublicInternetOnly".*parameter NetworkAccess/);
  });

  test('no default: [unverifiable], shown as <parameter Name>, never as a literal', () => {
    const run = studio({ AllowedValues: ['PublicInternetOnly', 'VpcOnly'] });
    expect(verdictOf(run, 'P3', 'Domain')).toBe('unverifiable');
    expect(run.of('P3')[0].message).toMatch(/<parameter NetworkAccess>/);
  });

  test('a default that is not among the AllowedValues never deploys: the allowed values decide, and the default is never stated', () => {
    // CloudFormation rejects a stack whose parameter value is not allowed, the default included.
    const safeOnly = studio({ Default: 'PublicInternetOnly', AllowedValues: ['VpcOnly'] });
    expect(verdictOf(safeOnly, 'P3', 'Domain')).toBe('none');
    expect(safeOnly.tally('P3')).toMatchObject({ compliant: 1 });
    // As a parameter without default: [unverifiable], with the allowed values that fail as a [parameter] warning.
    const unsafeOnly = studio({ Default: 'VpcOnly', AllowedValues: ['PublicInternetOnly'] });
    expect(unsafeOnly.of('P3').map((f) => f.ruleName)).toEqual(['SecureAI-P3[unverifiable]', 'SecureAI-P3[parameter]']);
    expect(unsafeOnly.of('P3')[1].message).toMatch(/^parameter NetworkAccess defaults to "VpcOnly", which is not among its AllowedValues; of those it allows "PublicInternetOnly"/);
    expect(unsafeOnly.tally('P3')).toMatchObject({ compliant: 0, unverifiable: 1 });
    const mixed = studio({ Default: 'Nowhere', AllowedValues: ['VpcOnly', 'PublicInternetOnly'] });
    expect(mixed.of('P3').map((f) => f.ruleName)).toEqual(['SecureAI-P3[unverifiable]', 'SecureAI-P3[parameter]']);
    expect(mixed.of('P3')[0].message).toMatch(/<parameter NetworkAccess>/);
    expect(mixed.of('P3')[1].message).toMatch(/parameter NetworkAccess defaults to "Nowhere", which is not among its AllowedValues; of those it allows "PublicInternetOnly"/);
  });

  test('a list parameter is read as the list its default gives, through Fn::Select and Fn::Split', () => {
    const listed = (value: unknown) => validate({
      Parameters: { Access: { Type: 'CommaDelimitedList', Default: 'VpcOnly,PublicInternetOnly' } },
      Resources: { Domain: { Type: 'AWS::SageMaker::Domain', Properties: { ...STUDIO, AppNetworkAccessType: value } } },
    });
    const second = listed({ 'Fn::Select': [1, { Ref: 'Access' }] });
    expect(verdictOf(second, 'P3', 'Domain')).toBe('non-compliant');
    expect(second.of('P3')[0].message).toMatch(/"PublicInternetOnly".*parameter Access/);
    expect(verdictOf(listed({ 'Fn::Select': [0, { Ref: 'Access' }] }), 'P3', 'Domain')).toBe('none');
    expect(verdictOf(listed({ 'Fn::Select': [0, { 'Fn::Split': ['|', 'VpcOnly|PublicInternetOnly'] }] }), 'P3', 'Domain')).toBe('none');
  });

  test('an ARN built from a parameter without default reads <parameter Name>, not arn:aws:s3:::*', () => {
    const run = validate({
      Parameters: { ModelBucket: {} },
      Resources: {
        Model: {
          Type: 'AWS::SageMaker::Model',
          Properties: {
            ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x',
            PrimaryContainer: { Image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/m@sha256:${'a'.repeat(64)}`, ModelDataUrl: { 'Fn::Sub': 's3://${ModelBucket}/model.tar.gz' } },
          },
        },
      },
    });
    const messages = run.findings.map((f) => f.message).join('\n');
    expect(messages).toMatch(/<parameter ModelBucket>/);
    expect(messages).not.toMatch(/s3:\/\/\*\//);
  });
});

describe('conditions: a branch the condition rules out is not judged', () => {
  const NOTEBOOK = { InstanceType: 'ml.t3.medium', RoleArn: 'arn:aws:iam::111122223333:role/nb', DirectInternetAccess: 'Disabled', RootAccess: 'Disabled' };
  const notebook = (keyDefault: string | undefined) => validate({
    Parameters: { KeyArn: keyDefault === undefined ? {} : { Default: keyDefault } },
    Conditions: { HasKey: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'KeyArn' }, ''] }] } },
    Resources: {
      Notebook: {
        Type: 'AWS::SageMaker::NotebookInstance',
        Properties: { ...NOTEBOOK, KmsKeyId: { 'Fn::If': ['HasKey', { Ref: 'KeyArn' }, { Ref: 'AWS::NoValue' }] } },
      },
    },
  });

  test('P2: KmsKeyId behind a condition that rules out "" is never said to be ""', () => {
    const run = notebook('');
    expect(verdictOf(run, 'P2', 'Notebook')).toBe('non-compliant');
    expect(run.of('P2')[0].message).toMatch(/KmsKeyId is absent/);
    expect(run.of('P2')[0].message).not.toMatch(/""/);
    expect(run.of('P2')[0].message).not.toMatch(/possible forms/);
  });

  test('P2: a key ARN as the default passes; with no default both branches are judged', () => {
    expect(verdictOf(notebook('arn:aws:kms:eu-west-1:111122223333:key/abc'), 'P2', 'Notebook')).toBe('none');
    const unknown = notebook(undefined);
    expect(verdictOf(unknown, 'P2', 'Notebook')).toBe('non-compliant');
    expect(unknown.of('P2')[0].message).toMatch(/possible forms/);
  });

  const capture = (Default: string) => validate({
    Parameters: { EnableCapture: { Default, AllowedValues: ['true', 'false'] } },
    Conditions: { CaptureOn: { 'Fn::Equals': [{ Ref: 'EnableCapture' }, 'true'] } },
    Resources: {
      Config: {
        Type: 'AWS::SageMaker::EndpointConfig',
        Properties: {
          ProductionVariants: [{ VariantName: 'v1', ModelName: 'm', InitialInstanceCount: 2, InstanceType: 'ml.m5.xlarge' }],
          DataCaptureConfig: {
            EnableCapture: { 'Fn::If': ['CaptureOn', true, false] },
            InitialSamplingPercentage: 20,
            DestinationS3Uri: 's3://capture/e',
            CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          },
        },
      },
    },
  });

  test('O1: EnableCapture defaulting to true is not "false"; the allowed false is one [parameter] warning', () => {
    const run = capture('true');
    expect(run.of('O1').map((f) => f.ruleName)).toEqual(['SecureAI-O1[parameter]']);
    expect(run.of('O1')[0].message).toMatch(/parameter EnableCapture/);
    expect(run.of('O1')[0].message).toMatch(/"false"/);
    expect(capture('false').of('O1').map((f) => f.ruleName)).toEqual(['SecureAI-O1']);
  });

  test('a resource whose Condition is false is not judged; its parameter warns', () => {
    const run = validate({
      Parameters: { Stage: { Default: 'prod', AllowedValues: ['prod', 'dev'] } },
      Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
      Resources: {
        DevDomain: { Type: 'AWS::SageMaker::Domain', Condition: 'IsDev', Properties: { ...STUDIO, AppNetworkAccessType: 'PublicInternetOnly' } },
      },
    });
    expect(run.of('P3').map((f) => f.ruleName)).toEqual(['SecureAI-P3[parameter]']);
    expect(run.of('P3')[0].message).toMatch(/parameter Stage.*"dev"/);
  });

  test('a related resource whose Condition is false does not count: an endpoint whose only schedule is not created is not monitored', () => {
    const monitored = (Default: string) => validate({
      Parameters: { Monitor: { Default, AllowedValues: ['true', 'false'] } },
      Conditions: { MonitorOn: { 'Fn::Equals': [{ Ref: 'Monitor' }, 'true'] } },
      Resources: {
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'cfg' } },
        Schedule: {
          Type: 'AWS::SageMaker::MonitoringSchedule',
          Condition: 'MonitorOn',
          Properties: {
            EndpointName: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] },
            MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' }, MonitoringJobDefinitionName: 'dq', MonitoringType: 'DataQuality' },
          },
        },
      },
    });
    expect(monitored('true').of('O2').map((f) => f.ruleName)).toEqual(['SecureAI-O2[parameter]']);
    expect(monitored('true').of('O2')[0].message).toMatch(/parameter Monitor defaults to "true", but also allows "false"/);
    expect(monitored('false').of('O2').map((f) => f.ruleName)).toEqual(['SecureAI-O2']);
  });

  test('two parameters that fail only together give one [parameter] warning naming both', () => {
    // The domain is created only in dev, and its network is a parameter of its own: each alone deploys nothing insecure.
    const created = validate({
      Parameters: {
        Stage: { Default: 'prod', AllowedValues: ['prod', 'dev'] },
        Network: { Default: 'VpcOnly', AllowedValues: ['VpcOnly', 'PublicInternetOnly'] },
      },
      Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
      Resources: { DevDomain: { Type: 'AWS::SageMaker::Domain', Condition: 'IsDev', Properties: { ...STUDIO, AppNetworkAccessType: { Ref: 'Network' } } } },
    });
    expect(created.of('P3').map((f) => f.ruleName)).toEqual(['SecureAI-P3[parameter]']);
    expect(created.of('P3')[0].message).toMatch(/^parameter Stage defaults to "prod", but also allows "dev"; with it and parameter Network = "PublicInternetOnly" \(which defaults to "VpcOnly"\): AppNetworkAccessType is "PublicInternetOnly"/);
    // Either parameter keeps the domain in the VPC: only both other values take it out.
    const either = validate({
      Parameters: { Stage: { Default: 'prod', AllowedValues: ['prod', 'dev'] }, Lock: { Default: 'yes', AllowedValues: ['yes', 'no'] } },
      Conditions: { Private: { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, { 'Fn::Equals': [{ Ref: 'Lock' }, 'yes'] }] } },
      Resources: { Domain: { Type: 'AWS::SageMaker::Domain', Properties: { ...STUDIO, AppNetworkAccessType: { 'Fn::If': ['Private', 'VpcOnly', 'PublicInternetOnly'] } } } },
    });
    expect(either.of('P3').map((f) => f.ruleName)).toEqual(['SecureAI-P3[parameter]']);
    expect(either.of('P3')[0].message).toMatch(/^parameter Stage defaults to "prod", but also allows "dev"; with it and parameter Lock = "no"/);
  });

  test('pseudo parameters with the stack env decide a condition; without env both branches are judged', () => {
    const fixture = {
      Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
      Resources: {
        Domain: { Type: 'AWS::SageMaker::Domain', Properties: { ...STUDIO, AppNetworkAccessType: { 'Fn::If': ['InEurope', 'VpcOnly', 'PublicInternetOnly'] } } },
      },
    };
    expect(verdictOf(validate(fixture, undefined, { env: { region: 'eu-west-1', account: '111122223333' } }), 'P3', 'Domain')).toBe('none');
    expect(verdictOf(validate(fixture, undefined, { env: { region: 'us-east-1', account: '111122223333' } }), 'P3', 'Domain')).toBe('non-compliant');
    expect(verdictOf(validate(fixture), 'P3', 'Domain')).toBe('non-compliant');
  });
});

describe('Fn::FindInMap is evaluated', () => {
  const IMAGES = {
    'us-east-1': { Image: '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:latest' },
    'eu-west-1': { Image: '438346466558.dkr.ecr.eu-west-1.amazonaws.com/linear-learner:latest' },
  };
  const model = (image: unknown, env?: { region: string; account: string }) => validate({
    Mappings: { RegionImages: IMAGES },
    Resources: { Model: { Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { Image: image } } } },
  }, undefined, env ? { env } : undefined);

  test('a region map whose every value is :latest is judged, not [unverifiable]', () => {
    const run = model({ 'Fn::FindInMap': ['RegionImages', { Ref: 'AWS::Region' }, 'Image'] });
    expect(verdictOf(run, 'V1', 'Model')).toBe('non-compliant');
    expect(run.of('V1')[0].message).toMatch(/linear-learner:latest/);
  });

  test('literal keys, and the region of the stack env, give the mapped value', () => {
    const literal = model({ 'Fn::FindInMap': ['RegionImages', 'eu-west-1', 'Image'] });
    expect(literal.of('V1')[0].message).toMatch(/438346466558/);
    const pinned = model({ 'Fn::FindInMap': ['RegionImages', { Ref: 'AWS::Region' }, 'Image'] }, { region: 'us-east-1', account: '111122223333' });
    expect(pinned.of('V1')[0].message).toMatch(/382416733822/);
    expect(pinned.of('V1')[0].message).not.toMatch(/possible forms/);
  });
});

describe('Fn::FindInMap with a DefaultValue (AWS::LanguageExtensions)', () => {
  const domain = (env?: { region: string; account: string }) => validate({
    Mappings: { Network: { 'us-east-1': { Access: 'VpcOnly' } } },
    Resources: {
      Domain: {
        Type: 'AWS::SageMaker::Domain',
        Properties: { ...STUDIO, AppNetworkAccessType: { 'Fn::FindInMap': ['Network', { Ref: 'AWS::Region' }, 'Access', { DefaultValue: 'PublicInternetOnly' }] } },
      },
    },
  }, undefined, env ? { env } : undefined);

  test('a Region the stack does not fix may be missing from the map: the DefaultValue is judged too', () => {
    const run = domain();
    expect(verdictOf(run, 'P3', 'Domain')).toBe('non-compliant');
    expect(run.of('P3')[0].message).toMatch(/"PublicInternetOnly"/);
    // The forms come from the map, not from an Fn::If: the message does not say they do.
    expect(run.of('P3')[0].message).toMatch(/in one of its 2 possible forms \(Fn::If or Fn::FindInMap\)/);
    expect(verdictOf(domain({ region: 'us-east-1', account: '111122223333' }), 'P3', 'Domain')).toBe('none');
    expect(verdictOf(domain({ region: 'eu-west-1', account: '111122223333' }), 'P3', 'Domain')).toBe('non-compliant');
  });
});

describe('[parameter] findings in the report path', () => {
  test('acknowledged by their full ID only, like [unverifiable]; failOn WARNING fails on them', () => {
    const app = new App({ autoSynth: false });
    const stack = stackOf({
      Parameters: { NetworkAccess: { Default: 'VpcOnly', AllowedValues: ['PublicInternetOnly', 'VpcOnly'] } },
      Resources: { Domain: { Type: 'AWS::SageMaker::Domain', Properties: { ...STUDIO, AppNetworkAccessType: { Ref: 'NetworkAccess' } } } },
    }, app);
    const pack = new SecureAiChecks({ failOn: FailOn.WARNING });
    const p3 = (run: ValidationRun) => run.findings.filter((f) => f.ruleId === 'P3');
    Validations.of(stack).acknowledge({ id: 'SecureAI-P3', reason: 'covers the rule, not its parameter variant' });
    let run = new ValidationRun(pack.validateScope(app));
    expect(p3(run).map((f) => [f.ruleName, f.acknowledged !== undefined])).toEqual([['SecureAI-P3[parameter]', false]]);
    expect(run.report.success).toBe(false);
    Validations.of(stack).acknowledge({ id: 'SecureAI-P3[parameter]', reason: 'the pipeline always deploys the default' });
    run = new ValidationRun(pack.validateScope(app));
    expect(p3(run)[0].acknowledged?.reason).toBe('the pipeline always deploys the default');
    expect(run.ids.filter((id) => id.startsWith('SecureAI-P3'))).toEqual([]);
  });
});
