import { App } from 'aws-cdk-lib';
import { stackOf, TemplateFixture, ValidationRun, verdictOf } from './harness';
import { SecureAiChecks, SecureAiChecksProps } from '../../src/nag/secure-ai-checks';
import { SecureAiReport } from '../../src/report/secure-ai-report';

/*
 * The attack: an app's authors switch the account-level rules off themselves, from their own cdk.json
 * (`ai:org-trail`, `ai:invocation-logging`, `ai:enforced-guardrail` set to org-managed) and from an AiEnvironment's
 * organizationTrail (template metadata), without any such control existing. A security team that registers the pack on
 * that app sets `allowAppDeclarations: false`: the rules are judged again, and the report says what it refused.
 */

const LONDON = { account: '111122223333', region: 'eu-west-2' };
const SILENCING_CONTEXT = { 'ai:org-trail': 'org-managed', 'ai:invocation-logging': 'org-managed', 'ai:enforced-guardrail': 'org-managed' };
const MODEL_ARN = 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0';

const APP: TemplateFixture = {
  Resources: {
    // What AiEnvironment's organizationTrail renders, with a reason and nothing behind it.
    Vpc: {
      Type: 'AWS::EC2::VPC',
      Properties: { CidrBlock: '10.0.0.0/16' },
      Metadata: { 'cdk-secure-ai:organization-trail': { trailArn: 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org', reason: 'trust us' } },
    },
    Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'support', FoundationModel: 'amazon.nova-pro-v1:0' } },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
    },
    // Invokes a model directly with no guardrail condition: D17, unless an enforced guardrail is declared.
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: MODEL_ARN }] } },
    },
  },
};

/** The app, with its authors' context, and with or without the organisation trail its VPC declares. */
function appWith(context: Record<string, string>, declaresTrail = true): App {
  const app = new App({ autoSynth: false, context });
  const { Vpc, ...others } = APP.Resources;
  stackOf({ Resources: declaresTrail ? APP.Resources : others }, app, 'Ai', { env: LONDON });
  return app;
}

const run = (app: App, props?: SecureAiChecksProps) => new ValidationRun(new SecureAiChecks(props).validateScope(app));
const SILENCED = ['P20', 'P21', 'O7', 'D17'];
const reported = (result: ValidationRun) => SILENCED.filter((id) => result.of(id).length > 0);

describe('allowAppDeclarations', () => {
  test('the app\'s own declarations settle P20, P21, O7 and D17 by default', () => {
    expect(reported(run(appWith(SILENCING_CONTEXT)))).toEqual([]);
    // Without them, each rule reports: the declarations are what silences them.
    expect(reported(run(appWith({}, false)))).toEqual(SILENCED);
  });

  test('false: what the app declares for itself settles nothing, and each rule judges as if it were not there', () => {
    const refused = run(appWith(SILENCING_CONTEXT), { allowAppDeclarations: false });
    expect(reported(refused)).toEqual(SILENCED);
    expect(verdictOf(refused, 'P20', 'Agent')).toBe('unverifiable');
    expect(refused.of('P20')[0].message).toMatch(/no CloudTrail trail of the app records that account and Region/);
    expect(verdictOf(refused, 'D17', 'Policy')).toBe('non-compliant');
    // The metadata alone, without the context, is refused as well.
    expect(verdictOf(run(appWith({}), { allowAppDeclarations: false }), 'P20', 'Agent')).toBe('unverifiable');
  });

  test('false: the pack\'s own props still settle, and the app\'s whole-app scope, which only widens, still holds', () => {
    const orgManaged = { auditTrail: 'organisation trail in the audit account', invocationLogging: 'central logging', enforcedGuardrail: 'org guardrail' };
    expect(reported(run(appWith(SILENCING_CONTEXT), { allowAppDeclarations: false, orgManaged }))).toEqual([]);
    const widened = new App({ autoSynth: false, context: { 'ai:system': 'whole-app' } });
    stackOf({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }, widened, 'Data', { env: LONDON });
    // A plain bucket is an AI asset only because the app declares the whole app the AI system: V7 judges its public access.
    expect(verdictOf(run(widened, { allowAppDeclarations: false }), 'V7', 'Bucket')).toBe('non-compliant');
  });

  test('every report format lists the refused declarations as refused, and the ones it took as taken', () => {
    const report = SecureAiReport.fromPluginReport(new SecureAiChecks({ allowAppDeclarations: false, orgManaged: { enforcedGuardrail: 'org guardrail' } })
      .validateScope(appWith(SILENCING_CONTEXT)));
    const declarations = JSON.parse(report.toJson()).summary.declarations;
    expect(declarations.map((d: { declared: string; source: string; refused: boolean }) => [d.declared, d.source, d.refused])).toEqual([
      ['orgManaged.auditTrail', 'cdk-context', true],
      ['orgManaged.invocationLogging', 'cdk-context', true],
      ['orgManaged.enforcedGuardrail', 'pack-props', false],
      ['organizationTrail', 'template-metadata', true],
    ]);
    expect(JSON.parse(report.toSarif()).runs[0].properties.secureAi.declarations).toEqual(declarations);
    expect(report.toMarkdown()).toContain('| `orgManaged.auditTrail` | context `ai:org-trail` | the app | (none given) | '
      + 'none: refused (allowAppDeclarations: false); SecureAI-P20, SecureAI-P21 were judged |');
  });

  test('a value that is not a boolean stops the pack with the prop, the value and the fix', () => {
    expect(() => new SecureAiChecks({ allowAppDeclarations: 'no' as unknown as boolean }))
      .toThrow(/SecureAiChecks: allowAppDeclarations is "no"\. Fix: set it to false .*or leave it unset/);
  });
});
