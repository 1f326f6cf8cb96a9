import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { composition, ENV, logicalId } from './fixture';
import { AiGuardrail, AiGuardrailProps } from '../../src/generative-ai/ai-guardrail';
import { BedrockModel } from '../../src/generative-ai/bedrock-model';
import { BLOCKED_PII, PERSONAL_PII } from '../../src/generative-ai/guardrail-policies';
import { ContentFilterStrength, PiiEntity, SensitiveInformationAction } from '../../src/generative-ai/guardrail-types';
import { ModelInvocationLogging } from '../../src/generative-ai/model-invocation-logging';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { DataClassification } from '../../src/storage/data-classification';
import { backUpAiStores, canaryFindings, checkCompliance, isReasoned, silentPacks } from '../compliance';
import { unknownIamNames } from '../iam-reference';

const TOPIC = { name: 'Investment advice', definition: 'Recommendations to buy, sell or hold securities or other investments.', examples: ['Should I buy shares in ACME?'] };
const CLAUDE = BedrockModel.inferenceProfile('eu.anthropic.claude-3-7-sonnet-20250219-v1:0');

function guardrailFixture(props: AiGuardrailProps = {}) {
  const { stack, environment } = composition();
  const guardrail = new AiGuardrail(stack, 'Guardrail', props);
  return { stack, environment, guardrail, template: () => Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string; Metadata?: any }>;
const only = (t: Template, type: string) => {
  const found = Object.values(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties;
};

describe('AiGuardrail defaults', () => {
  let stack: Stack;
  let guardrail: AiGuardrail;
  let t: Template;
  let resources: Resources;
  let props: any;
  let policy: any[];
  beforeAll(() => {
    const f = guardrailFixture();
    stack = f.stack;
    guardrail = f.guardrail;
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guardrail.grantInvokeModels(role, [CLAUDE]);
    t = f.template();
    resources = t.toJSON().Resources;
    props = only(t, 'AWS::Bedrock::Guardrail');
    policy = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(t, 'AWS::IAM::Role', 'Caller') }] } }))[0]
      .Properties.PolicyDocument.Statement;
  });

  test('prompt attacks are blocked on inputs at HIGH (outputs NONE, as Bedrock requires for this type)', () => {
    expect(props.ContentPolicyConfig.FiltersConfig).toContainEqual({
      Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE', InputAction: 'BLOCK', InputEnabled: true,
    });
  });

  test('hate, insults, sexual content, violence and misconduct are blocked on prompts and responses at HIGH', () => {
    const harmful = props.ContentPolicyConfig.FiltersConfig.filter((f: any) => f.Type !== 'PROMPT_ATTACK');
    expect(harmful.map((f: any) => f.Type)).toEqual(['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT']);
    for (const f of harmful) {
      expect(f).toEqual({
        Type: f.Type, InputStrength: 'HIGH', OutputStrength: 'HIGH', InputAction: 'BLOCK', OutputAction: 'BLOCK', InputEnabled: true, OutputEnabled: true,
      });
    }
  });

  test('credentials, card, account and national numbers are blocked; personal data is anonymised; both on prompts and responses', () => {
    const entities = props.SensitiveInformationPolicyConfig.PiiEntitiesConfig as any[];
    const actionOf = (type: string) => entities.find((e) => e.Type === type);
    for (const type of BLOCKED_PII) {
      expect(actionOf(type)).toEqual({ Type: type, Action: 'BLOCK', InputAction: 'BLOCK', OutputAction: 'BLOCK', InputEnabled: true, OutputEnabled: true });
    }
    for (const type of PERSONAL_PII) {
      expect(actionOf(type)).toEqual({ Type: type, Action: 'ANONYMIZE', InputAction: 'ANONYMIZE', OutputAction: 'ANONYMIZE', InputEnabled: true, OutputEnabled: true });
    }
    expect(entities).toHaveLength(BLOCKED_PII.length + PERSONAL_PII.length);
    expect(props.SensitiveInformationPolicyConfig.RegexesConfig).toBeUndefined();
  });

  test('responses are checked for grounding and relevance at 0.75, blocking', () => {
    expect(props.ContextualGroundingPolicyConfig.FiltersConfig).toEqual([
      { Type: 'GROUNDING', Threshold: 0.75, Action: 'BLOCK', Enabled: true },
      { Type: 'RELEVANCE', Threshold: 0.75, Action: 'BLOCK', Enabled: true },
    ]);
  });

  test('no denied topics unless given; no word filters; the user reads a neutral message', () => {
    expect(props.TopicPolicyConfig).toBeUndefined();
    expect(props.WordPolicyConfig).toBeUndefined();
    expect(props.BlockedInputMessaging).toBe('Sorry, I cannot help with that request.');
    expect(props.BlockedOutputsMessaging).toBe('Sorry, I cannot provide that answer.');
  });

  test('encrypted with a key of its own, rotated and retained, not the environment\'s data key', () => {
    const keyId = logicalId(t, 'AWS::KMS::Key', 'GuardrailKey');
    expect(props.KmsKeyArn).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(resources[keyId].DeletionPolicy).toBe('Retain');
  });

  test('a numbered version is published, and consumers get it, never the DRAFT', () => {
    const guardrailId = logicalId(t, 'AWS::Bedrock::Guardrail', 'Guardrail');
    const versionId = logicalId(t, 'AWS::Bedrock::GuardrailVersion', 'GuardrailVersion');
    expect(resources[versionId].Properties).toEqual({
      GuardrailIdentifier: { 'Fn::GetAtt': [guardrailId, 'GuardrailId'] },
      Description: expect.stringMatching(/^Published by Ai\/Guardrail; configuration [0-9a-f]{16}$/),
    });
    expect(stack.resolve(guardrail.guardrailVersion)).toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
    expect(stack.resolve(guardrail.guardrailArn)).toEqual({ 'Fn::GetAtt': [guardrailId, 'GuardrailArn'] });
  });

  test('no account-wide enforcement unless asked', () => {
    expect(t.findResources('AWS::Bedrock::EnforcedGuardrailConfiguration')).toEqual({});
  });

  test('an alarm on 20 interventions of the published version in 5 minutes notifies an encrypted, TLS-only topic', () => {
    const versionId = logicalId(t, 'AWS::Bedrock::GuardrailVersion', 'GuardrailVersion');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Bedrock/Guardrails',
      MetricName: 'InvocationsIntervened',
      Dimensions: Match.arrayWith([
        { Name: 'GuardrailArn', Value: { 'Fn::GetAtt': [logicalId(t, 'AWS::Bedrock::Guardrail', 'Guardrail'), 'GuardrailArn'] } },
        { Name: 'GuardrailVersion', Value: { 'Fn::GetAtt': [versionId, 'Version'] } },
      ]),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 20,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId(t, 'AWS::SNS::Topic', 'GuardrailAlarmTopic') }],
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'GuardrailAlarmTopicKey'), 'Arn'] } });
  });

  test('tagged with its classification and the environment\'s owner and stage', () => {
    expect(props.Tags).toEqual(expect.arrayContaining([
      { Key: 'DataClassification', Value: 'confidential' }, { Key: 'Owner', Value: 'assistant-team' }, { Key: 'Environment', Value: 'production' },
    ]));
  });

  test('grantInvokeModels: the named models only, only through this version, ApplyGuardrail on it and decryption with its key', () => {
    const versionId = logicalId(t, 'AWS::Bedrock::GuardrailVersion', 'GuardrailVersion');
    expect(policy).toEqual([
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${ENV.region}:${ENV.account}:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0`]] },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0']] },
        ],
        Condition: {
          StringEquals: {
            'bedrock:GuardrailIdentifier': { 'Fn::Join': ['', [{ 'Fn::GetAtt': [versionId, 'GuardrailArn'] }, ':', { 'Fn::GetAtt': [versionId, 'Version'] }]] },
          },
        },
      },
      { Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::Bedrock::Guardrail', 'Guardrail'), 'GuardrailArn'] } },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'GuardrailKey'), 'Arn'] } },
    ]);
  });

  test('every IAM action and condition key exists in the Service Authorization Reference', async () => {
    expect(await unknownIamNames(t.toJSON())).toEqual([]);
  });
});

describe('AiGuardrail options', () => {
  test('denied topics and external exposure: refused in prompts and responses, tagged ai:exposure=external', () => {
    const t = guardrailFixture({ deniedTopics: [TOPIC], externallyExposed: true }).template();
    const props = only(t, 'AWS::Bedrock::Guardrail');
    expect(props.TopicPolicyConfig).toEqual({
      TopicsConfig: [{
        Name: TOPIC.name,
        Definition: TOPIC.definition,
        Examples: TOPIC.examples,
        Type: 'DENY',
        InputAction: 'BLOCK',
        OutputAction: 'BLOCK',
        InputEnabled: true,
        OutputEnabled: true,
      }],
    });
    expect(props.Tags).toContainEqual({ Key: 'ai:exposure', Value: 'external' });
  });

  test('patterns, personal data blocked, more personal data, medium filters, thresholds, classification, alarm threshold', () => {
    const t = guardrailFixture({
      sensitivePatterns: [{ name: 'Customer number', pattern: 'CUST-[0-9]{8}', description: 'Our customer numbers' },
        { name: 'Ticket', pattern: 'TCK[0-9]+', action: SensitiveInformationAction.ANONYMIZE }],
      personalDataAction: SensitiveInformationAction.BLOCK,
      additionalPersonalData: [PiiEntity.URL, PiiEntity.PASSWORD],
      contentFilterStrength: ContentFilterStrength.MEDIUM,
      groundingThreshold: 0.9,
      relevanceThreshold: 0.5,
      dataClassification: DataClassification.RESTRICTED,
      interventionAlarmThreshold: 5,
    }).template();
    const props = only(t, 'AWS::Bedrock::Guardrail');
    expect(props.SensitiveInformationPolicyConfig.RegexesConfig).toEqual([
      { Name: 'Customer number', Pattern: 'CUST-[0-9]{8}', Description: 'Our customer numbers', Action: 'BLOCK', InputAction: 'BLOCK', OutputAction: 'BLOCK', InputEnabled: true, OutputEnabled: true },
      { Name: 'Ticket', Pattern: 'TCK[0-9]+', Action: 'ANONYMIZE', InputAction: 'ANONYMIZE', OutputAction: 'ANONYMIZE', InputEnabled: true, OutputEnabled: true },
    ]);
    const entities = props.SensitiveInformationPolicyConfig.PiiEntitiesConfig as any[];
    expect(entities.find((e) => e.Type === 'NAME').Action).toBe('BLOCK');
    expect(entities.find((e) => e.Type === 'URL').Action).toBe('BLOCK');
    // A secret named as personal data is still blocked, and listed once.
    expect(entities.filter((e) => e.Type === 'PASSWORD')).toHaveLength(1);
    expect(props.ContentPolicyConfig.FiltersConfig.filter((f: any) => f.Type !== 'PROMPT_ATTACK').every((f: any) => f.InputStrength === 'MEDIUM' && f.OutputStrength === 'MEDIUM')).toBe(true);
    expect(props.ContentPolicyConfig.FiltersConfig[0]).toMatchObject({ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH' });
    expect(props.ContextualGroundingPolicyConfig.FiltersConfig.map((f: any) => f.Threshold)).toEqual([0.9, 0.5]);
    expect(props.Tags).toContainEqual({ Key: 'DataClassification', Value: 'restricted' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5 });
  });

  test('account-wide enforcement of the published version, on every model, system prompts and messages in full', () => {
    const t = guardrailFixture({ enforceAccountWide: true }).template();
    const versionId = logicalId(t, 'AWS::Bedrock::GuardrailVersion', 'GuardrailVersion');
    expect(only(t, 'AWS::Bedrock::EnforcedGuardrailConfiguration')).toEqual({
      GuardrailIdentifier: { 'Fn::GetAtt': [versionId, 'GuardrailArn'] },
      GuardrailVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
      SelectiveContentGuarding: { Messages: 'COMPREHENSIVE', System: 'COMPREHENSIVE' },
    });
  });

  test('a key given is used instead of a new one', () => {
    const { stack } = composition();
    const key = new kms.Key(stack, 'GivenKey', { enableKeyRotation: true });
    new AiGuardrail(stack, 'Guardrail', { encryptionKey: key });
    const t = Template.fromStack(stack);
    expect(only(t, 'AWS::Bedrock::Guardrail').KmsKeyArn).toEqual({ 'Fn::GetAtt': [logicalId(t, 'AWS::KMS::Key', 'GivenKey'), 'Arn'] });
    expect(Object.keys(t.findResources('AWS::KMS::Key')).some((k) => k.startsWith('GuardrailKey'))).toBe(false);
  });

  test('a changed configuration publishes a new version; the same configuration keeps it', () => {
    const description = (props: AiGuardrailProps) => Object.values(guardrailFixture(props).template().findResources('AWS::Bedrock::GuardrailVersion'))[0]
      .Properties.Description;
    expect(description({})).toBe(description({}));
    expect(description({ groundingThreshold: 0.8 })).not.toBe(description({}));
    expect(description({ deniedTopics: [TOPIC] })).not.toBe(description({}));
  });

  test('grantInvokeModels with a foundation model and a model ARN', () => {
    const { stack, guardrail } = guardrailFixture();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guardrail.grantInvokeModels(role, [BedrockModel.foundationModel('amazon.nova-pro-v1:0'),
      BedrockModel.fromArn('arn:aws:bedrock:eu-west-2:111111111111:application-inference-profile/abc123')]);
    const statement = Template.fromStack(stack).toJSON().Resources;
    const doc = Object.values<any>(statement).find((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles[0].Ref.startsWith('Caller')).Properties.PolicyDocument;
    expect(doc.Statement[0].Resource).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0']] },
      'arn:aws:bedrock:eu-west-2:111111111111:application-inference-profile/abc123',
    ]);
  });
});

describe('AiGuardrail refuses bad props, naming the prop and the fix', () => {
  test('an externally exposed assistant without denied topics', () => {
    expect(() => guardrailFixture({ externallyExposed: true })).toThrow(/externallyExposed is true but deniedTopics is empty.*SecureAI-D7.*Fix:/);
  });

  test('topics: a bad name, a name twice, an empty or long definition, too many or long examples, more than 30', () => {
    expect(() => guardrailFixture({ deniedTopics: [{ ...TOPIC, name: 'No <script>' }] })).toThrow(/deniedTopics name 'No <script>' is not a topic name.*Fix:/);
    expect(() => guardrailFixture({ deniedTopics: [TOPIC, TOPIC] })).toThrow(/names 'Investment advice' twice/);
    expect(() => guardrailFixture({ deniedTopics: [{ ...TOPIC, definition: ' ' }] })).toThrow(/definition of denied topic 'Investment advice' is empty.*Fix:/);
    expect(() => guardrailFixture({ deniedTopics: [{ ...TOPIC, definition: 'x'.repeat(201) }] })).toThrow(/is 201 characters long/);
    expect(() => guardrailFixture({ deniedTopics: [{ ...TOPIC, examples: ['a', 'b', 'c', 'd', 'e', 'f'] }] })).toThrow(/at most 5 prompts/);
    expect(() => guardrailFixture({ deniedTopics: [{ ...TOPIC, examples: ['x'.repeat(101)] }] })).toThrow(/at most 5 prompts of 1 to 100/);
    const many = Array.from({ length: 31 }, (_, i) => ({ ...TOPIC, name: `Topic ${i}` }));
    expect(() => guardrailFixture({ deniedTopics: many })).toThrow(/has 31 topics; a guardrail takes at most 30/);
  });

  test('patterns: not a regular expression, matching the empty string, a name twice, more than 10', () => {
    expect(() => guardrailFixture({ sensitivePatterns: [{ name: 'Bad', pattern: 'CUST-[0-9' }] })).toThrow(/sensitivePatterns 'Bad' has pattern 'CUST-\[0-9', which is not a regular expression.*Fix:/);
    expect(() => guardrailFixture({ sensitivePatterns: [{ name: 'All', pattern: '.*' }] })).toThrow(/matches the empty string.*Fix:/);
    expect(() => guardrailFixture({ sensitivePatterns: [{ name: 'A', pattern: 'a+' }, { name: 'A', pattern: 'b+' }] })).toThrow(/name 'A' is empty, longer than 100 characters or given twice/);
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `P${i}`, pattern: `P${i}-[0-9]+` }));
    expect(() => guardrailFixture({ sensitivePatterns: many })).toThrow(/has 11 patterns; a guardrail takes at most 10/);
  });

  test('thresholds below the pack\'s minimum or above 0.99', () => {
    expect(() => guardrailFixture({ groundingThreshold: 0.3 })).toThrow(/groundingThreshold is 0.3, but it must be between 0.5 and 0.99.*SecureAI-D6.*Fix:/);
    expect(() => guardrailFixture({ relevanceThreshold: 1 })).toThrow(/relevanceThreshold is 1/);
    expect(() => guardrailFixture({ groundingThreshold: NaN })).toThrow(/groundingThreshold is NaN/);
  });

  test('a bad name, messages empty or too long, an alarm threshold below 1', () => {
    expect(() => guardrailFixture({ guardrailName: 'my guardrail' })).toThrow(/guardrailName 'my guardrail' is not a guardrail name.*Fix:/);
    expect(() => guardrailFixture({ blockedInputMessaging: '' })).toThrow(/blockedInputMessaging is empty.*Fix:/);
    expect(() => guardrailFixture({ blockedOutputsMessaging: 'x'.repeat(501) })).toThrow(/blockedOutputsMessaging is 501 characters long/);
    expect(() => guardrailFixture({ interventionAlarmThreshold: 0 })).toThrow(/interventionAlarmThreshold is 0.*Fix:/);
  });

  test('grantInvokeModels without a model', () => {
    const { stack, guardrail } = guardrailFixture();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => guardrail.grantInvokeModels(role, [])).toThrow(/grantInvokeModels was given no model.*Fix:/);
  });

  test('model IDs, profiles and ARNs that are not one model', () => {
    expect(() => BedrockModel.foundationModel('claude')).toThrow(/'claude' is not a Bedrock model ID.*Fix:/);
    expect(() => BedrockModel.inferenceProfile('anthropic.claude-3-7-sonnet-20250219-v1:0')).toThrow(/not a system-defined inference profile ID/);
    expect(() => BedrockModel.fromArn('arn:aws:bedrock:eu-west-2::foundation-model/*')).toThrow(/is not the ARN of one Bedrock model.*Fix:/);
    expect(() => BedrockModel.fromArn('arn:aws:s3:::bucket')).toThrow(/is not the ARN of one Bedrock model/);
  });
});

describe('AiGuardrail against the SecureAI pack', () => {
  /** The SecureAI findings of a guardrail whose rendered configuration `tamper` changed, as `<rule> <resource>`. */
  function findingsAfter(tamper: (guardrail: AiGuardrail) => void): string[] {
    const app = new App();
    const { stack, environment } = composition(app);
    const guardrail = new AiGuardrail(stack, 'Guardrail', { deniedTopics: [TOPIC], externallyExposed: true });
    new ModelInvocationLogging(stack, 'Logging', { environment });
    backUpAiStores(stack, environment);
    tamper(guardrail);
    // Synthesis applies the tags (aspects) that the pack reads.
    app.synth();
    return new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(stack).violations.map((v) => v.ruleName.trim());
  }

  test('as built: no finding', () => {
    expect(findingsAfter(() => undefined)).toEqual([]);
  });

  test.each([
    ['the prompt-attack filter lowered to MEDIUM', 'SecureAI-D3', (g: AiGuardrail) => g.guardrail.addPropertyOverride('ContentPolicyConfig.FiltersConfig.0.InputStrength', 'MEDIUM')],
    ['the output side of the hate filter switched off', 'SecureAI-D4', (g: AiGuardrail) => g.guardrail.addPropertyOverride('ContentPolicyConfig.FiltersConfig.1.OutputEnabled', false)],
    ['names only detected', 'SecureAI-D5', (g: AiGuardrail) => {
      const index = (g.guardrail.sensitiveInformationPolicyConfig as any).piiEntitiesConfig.findIndex((e: any) => e.type === 'NAME');
      g.guardrail.addPropertyOverride(`SensitiveInformationPolicyConfig.PiiEntitiesConfig.${index}.OutputAction`, 'NONE');
    }],
    ['the denied topics removed from an external assistant', 'SecureAI-D7', (g: AiGuardrail) => g.guardrail.addPropertyDeletionOverride('TopicPolicyConfig')],
    ['the key removed', 'SecureAI-P12', (g: AiGuardrail) => g.guardrail.addPropertyDeletionOverride('KmsKeyArn')],
    ['the alarm without action', 'SecureAI-O4', (g: AiGuardrail) => (g.interventionAlarm.node.defaultChild as any).addPropertyDeletionOverride('AlarmActions')],
  ])('%s: %s fires', (_what, rule, tamper) => {
    expect(findingsAfter(tamper)).toContain(rule);
  });
});

describe('AiGuardrail compliance', () => {
  test('a guardrail with invocation logging and a backup passes every pack, with reasoned acknowledgments only', () => {
    const result = checkCompliance((app) => {
      const { stack, environment } = composition(app);
      new AiGuardrail(stack, 'Guardrail', { deniedTopics: [TOPIC], externallyExposed: true, enforceAccountWide: true });
      new ModelInvocationLogging(stack, 'Logging', { environment });
      backUpAiStores(stack, environment);
    });
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI'))).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  test('in an environment-agnostic stack, the SecureAI pack at FailOn.WARNING finds nothing', () => {
    const app = new App();
    const { stack, environment } = composition(app, {}, {});
    new AiGuardrail(stack, 'Guardrail', { deniedTopics: [TOPIC], externallyExposed: true });
    new ModelInvocationLogging(stack, 'Logging', { environment });
    backUpAiStores(stack, environment);
    app.synth();
    const report = new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.description.slice(0, 200)}`)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
