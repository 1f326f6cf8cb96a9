// The IAM actions that invoke a model, an agent, a flow or a knowledge base. The pack's least-privilege rule (D10)
// judges who may call them, and scripts/write-action-resource-types.ts reads this list to generate the resource types
// each one applies to (action-resource-types.ts).

/** Actions that invoke a model, an agent, a flow or a knowledge base, by service (names as IAM spells them). */
export const MODEL_INVOKE_ACTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['bedrock', ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'InvokeAgent', 'InvokeInlineAgent',
    'Retrieve', 'RetrieveAndGenerate', 'RetrieveAndGenerateStream', 'InvokeFlow']],
  ['sagemaker', ['InvokeEndpoint', 'InvokeEndpointAsync', 'InvokeEndpointWithResponseStream']],
  ['bedrock-agentcore', ['InvokeAgentRuntime']],
];

/** The same actions as `service:Action` strings. */
export const MODEL_INVOKE_ACTION_NAMES: readonly string[] = MODEL_INVOKE_ACTIONS.flatMap(([service, actions]) => actions.map((a) => `${service}:${a}`));
