import * as fs from 'fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { cfnLintErrors } from './app-synthesis';
import { synthesizedTemplates } from './cfn-lint';
import { buildAssistant, registerPacks } from '../../examples/generative-ai-assistant/app';
import { GenerativeAiAssistantStack } from '../../examples/generative-ai-assistant/assistant-stack';
import { FailOn, SecureAiChecks } from '../../src/nag/secure-ai-checks';
import { SecureAiReport } from '../../src/report/secure-ai-report';
import { entriesOfKind, missingFromBom, readBom, schemaErrors } from '../bom/bom-expectations';
import { canaryFindings, checkCompliance, ComplianceResult, isReasoned, openPluginViolations, passedSynthesis, silentPacks } from '../compliance';
import { unknownIamNames } from '../iam-reference';
import { foreignRules, mermaidBlock, mermaidProblems, readThreatModel, threatsWithoutControlOrOpenItem } from '../threats/threat-expectations';

const ENV_CONTEXT = { account: '111111111111', region: 'eu-west-2' };

describe('examples/generative-ai-assistant', () => {
  // One synthesis for the whole file, as app.ts does it: its packs registered, the CDK's template validation on.
  let result: ComplianceResult;
  beforeAll(() => {
    result = checkCompliance((app) => {
      buildAssistant(app);
    }, '', { register: registerPacks, context: ENV_CONTEXT, templateValidation: true });
  }, 240_000);
  afterAll(() => result && fs.rmSync(result.outdir, { recursive: true, force: true }));

  test('passes SecureAI, AwsSolutions, NIST 800-53 R5, HIPAA, PCI and Control Tower with reasoned acknowledgments only, none of SecureAI', () => {
    expect(result.summary).toEqual([]);
    expect(result.acknowledgments.filter((a) => !isReasoned(a.reason))).toEqual([]);
    expect(result.acknowledgments.filter((a) => a.id.includes('SecureAI'))).toEqual([]);
    expect(silentPacks(canaryFindings())).toEqual([]);
  });

  describe('synthesized as app.ts does, with the CDK\'s template validation on', () => {
    let outdir: string;
    let report: SecureAiReport;
    beforeAll(() => {
      outdir = passedSynthesis(result);
      report = SecureAiReport.fromCloudAssembly(outdir);
    });

    test('the SecureAI report is clean, and the generative-AI rules are judged compliant, not skipped', () => {
      const json = JSON.parse(report.toJson());
      expect(report.failsPolicy()).toBe(false);
      expect(json.summary.openFindings).toEqual({ total: 0, error: 0, warning: 0 });
      expect(json.summary.rules['non-compliant']).toBe(0);
      const tallies = json.tallies as Array<{ ruleId: string; compliant: number }>;
      const compliant = new Set(tallies.filter((r) => r.compliant > 0).map((r) => r.ruleId));
      for (const rule of ['D3', 'D4', 'D5', 'D7', 'D10', 'D14', 'D17', 'V1', 'V13', 'V14', 'V15', 'V16', 'P12', 'P13', 'P21', 'O4', 'O6', 'O7']) {
        expect([rule, compliant.has(rule)]).toEqual([rule, true]);
      }
    });

    test('no plugin reports an open violation (the template validation included)', () => {
      expect(openPluginViolations(outdir)).toEqual([]);
    });

    test('its AI bill of materials is valid CycloneDX 1.7 and lists its generative AI resources: guardrail, knowledge base, AgentCore runtime', async () => {
      const { json, bom } = readBom(outdir);
      expect(await schemaErrors(json)).toBeNull();
      expect(missingFromBom(outdir, bom)).toEqual([]);
      for (const kind of ['guardrail', 'knowledge-base', 'agent-runtime', 'foundation-model']) {
        expect({ kind, listed: entriesOfKind(bom, kind).length > 0 }).toEqual({ kind, listed: true });
      }
    });

    test('its threat model gives the runtime and the guardrail their generative AI threats with the rules that control them', () => {
      const { model, markdown } = readThreatModel(outdir);
      expect(threatsWithoutControlOrOpenItem(model)).toEqual([]);
      expect(foreignRules(model)).toEqual([]);
      expect(mermaidProblems(mermaidBlock(markdown))).toEqual([]);
      const controls = (kind: string, threat: string) => [...new Set(model.assets.filter((a) => a.kind === kind)
        .flatMap((a) => a.threats.find((t) => t.id === threat)?.controls.map((c) => c.ruleId) ?? []))].sort();
      expect(controls('agent-runtime', 'excessive-agency')).toEqual(expect.arrayContaining(['P13']));
      expect(controls('guardrail', 'prompt-injection')).toEqual(expect.arrayContaining(['D3']));
    });

    test('every IAM action and condition key exists in the Service Authorization Reference', async () => {
      const templates = synthesizedTemplates(outdir).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
      expect(await unknownIamNames(templates)).toEqual([]);
    });

    test('cfn-lint finds no error in its templates (skipped where cfn-lint is not installed)', () => {
      const errors = cfnLintErrors(outdir, ENV_CONTEXT.region);
      if (errors !== undefined) expect(errors).toEqual([]);
    }, 180_000);
  });

  describe('each secure default removed once: the SecureAI rule that guards it fires', () => {
    /** The rules that fire on the assistant after `tamper`, and on the resources named. */
    function findingsAfter(tamper: (stack: GenerativeAiAssistantStack) => void): string[] {
      const app = new App({ context: ENV_CONTEXT });
      const stack = buildAssistant(app);
      tamper(stack);
      app.synth();
      return new SecureAiChecks({ failOn: FailOn.WARNING }).validateScope(stack).violations
        .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName.trim()} ${r.constructPath ?? r.resourceLogicalId}`));
    }

    test('as built: no finding', () => {
      expect(findingsAfter(() => undefined)).toEqual([]);
    });

    test('guardrail: model calls without the guardrail condition fire D17 on the agent\'s policy', () => {
      const findings = findingsAfter((stack) => {
        const policy = stack.assistant.role.node.findChild('DefaultPolicy') as iam.Policy;
        const statements = stack.resolve(policy.document.toJSON()).Statement as Array<{ Action: unknown }>;
        const index = statements.findIndex((s) => JSON.stringify(s.Action).includes('bedrock:InvokeModel'));
        (policy.node.defaultChild as iam.CfnPolicy).addPropertyDeletionOverride(`PolicyDocument.Statement.${index}.Condition`);
      });
      expect(findings).toEqual(['SecureAI-D17 CustomerAssistant/Assistant/Role/DefaultPolicy/Resource']);
    });

    test('guardrail: its prompt-attack filter below HIGH fires D3 on the guardrail', () => {
      expect(findingsAfter((stack) => stack.guardrail.guardrail.addPropertyOverride('ContentPolicyConfig.FiltersConfig.0.InputStrength', 'LOW')))
        .toEqual(['SecureAI-D3 CustomerAssistant/Guardrail/Resource']);
    });

    test('authorizer: the external agent without its JWT authorizer fires D14 on the runtime', () => {
      expect(findingsAfter((stack) => stack.assistant.runtime.addPropertyDeletionOverride('AuthorizerConfiguration')))
        .toEqual(['SecureAI-D14 CustomerAssistant/Assistant/Resource']);
    });

    test('VPC mode: the runtime on the public network fires P13 on the runtime', () => {
      expect(findingsAfter((stack) => stack.assistant.runtime.addPropertyOverride('NetworkConfiguration', { NetworkMode: 'PUBLIC' })))
        .toEqual(['SecureAI-P13 CustomerAssistant/Assistant/Resource']);
    });

    test('key: the guardrail, the gateway, the data source and the vector store without their keys fire P12 on each', () => {
      expect(findingsAfter((stack) => {
        stack.guardrail.guardrail.addPropertyDeletionOverride('KmsKeyArn');
        stack.tools.gateway.addPropertyDeletionOverride('KmsKeyArn');
        stack.knowledgeBase.dataSource.addPropertyDeletionOverride('ServerSideEncryptionConfiguration');
        stack.knowledgeBase.vectorBucket.addPropertyOverride('EncryptionConfiguration', { SseType: 'AES256' });
      }).sort()).toEqual([
        'SecureAI-P12 CustomerAssistant/Guardrail/Resource',
        'SecureAI-P12 CustomerAssistant/Policies/DataSource',
        'SecureAI-P12 CustomerAssistant/Policies/VectorBucket',
        'SecureAI-P12 CustomerAssistant/Tools/Resource',
      ]);
    });

    test('logging: without model-invocation logging, O7 fires once for the account and Region, naming every resource that makes Bedrock invoke models', () => {
      const findings = findingsAfter((stack) => {
        // The logging custom resource's call is gone: nothing turns invocation logging on.
        const resource = stack.logging.resource.node.defaultChild as unknown as { addPropertyDeletionOverride(p: string): void };
        resource.addPropertyDeletionOverride('Create');
        resource.addPropertyDeletionOverride('Update');
      });
      expect(findings.filter((f) => f.startsWith('SecureAI-O7'))).toEqual(['SecureAI-O7 CustomerAssistant/Guardrail/Resource']);
    });
  });

  test('the example\'s template: the agent in VPC mode with a JWT authorizer, its endpoint on the deployed version', () => {
    const t = Template.fromStack(buildAssistant(new App({ context: ENV_CONTEXT })));
    t.hasResourceProperties('AWS::BedrockAgentCore::Runtime', {
      NetworkConfiguration: { NetworkMode: 'VPC' },
      AuthorizerConfiguration: { CustomJWTAuthorizer: { DiscoveryUrl: 'https://login.example.com/.well-known/openid-configuration', AllowedClients: ['customer-web'] } },
    });
    t.resourceCountIs('Custom::ModelInvocationLogging', 1);
    t.resourceCountIs('AWS::Bedrock::GuardrailVersion', 1);
    t.resourceCountIs('AWS::Bedrock::Agent', 0);
  });
});
