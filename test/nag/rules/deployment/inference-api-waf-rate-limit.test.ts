import { ifElse, imported, NO_VALUE, TemplateFixture, validate, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const VISIBILITY = { CloudWatchMetricsEnabled: true, MetricName: 'm', SampledRequestsEnabled: true };
const RATE_RULE = { Name: 'rate', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } }, VisibilityConfig: VISIBILITY };
const BAD_INPUTS_RULE = {
  Name: 'bad-inputs',
  Priority: 1,
  OverrideAction: { None: {} },
  Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
  VisibilityConfig: VISIBILITY,
};
const acl = (rules: unknown, scope = 'REGIONAL') => ({
  Type: 'AWS::WAFv2::WebACL', Properties: { Scope: scope, DefaultAction: { Allow: {} }, VisibilityConfig: VISIBILITY, Rules: rules },
});
const stageArn = (api: unknown = { Ref: 'Api' }, stage: unknown = { Ref: 'Stage' }) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/restapis/', api, '/stages/', stage]],
});
const association = (webAclArn: unknown = { 'Fn::GetAtt': ['Acl', 'Arn'] }, resourceArn: unknown = stageArn()) => ({
  Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: resourceArn, WebACLArn: webAclArn },
});
const SAGEMAKER_URI = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':runtime.sagemaker:path//endpoints/fraud/invocations']],
};
const lambdaUri = (fn = 'Fn') => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/',
    { 'Fn::GetAtt': [fn, 'Arn'] }, '/invocations']],
});
const method = (integration: unknown) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', Integration: integration },
});
const restApi = (extra: Record<string, unknown> = {}): Resources => ({
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'inference', ...extra } },
  Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
  Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'prod' } },
});
const sagemakerApi = (): Resources => ({
  ...restApi(),
  Method: method({ Type: 'AWS', IntegrationHttpMethod: 'POST', Uri: SAGEMAKER_URI, Credentials: 'arn:aws:iam::111122223333:role/api-invoke' }),
});
const role = (actions: unknown) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }],
  },
});
const fn = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'python3.12', Handler: 'index.handler', Code: { ZipFile: 'x' }, Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] }, ...properties },
});

