import { App, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { TemplateFixture, ifElse, imported, validate, ValidationRun, verdictOf } from '../../harness';

const LAMBDA = { 'Fn::GetAtt': ['Executor', 'Arn'] };
const EXECUTOR = { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::111122223333:role/f', Code: { ZipFile: 'x' }, Handler: 'i.h', Runtime: 'python3.12' } };
const fn = (Name: string, RequireConfirmation?: unknown) => ({ Name, RequireConfirmation });
const functionGroup = (functions: unknown, extra: Record<string, unknown> = {}) => ({
  ActionGroupName: 'orders', ActionGroupExecutor: { Lambda: LAMBDA }, FunctionSchema: { Functions: functions }, ...extra,
});
const apiGroup = (payload: unknown) => ({ ActionGroupName: 'billing', ActionGroupExecutor: { Lambda: LAMBDA }, ApiSchema: { Payload: payload } });
const run = (groups: unknown, tags?: unknown, parameters?: TemplateFixture['Parameters']) => validate({
  Parameters: parameters,
  Resources: { Executor: EXECUTOR, Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'a', ActionGroups: groups, Tags: tags } } },
});
const openApi = (operations: Record<string, Record<string, unknown>>) => JSON.stringify({
  openapi: '3.0.0',
  info: { title: 'billing', version: '1' },
  paths: Object.fromEntries(Object.entries(operations).map(([path, op]) => [path, op])),
});

