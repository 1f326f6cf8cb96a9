import { TemplateFixture, ifElse, imported, validate, verdictOf } from '../../harness';

type Resources = TemplateFixture['Resources'];

const GROUNDING = { Type: 'GROUNDING', Threshold: 0.75 };
const RELEVANCE = { Type: 'RELEVANCE', Threshold: 0.5 };
const guardrail = (filters: unknown) => ({
  Type: 'AWS::Bedrock::Guardrail',
  Properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', ContextualGroundingPolicyConfig: filters === undefined ? undefined : { FiltersConfig: filters } },
});
const KBS = [{ KnowledgeBaseId: { 'Fn::GetAtt': ['Kb', 'KnowledgeBaseId'] }, Description: 'policies' }];
const agent = (knowledgeBases: unknown = KBS, identifier: unknown = { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] }) => ({
  Type: 'AWS::Bedrock::Agent',
  Properties: { AgentName: 'a', KnowledgeBases: knowledgeBases, GuardrailConfiguration: { GuardrailIdentifier: identifier, GuardrailVersion: '1' } },
});
const KB = { Type: 'AWS::Bedrock::KnowledgeBase', Properties: { Name: 'kb', RoleArn: 'arn:aws:iam::111122223333:role/kb' } };
const run = (filters: unknown, resources: Resources = {}, props?: Parameters<typeof validate>[1], parameters?: TemplateFixture['Parameters']) =>
  validate({ Parameters: parameters, Resources: { Kb: KB, Agent: agent(), Guardrail: guardrail(filters), ...resources } }, props);