describe('P14 inference API behind a WAF web ACL with a rate-based rule', () => {
  test('compliant: SageMaker integration, stage associated with a web ACL that has a blocking rate rule', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([RATE_RULE, BAD_INPUTS_RULE]), Assoc: association() } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('none');
    expect(run.tally('P14')).toMatchObject({ compliant: 2, notApplicable: 1 }); // the stage and the ACL; the deployment without StageName
  });

  test('the web ACL of an AI stage is reported too, where its rules are fixed; an ACL of no AI stage is not applicable', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([BAD_INPUTS_RULE]), Assoc: association() } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    expect(verdictOf(run, 'P14', 'Acl')).toBe('non-compliant');
    const finding = run.of('P14').find((f) => f.logicalId === 'Acl')!;
    expect(finding).toMatchObject({ level: 'error', locations: ['Properties.Rules'] });
    expect(finding.message).toMatch(/web ACL Acl protects AWS::ApiGateway::Stage Stage \(.*\), but web ACL Acl has no RateBasedStatement rule/);
    const unattached = validate({ Resources: { ...sagemakerApi(), Acl: acl([BAD_INPUTS_RULE]) } });
    expect(verdictOf(unattached, 'P14', 'Acl')).toBe('none');
    const notAi = validate({ Resources: { ...restApi(), Acl: acl([BAD_INPUTS_RULE]), Assoc: association() } });
    expect(notAi.of('P14')).toEqual([]);
    const conditional = validate({ Resources: { ...sagemakerApi(), Acl: acl(ifElse([RATE_RULE], [BAD_INPUTS_RULE])), Assoc: association() } });
    expect(verdictOf(conditional, 'P14', 'Acl')).toBe('non-compliant');
    const importedRules = validate({ Resources: { ...sagemakerApi(), Acl: acl(imported('rules')), Assoc: association() } });
    expect(verdictOf(importedRules, 'P14', 'Acl')).toBe('unverifiable');
  });

  test('non-compliant: no WebACLAssociation names the stage; the message says why the stage is an AI API', () => {
    const run = validate({ Resources: sagemakerApi() });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    const finding = run.of('P14')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-P14', level: 'error' });
    expect(finding.message).toMatch(/no AWS::WAFv2::WebACLAssociation/);
    expect(finding.message).toMatch(/runtime\.sagemaker/);
  });

  test('non-compliant: the web ACL has only managed rule groups, no rate-based rule', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([BAD_INPUTS_RULE]), Assoc: association() } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    expect(run.of('P14')[0].message).toMatch(/web ACL Acl has no RateBasedStatement rule/);
  });

  test('non-compliant: a web ACL with no rules at all', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl(undefined), Assoc: association() } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
  });

  test('non-compliant: the rate-based rule only counts', () => {
    const counting = { ...RATE_RULE, Action: { Count: {} } };
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([counting]), Assoc: association() } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    expect(run.of('P14')[0].message).toMatch(/only counts/);
  });

  test('a rate-based rule inside a referenced rule group counts, unless the web ACL overrides it to Count', () => {
    const group = { Type: 'AWS::WAFv2::RuleGroup', Properties: { Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: VISIBILITY, Rules: [RATE_RULE] } };
    const reference = (override: unknown) => ({
      Name: 'group',
      Priority: 0,
      OverrideAction: override,
      VisibilityConfig: VISIBILITY,
      Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': ['Group', 'Arn'] } } },
    });
    const ok = validate({ Resources: { ...sagemakerApi(), Group: group, Acl: acl([reference({ None: {} })]), Assoc: association() } });
    expect(verdictOf(ok, 'P14', 'Stage')).toBe('none');
    const counted = validate({ Resources: { ...sagemakerApi(), Group: group, Acl: acl([reference({ Count: {} })]), Assoc: association() } });
    expect(verdictOf(counted, 'P14', 'Stage')).toBe('non-compliant');
    expect(counted.of('P14')[0].message).toMatch(/overrides rule group Group to Count/);
  });

  test('a rate-based rule of a rule group that the reference sets to Count (RuleActionOverrides, ExcludedRules) only counts', () => {
    const group = { Type: 'AWS::WAFv2::RuleGroup', Properties: { Scope: 'REGIONAL', Capacity: 10, VisibilityConfig: VISIBILITY, Rules: [RATE_RULE] } };
    const reference = (statement: Record<string, unknown>) => ({
      Name: 'group',
      Priority: 0,
      OverrideAction: { None: {} },
      VisibilityConfig: VISIBILITY,
      Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': ['Group', 'Arn'] }, ...statement } },
    });
    const run = (statement: Record<string, unknown>) =>
      validate({ Resources: { ...sagemakerApi(), Group: group, Acl: acl([reference(statement)]), Assoc: association() } });
    const overridden = run({ RuleActionOverrides: [{ Name: 'rate', ActionToUse: { Count: {} } }] });
    expect(verdictOf(overridden, 'P14', 'Stage')).toBe('non-compliant');
    expect(overridden.of('P14')[0].message).toMatch(/rule rate of rule group Group is set to Count by rule group of web ACL Acl/);
    expect(verdictOf(run({ ExcludedRules: [{ Name: 'rate' }] }), 'P14', 'Stage')).toBe('non-compliant');
    // Overriding another rule of the group, or the rate rule to Block, leaves the limit acting.
    expect(verdictOf(run({ RuleActionOverrides: [{ Name: 'other', ActionToUse: { Count: {} } }] }), 'P14', 'Stage')).toBe('none');
    expect(verdictOf(run({ RuleActionOverrides: [{ Name: 'rate', ActionToUse: { Block: {} } }] }), 'P14', 'Stage')).toBe('none');
  });

  test('an association created under a condition that is false protects nothing', () => {
    const run = validate({
      Conditions: { Protected: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Parameters: { Env: { Default: 'dev' } },
      Resources: { ...sagemakerApi(), Acl: acl([RATE_RULE]), Assoc: { ...association(), Condition: 'Protected' } },
    });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    expect(run.of('P14').find((f) => f.logicalId === 'Stage')?.message).toMatch(/no AWS::WAFv2::WebACLAssociation attaches a web ACL to it/);
  });

  test('of two stages of one name created under opposite conditions, the ARN naming it by name attaches to the one created', () => {
    const stage = (condition: string) => ({ ...restApi().Stage, Condition: condition });
    const fixture = (resourceArn: unknown) => ({
      Parameters: { Env: { Type: 'String', Default: 'prod', AllowedValues: ['prod', 'dev'] } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
      Resources: { ...sagemakerApi(), Stage: stage('IsProd'), DevStage: stage('IsDev'), Acl: acl([RATE_RULE]), Assoc: association(undefined, resourceArn) },
    });
    const byName = validate(fixture(stageArn({ Ref: 'Api' }, 'prod')));
    expect(verdictOf(byName, 'P14', 'Stage')).toBe('none');
    expect(verdictOf(byName, 'P14', 'DevStage')).toBe('none');
    // Named by reference, the association attaches to the production stage alone: the dev stage, created with Env dev, is open.
    const byReference = validate(fixture(stageArn()));
    expect(verdictOf(byReference, 'P14', 'Stage')).toBe('none');
    expect(verdictOf(byReference, 'P14', 'DevStage')).toBe('parameter');
  });

  test('the stage named by its literal name in the ARN is found', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([RATE_RULE]), Assoc: association(undefined, stageArn({ Ref: 'Api' }, 'prod')) } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('none');
  });

  test('an association for another stage of the API does not protect this one', () => {
    const run = validate({
      Resources: {
        ...sagemakerApi(),
        Dev: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'Deployment' }, StageName: 'dev' } },
        Acl: acl([RATE_RULE]),
        Assoc: association(undefined, stageArn(undefined, { Ref: 'Dev' })),
      },
    });
    expect(verdictOf(run, 'P14', 'Dev')).toBe('none');
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If on the rules or on the web ACL with one unprotected form is a finding', () => {
    const rules = validate({ Resources: { ...sagemakerApi(), Acl: acl(ifElse([RATE_RULE], NO_VALUE)), Assoc: association() } });
    expect(verdictOf(rules, 'P14', 'Stage')).toBe('non-compliant');
    const acls = validate({
      Resources: {
        ...sagemakerApi(),
        Acl: acl([RATE_RULE]),
        Weak: acl([BAD_INPUTS_RULE]),
        Assoc: association(ifElse({ 'Fn::GetAtt': ['Acl', 'Arn'] }, { 'Fn::GetAtt': ['Weak', 'Arn'] })),
      },
    });
    expect(verdictOf(acls, 'P14', 'Stage')).toBe('non-compliant');
    expect(acls.of('P14')[0].message).toMatch(/web ACL Weak has no RateBasedStatement/);
  });

  test('intrinsic: a web ACL ARN from a parameter default is outside the app: unverifiable', () => {
    const run = validate({
      Parameters: { AclArn: { Default: 'arn:aws:wafv2:eu-west-2:111122223333:regional/webacl/shared/abc' } },
      Resources: { ...sagemakerApi(), Assoc: association({ Ref: 'AclArn' }) },
    });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('unverifiable');
  });

  test('unverifiable: the web ACL is imported', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Assoc: association(imported('shared-acl-arn')) } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('unverifiable');
    expect(run.of('P14')[0]).toMatchObject({ ruleName: 'SecureAI-P14[unverifiable]', level: 'warning' });
    expect(run.of('P14')[0].message).toMatch(/not in the app/);
  });

  test('unverifiable: a referenced rule group outside the app, with no rate rule of its own', () => {
    const rule = {
      Name: 'shared',
      Priority: 0,
      OverrideAction: { None: {} },
      VisibilityConfig: VISIBILITY,
      Statement: { RuleGroupReferenceStatement: { Arn: 'arn:aws:wafv2:eu-west-2:111122223333:regional/rulegroup/shared/abc' } },
    };
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([rule]), Assoc: association() } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('unverifiable');
  });

  test('unverifiable: an association whose ResourceArn is imported may name the stage', () => {
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([RATE_RULE]), Assoc: association(undefined, imported('stage-arn')) } });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('unverifiable');
    expect(run.of('P14')[0].message).toMatch(/ResourceArn of Assoc/);
  });

  test('a finding names at most five of the associations whose ResourceArn is imported, however many the app holds', () => {
    const imports: Resources = {};
    for (let i = 0; i < 7; i++) imports[`Assoc${i}`] = association(undefined, imported(`stage-arn-${i}`));
    const run = validate({ Resources: { ...sagemakerApi(), Acl: acl([RATE_RULE]), ...imports } });
    expect(run.of('P14').map((f) => f.message)).toEqual([
      expect.stringContaining('the ResourceArn of Assoc0, Assoc1, Assoc2, Assoc3, Assoc4 and 2 more cannot be read at synth time'),
    ]);
  });

  test('an association to a load balancer is not a candidate for the stage', () => {
    const run = validate({
      Resources: {
        ...sagemakerApi(),
        Acl: acl([RATE_RULE]),
        Assoc: association(undefined, 'arn:aws:elasticloadbalancing:eu-west-2:111122223333:loadbalancer/app/web/abc'),
      },
    });
    expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
  });

  describe('which stages front an AI backend', () => {
    const plainApi = (integration: unknown, extra: Resources = {}) => ({ Resources: { ...restApi(), Method: method(integration), ...extra } });
    const lambdaIntegration = { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: lambdaUri() };

    test('a Lambda whose role may call bedrock:InvokeModel', () => {
      const run = validate(plainApi(lambdaIntegration, { Fn: fn(), FnRole: role(['bedrock:InvokeModel', 'logs:*']) }));
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
      expect(run.of('P14')[0].message).toMatch(/FnRole may call bedrock:InvokeModel/);
    });

    test('a Lambda whose role holds an attached policy with sagemaker:* (service wildcard)', () => {
      const policy = {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'p', Roles: [{ Ref: 'FnRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }] } },
      };
      const run = validate(plainApi(lambdaIntegration, { Fn: fn(), FnRole: role('logs:*'), Policy: policy }));
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    });

    test('a Lambda (through an alias) that references a SageMaker endpoint', () => {
      const run = validate(plainApi({ Type: 'AWS_PROXY', Uri: lambdaUri('Alias') }, {
        Fn: fn({ Environment: { Variables: { ENDPOINT: { 'Fn::GetAtt': ['Endpoint', 'EndpointName'] } } } }),
        FnRole: role('logs:*'),
        Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: '$LATEST', Name: 'live' } },
        Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: 'cfg' } },
      }));
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
      expect(run.of('P14')[0].message).toMatch(/references AWS::SageMaker::Endpoint Endpoint/);
    });

    test('a Lambda that is a Bedrock agent action-group executor (an AI asset)', () => {
      const agent = {
        Type: 'AWS::Bedrock::Agent',
        Properties: { AgentName: 'a', ActionGroups: [{ ActionGroupName: 'g', ActionGroupExecutor: { Lambda: { 'Fn::GetAtt': ['Fn', 'Arn'] } } }] },
      };
      const run = validate(plainApi(lambdaIntegration, { Fn: fn(), FnRole: role('logs:*'), Agent: agent }));
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    });

    test('an HTTP integration to a third-party model API', () => {
      const run = validate(plainApi({ Type: 'HTTP_PROXY', IntegrationHttpMethod: 'POST', Uri: 'https://api.openai.com/v1/chat/completions' }));
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    });

    test('an API whose OpenAPI Body integrates with SageMaker or a model-invoking Lambda, with no Method resources', () => {
      const bodyApi = (integration: Record<string, unknown>, extra: Resources = {}) => validate({
        Resources: {
          ...restApi({ Body: { openapi: '3.0.1', info: { title: 'inference', version: '1' }, paths: { '/invoke': { post: { 'x-amazon-apigateway-integration': integration } } } } }),
          ...extra,
        },
      });
      const sagemaker = bodyApi({ type: 'aws', httpMethod: 'POST', uri: 'arn:aws:apigateway:eu-west-2:runtime.sagemaker:path//endpoints/fraud/invocations' });
      expect(verdictOf(sagemaker, 'P14', 'Stage')).toBe('non-compliant');
      expect(sagemaker.of('P14')[0].message).toMatch(/AWS::ApiGateway::RestApi Api: its OpenAPI Body's integration URI .* calls SageMaker or Bedrock/);
      const viaLambda = bodyApi({ type: 'aws_proxy', httpMethod: 'POST', uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' } },
        { Fn: fn(), FnRole: role('bedrock:InvokeModel') });
      expect(verdictOf(viaLambda, 'P14', 'Stage')).toBe('non-compliant');
      const plain = bodyApi({ type: 'http_proxy', httpMethod: 'GET', uri: 'https://example.com/status' });
      expect(verdictOf(plain, 'P14', 'Stage')).toBe('none');
    });

    test('a stage tagged ai:asset=true', () => {
      const run = validate({
        Resources: {
          ...restApi(),
          Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', Tags: [{ Key: 'ai:asset', Value: 'true' }] } },
        },
      });
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
      expect(run.of('P14')[0].message).toMatch(/tagged ai:asset=true/);
    });

    test('not applicable: a plain Lambda, even with an administrator wildcard', () => {
      const run = validate(plainApi(lambdaIntegration, { Fn: fn(), FnRole: role('*') }));
      expect(verdictOf(run, 'P14', 'Stage')).toBe('none');
      expect(run.tally('P14')).toMatchObject({ notApplicable: 2, nonCompliant: 0 });
    });

    test('an API whose RestApiId is imported is matched to its methods by the same import', () => {
      const run = validate({
        Resources: {
          Method: { ...method({ Type: 'AWS', Uri: SAGEMAKER_URI }), Properties: { ...method({ Type: 'AWS', Uri: SAGEMAKER_URI }).Properties, RestApiId: imported('api-id') } },
          Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: imported('api-id'), DeploymentId: 'abc', StageName: 'prod' } },
        },
      });
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
    });
  });

  describe('implicit stages and HTTP APIs', () => {
    test('a Deployment with StageName is a stage', () => {
      const resources = sagemakerApi();
      delete resources.Stage;
      const run = validate({
        Resources: { ...resources, Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } } },
      });
      expect(verdictOf(run, 'P14', 'Deployment')).toBe('non-compliant');
      const protectedRun = validate({
        Resources: {
          ...resources,
          Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
          Acl: acl([RATE_RULE]),
          Assoc: association(undefined, stageArn(undefined, 'prod')),
        },
      });
      expect(verdictOf(protectedRun, 'P14', 'Deployment')).toBe('none');
    });

    const httpApi = (apiProperties: Record<string, unknown> = {}, extra: Resources = {}): Resources => ({
      Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'chat', ProtocolType: 'HTTP', ...apiProperties } },
      Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' } },
      Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeploy: true } },
      Fn: fn(),
      FnRole: role('bedrock:InvokeModelWithResponseStream'),
      ...extra,
    });
    const distribution = {
      Type: 'AWS::CloudFront::Distribution',
      Properties: {
        DistributionConfig: {
          Enabled: true,
          WebACLId: { 'Fn::GetAtt': ['EdgeAcl', 'Arn'] },
          Origins: [{ Id: 'api', DomainName: { 'Fn::Sub': '${Api}.execute-api.${AWS::Region}.amazonaws.com' }, CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } }],
          DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'https-only' },
        },
      },
    };

    test('an HTTP API stage: WAF cannot attach, so without CloudFront it is non-compliant', () => {
      const run = validate({ Resources: httpApi() });
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
      expect(run.of('P14')[0].message).toMatch(/HTTP\/WebSocket API stage/);
    });

    test('an HTTP API behind CloudFront with a rate-limited web ACL and the execute-api endpoint disabled is compliant', () => {
      const run = validate({ Resources: httpApi({ DisableExecuteApiEndpoint: true }, { Edge: distribution, EdgeAcl: acl([RATE_RULE], 'CLOUDFRONT') }) });
      expect(verdictOf(run, 'P14', 'Stage')).toBe('none');
    });

    test('behind CloudFront but with the execute-api endpoint still enabled: bypassable', () => {
      const run = validate({ Resources: httpApi({}, { Edge: distribution, EdgeAcl: acl([RATE_RULE], 'CLOUDFRONT') }) });
      expect(verdictOf(run, 'P14', 'Stage')).toBe('non-compliant');
      expect(run.of('P14')[0].message).toMatch(/DisableExecuteApiEndpoint/);
    });
  });

  test('malformed values never throw', () => {
    const run = validate({
      Resources: {
        ...sagemakerApi(),
        Acl: acl(['not-a-rule', { Statement: 'x' }, { Statement: { RuleGroupReferenceStatement: 5 } }]),
        Assoc: association(undefined, 42),
        Other: association(7, { 'Fn::Join': ['', ['/restapis/', imported('x'), '/stages/']] }),
      },
    });
    expect(run.tally('P14').errors).toBe(0);
  });
});