describe('D8 agent actions executed by Lambda require user confirmation', () => {
  test('compliant: every function requires confirmation', () => {
    const result = run([functionGroup([fn('cancelOrder', 'ENABLED'), fn('refund', 'enabled')])]);
    expect(verdictOf(result, 'D8', 'Agent')).toBe('none');
    expect(result.tally('D8')).toMatchObject({ compliant: 1 });
  });

  test('compliant: return of control, built-in action groups, disabled groups', () => {
    expect(verdictOf(run([functionGroup([fn('cancelOrder')], { ActionGroupExecutor: { CustomControl: 'RETURN_CONTROL' } })]), 'D8', 'Agent')).toBe('none');
    expect(verdictOf(run([functionGroup([fn('cancelOrder')], { ActionGroupState: 'DISABLED' })]), 'D8', 'Agent')).toBe('none');
    const userInput = run([{ ActionGroupName: 'UserInput', ParentActionGroupSignature: 'AMAZON.UserInput' }]);
    expect(userInput.tally('D8')).toMatchObject({ notApplicable: 1 });
  });

  test('not applicable: an agent without action groups', () => {
    expect(run(undefined).tally('D8')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: functions without confirmation (CloudFormation default DISABLED), one insecure of several', () => {
    const result = run([functionGroup([fn('cancelOrder', 'ENABLED'), fn('refund'), fn('close', 'DISABLED')])]);
    expect(verdictOf(result, 'D8', 'Agent')).toBe('non-compliant');
    expect(result.of('D8')[0]).toMatchObject({ ruleName: 'SecureAI-D8', level: 'warning', locations: ['Properties.ActionGroups'] });
    expect(result.of('D8')[0].message).toMatch(/action group "orders" runs refund \(RequireConfirmation absent\), close \(RequireConfirmation "DISABLED"\) without asking the user/);
    expect(result.of('D8')[0].message).not.toMatch(/cancelOrder/);
  });

  test('read-only functions are exempted one by one with a reasoned agent tag', () => {
    const groups = [functionGroup([fn('getOrder'), fn('refund')])];
    const oneExempt = run(groups, { 'ai:read-only:orders/getOrder': 'reads the order status only' });
    expect(oneExempt.of('D8')[0].message).toMatch(/runs refund/);
    expect(oneExempt.of('D8')[0].message).not.toMatch(/getOrder/);
    const bothExempt = run(groups, { 'ai:read-only:orders/getOrder': 'read', 'ai:read-only:orders/refund': 'read' });
    expect(verdictOf(bothExempt, 'D8', 'Agent')).toBe('none');
    // An empty reason exempts nothing.
    expect(run([functionGroup([fn('closeOrder')])], { 'ai:read-only:orders/closeOrder': ' ' }).of('D8')).toHaveLength(1);
  });

  test('OpenAPI JSON payload: each operation needs x-requireConfirmation ENABLED', () => {
    const confirmed = openApi({ '/invoices/{id}': { delete: { 'operationId': 'voidInvoice', 'x-requireConfirmation': 'ENABLED' } } });
    expect(verdictOf(run([apiGroup(confirmed)]), 'D8', 'Agent')).toBe('none');
    const partly = openApi({ '/invoices/{id}': { get: { 'operationId': 'getInvoice', 'x-requireConfirmation': 'ENABLED' }, delete: { operationId: 'voidInvoice' } } });
    const result = run([apiGroup(partly)]);
    expect(verdictOf(result, 'D8', 'Agent')).toBe('non-compliant');
    expect(result.of('D8')[0].message).toMatch(/action group "billing" runs voidInvoice \(x-requireConfirmation absent\)/);
    const noId = run([apiGroup(openApi({ '/pay': { post: { 'x-requireConfirmation': 'DISABLED' } } }))]);
    expect(noId.of('D8')[0].message).toMatch(/POST \/pay \(x-requireConfirmation "DISABLED"\)/);
    expect(verdictOf(run([apiGroup(partly)], { 'ai:read-only:billing/voidInvoice': 'test exemption' }), 'D8', 'Agent')).toBe('none');
  });

  test('read-only by what they are: OpenAPI GET, HEAD and OPTIONS operations, and searches, lookups and listings by name', () => {
    const reads = openApi({
      '/invoices/{id}': { get: { operationId: 'voidInvoiceView' }, head: {}, options: {} },
      '/invoices/search': { post: { operationId: 'searchInvoices' } },
    });
    expect(verdictOf(run([apiGroup(reads)]), 'D8', 'Agent')).toBe('none');
    const functions = run([functionGroup([fn('search_documents'), fn('getOrderStatus'), fn('list-orders'), fn('lookupCustomer'), fn('describeShipment')])]);
    expect(verdictOf(functions, 'D8', 'Agent')).toBe('none');
  });

  test('non-compliant: a read verb does not hide a write, and POST or DELETE is not read-only without a read name', () => {
    const result = run([functionGroup([fn('getAndDeleteOrder'), fn('searchAndCancel'), fn('get_refund'), fn('settle')])]);
    expect(result.of('D8')[0].message).toMatch(/runs getAndDeleteOrder \(RequireConfirmation absent\), searchAndCancel \(RequireConfirmation absent\), get_refund \(RequireConfirmation absent\), settle/);
    const writes = run([apiGroup(openApi({ '/invoices/{id}': { delete: { operationId: 'getInvoice' }, post: { operationId: 'updateInvoice' } } }))]);
    expect(writes.of('D8')[0].message).toMatch(/runs updateInvoice \(x-requireConfirmation absent\), getInvoice \(x-requireConfirmation absent\)/);
  });

  test('OpenAPI YAML payload: read by indentation', () => {
    const yaml = (confirm: string) => [
      'openapi: 3.0.0',
      'paths:',
      '  /invoices/{id}:',
      '    get:',
      '      operationId: getInvoice',
      '      x-requireConfirmation: ENABLED',
      '    delete:',
      '      operationId: voidInvoice',
      confirm,
      '      responses:',
      '        "200":',
      '          description: ok',
    ].join('\n');
    expect(verdictOf(run([apiGroup(yaml('      x-requireConfirmation: ENABLED'))]), 'D8', 'Agent')).toBe('none');
    const result = run([apiGroup(yaml('      summary: void it'))]);
    expect(verdictOf(result, 'D8', 'Agent')).toBe('non-compliant');
    expect(result.of('D8')[0].message).toMatch(/runs voidInvoice/);
    expect(result.of('D8')[0].message).not.toMatch(/getInvoice/);
  });

  test('a JSON payload built with Fn::Join around references is read', () => {
    const text = openApi({ '/x': { post: { operationId: 'doIt', description: '@REF@' } } });
    const [before, after] = text.split('@REF@');
    const joined = { 'Fn::Join': ['', [before, { Ref: 'Executor' }, after]] };
    expect(run([apiGroup(joined)]).of('D8')[0].message).toMatch(/runs doIt/);
  });

  test('intrinsic: Fn::If on a function\'s confirmation; parameter allowed values', () => {
    const conditional = run([functionGroup([fn('refund', ifElse('ENABLED', 'DISABLED'))])]);
    expect(verdictOf(conditional, 'D8', 'Agent')).toBe('non-compliant');
    expect(conditional.of('D8')[0].message).toMatch(/possible forms/);
    const param = (AllowedValues: string[]) => run([functionGroup([fn('refund', { Ref: 'Confirm' })])], undefined, { Confirm: { AllowedValues } });
    expect(verdictOf(param(['ENABLED']), 'D8', 'Agent')).toBe('none');
    expect(verdictOf(param(['ENABLED', 'DISABLED']), 'D8', 'Agent')).toBe('unverifiable');
  });

  test('intrinsic: a finding names the parameters of the unconfirmed actions, not those of the other groups', () => {
    const parameters = { SchemaBucket: { Default: 'schemas' }, Confirm: { Default: 'DISABLED' } };
    const other = { ActionGroupName: 'search', ActionGroupExecutor: { Lambda: LAMBDA }, ApiSchema: { S3: { S3BucketName: { Ref: 'SchemaBucket' }, S3ObjectKey: 'k' } } };
    const unrelated = run([functionGroup([fn('cancelOrder')]), other], undefined, parameters);
    expect(unrelated.of('D8')[0].message).toMatch(/^action group "orders" runs cancelOrder \(RequireConfirmation absent\) without asking the user: /);
    const own = run([functionGroup([fn('cancelOrder', { Ref: 'Confirm' })]), other], undefined, parameters);
    expect(own.of('D8')[0].message).toMatch(/^action group "orders" runs cancelOrder \(RequireConfirmation "DISABLED"\) without asking the user \(with the value of parameter Confirm\): /);
  });

  test('unverifiable: a schema in S3, an unreadable payload, imported action groups or functions', () => {
    const s3 = run([{ ActionGroupName: 'billing', ActionGroupExecutor: { Lambda: LAMBDA }, ApiSchema: { S3: { S3BucketName: 'b', S3ObjectKey: 'k' } } }]);
    expect(verdictOf(s3, 'D8', 'Agent')).toBe('unverifiable');
    expect(s3.of('D8')[0]).toMatchObject({ ruleName: 'SecureAI-D8[unverifiable]', level: 'warning' });
    expect(s3.of('D8')[0].message).toMatch(/in S3/);
    expect(verdictOf(run([apiGroup('{ not json')]), 'D8', 'Agent')).toBe('unverifiable');
    expect(verdictOf(run([apiGroup('just some text')]), 'D8', 'Agent')).toBe('unverifiable');
    expect(verdictOf(run([apiGroup(imported('schema'))]), 'D8', 'Agent')).toBe('unverifiable');
    expect(verdictOf(run(imported('groups')), 'D8', 'Agent')).toBe('unverifiable');
    expect(verdictOf(run([functionGroup(imported('functions'))]), 'D8', 'Agent')).toBe('unverifiable');
    expect(verdictOf(run([functionGroup([fn('refund', imported('confirm'))])]), 'D8', 'Agent')).toBe('unverifiable');
  });

  test('does not throw on malformed input', () => {
    for (const groups of [[null, 1, 'x'], [{ ActionGroupExecutor: 'lambda' }], [{ ActionGroupExecutor: { Lambda: LAMBDA }, FunctionSchema: { Functions: [null] } }],
      [apiGroup('{"paths": {"/a": null, "/b": {"get": 3}}}')], [apiGroup('x'.repeat(2_000_000))]]) {
      expect(run(groups).ids.filter((id) => id.includes('EngineError'))).toEqual([]);
    }
  });

  test('real CDK output: CfnAgent function schema', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const executor = 'arn:aws:lambda:eu-west-2:111122223333:function:orders';
    new bedrock.CfnAgent(stack, 'Confirmed', {
      agentName: 'c',
      actionGroups: [{ actionGroupName: 'orders', actionGroupExecutor: { lambda: executor }, functionSchema: { functions: [{ name: 'refund', requireConfirmation: 'ENABLED' }] } }],
    });
    new bedrock.CfnAgent(stack, 'Unconfirmed', {
      agentName: 'u',
      actionGroups: [{ actionGroupName: 'orders', actionGroupExecutor: { lambda: executor }, functionSchema: { functions: [{ name: 'refund' }] } }],
    });
    const result = new ValidationRun(new SecureAiChecks().validateScope(app));
    expect(result.of('D8').map((f) => f.constructPath)).toEqual(['S/Unconfirmed']);
  });
});