describe('D6 guardrails of retrieval-augmented agents check grounding and relevance', () => {
  test('compliant: both filters at or above the threshold', () => {
    const result = run([GROUNDING, RELEVANCE]);
    expect(verdictOf(result, 'D6', 'Guardrail')).toBe('none');
    expect(result.tally('D6')).toMatchObject({ compliant: 1 });
    expect(verdictOf(run([{ ...GROUNDING, Threshold: '0.9', Enabled: true, Action: 'BLOCK' }, RELEVANCE]), 'D6', 'Guardrail')).toBe('none');
  });

  test('not applicable: a guardrail used by no agent with knowledge bases', () => {
    const noKb = run(undefined, { Agent: agent([]) });
    expect(verdictOf(noKb, 'D6', 'Guardrail')).toBe('none');
    expect(noKb.tally('D6')).toMatchObject({ notApplicable: 1 });
    expect(run(undefined, { Agent: { Type: 'AWS::SNS::Topic' } }).tally('D6')).toMatchObject({ notApplicable: 1 });
    // An agent whose guardrail is outside the app says nothing about this guardrail.
    expect(run(undefined, { Agent: agent(KBS, 'arn:aws:bedrock:eu-west-2:111122223333:guardrail/abc') }).tally('D6')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: no grounding policy names both filters and the agent', () => {
    const result = run(undefined);
    expect(verdictOf(result, 'D6', 'Guardrail')).toBe('non-compliant');
    expect(result.of('D6')[0]).toMatchObject({ ruleName: 'SecureAI-D6', level: 'warning', locations: ['Properties.ContextualGroundingPolicyConfig.FiltersConfig'] });
    expect(result.of('D6')[0].message).toMatch(/GROUNDING has no filter; RELEVANCE has no filter.*agent Agent/);
  });

  test('non-compliant: a filter missing, below the threshold, disabled or detect-only', () => {
    const cases: Array<[unknown[], RegExp]> = [
      [[GROUNDING], /RELEVANCE has no filter/],
      [[RELEVANCE], /GROUNDING has no filter/],
      [[{ ...GROUNDING, Threshold: 0.2 }, RELEVANCE], /GROUNDING has Threshold 0.2, below 0.5/],
      [[GROUNDING, { ...RELEVANCE, Threshold: undefined }], /RELEVANCE has Threshold absent/],
      [[{ ...GROUNDING, Enabled: false }, RELEVANCE], /GROUNDING has Enabled false/],
      [[GROUNDING, { ...RELEVANCE, Action: 'NONE' }], /RELEVANCE has Action "NONE" \(detect only\)/],
    ];
    for (const [filters, message] of cases) {
      const result = run(filters);
      expect(verdictOf(result, 'D6', 'Guardrail')).toBe('non-compliant');
      expect(result.of('D6')[0].message).toMatch(message);
    }
  });

  test('the threshold is the pack parameter minimumGroundingThreshold', () => {
    expect(verdictOf(run([GROUNDING, RELEVANCE], {}, { minimumGroundingThreshold: 0.8 }), 'D6', 'Guardrail')).toBe('non-compliant');
    expect(run([GROUNDING, RELEVANCE], {}, { minimumGroundingThreshold: 0.8 }).of('D6')[0].message).toMatch(/below 0.8/);
    expect(verdictOf(run([{ ...GROUNDING, Threshold: 0.3 }, { ...RELEVANCE, Threshold: 0.3 }], {}, { minimumGroundingThreshold: 0.3 }), 'D6', 'Guardrail')).toBe('none');
  });

  test('flows: a KnowledgeBase node that attaches the guardrail makes it applicable', () => {
    const flow = {
      Type: 'AWS::Bedrock::Flow',
      Properties: {
        Name: 'f',
        ExecutionRoleArn: 'arn:aws:iam::111122223333:role/f',
        Definition: { Nodes: [{ Name: 'Lookup', Type: 'KnowledgeBase', Configuration: { KnowledgeBase: { KnowledgeBaseId: 'kb', GuardrailConfiguration: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailArn'] }, GuardrailVersion: '1' } } } }] },
      },
    };
    const result = run(undefined, { Agent: flow });
    expect(verdictOf(result, 'D6', 'Guardrail')).toBe('non-compliant');
    expect(result.of('D6')[0].message).toMatch(/KnowledgeBase node "Lookup" of flow Agent/);
  });

  test('the guardrail is found through a guardrail version the agent names', () => {
    const version = { Type: 'AWS::Bedrock::GuardrailVersion', Properties: { GuardrailIdentifier: { 'Fn::GetAtt': ['Guardrail', 'GuardrailId'] } } };
    const result = run(undefined, { Version: version, Agent: agent(KBS, { 'Fn::GetAtt': ['Version', 'GuardrailId'] }) });
    expect(verdictOf(result, 'D6', 'Guardrail')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If on the threshold; a parameter threshold; knowledge bases chosen by a condition', () => {
    const conditional = run([{ ...GROUNDING, Threshold: ifElse(0.8, 0.1) }, RELEVANCE]);
    expect(verdictOf(conditional, 'D6', 'Guardrail')).toBe('non-compliant');
    expect(conditional.of('D6')[0].message).toMatch(/possible forms/);
    const param = (Default: number) => run([{ ...GROUNDING, Threshold: { Ref: 'Threshold' } }, RELEVANCE], {}, undefined, { Threshold: { Default } });
    expect(verdictOf(param(0.7), 'D6', 'Guardrail')).toBe('none');
    expect(verdictOf(param(0.1), 'D6', 'Guardrail')).toBe('non-compliant');
    // One form of the agent retrieves from a knowledge base: the guardrail must ground.
    expect(verdictOf(run(undefined, { Agent: agent(ifElse(KBS, [])) }), 'D6', 'Guardrail')).toBe('non-compliant');
  });

  test('unverifiable: imported filters, or knowledge bases of the agent imported', () => {
    const filters = run(imported('filters'));
    expect(verdictOf(filters, 'D6', 'Guardrail')).toBe('unverifiable');
    expect(filters.of('D6')[0].ruleName).toBe('SecureAI-D6[unverifiable]');
    const kbs = run(undefined, { Agent: agent(imported('kbs')) });
    expect(verdictOf(kbs, 'D6', 'Guardrail')).toBe('unverifiable');
    expect(kbs.of('D6')[0].message).toMatch(/knowledge bases of agent Agent are not known/);
  });
});
