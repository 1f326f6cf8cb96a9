import { App } from 'aws-cdk-lib';
import { DeclaredAnswers } from '../../../src/nag/engine/declared-answers';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { stackOf, TemplateFixture } from '../harness';

/** Two stacks, each with a log group, a logging call created under its own parameter and an unconditional call. */
function twoStacks(): ResourceIndex {
  const app = new App();
  const fixture: TemplateFixture = {
    Parameters: { Log: { Default: 'true', AllowedValues: ['true', 'false'] } },
    Conditions: { LogOn: { 'Fn::Equals': [{ Ref: 'Log' }, 'true'] } },
    Resources: {
      Group: { Type: 'AWS::Logs::LogGroup' },
      Call: { Type: 'Custom::AWS', Condition: 'LogOn' },
      Other: { Type: 'Custom::AWS' },
    },
  };
  stackOf(fixture, app, 'One');
  stackOf(fixture, app, 'Two');
  return ResourceIndex.fromScope(app);
}

describe('DeclaredAnswers', () => {
  test('an answer holds while what it rests on is created, and reading it depends on that condition alone', () => {
    const index = twoStacks();
    const [one, two] = ['One', 'Two'].map((s) => ({ group: index.find(s, 'Group')!, call: index.find(s, 'Call')!, other: index.find(s, 'Other')! }));
    // Built as a lookup builds it: from every declared resource, without reading a condition.
    const built = index.recording(() => {
      const answers = new DeclaredAnswers<typeof one.group, string>();
      for (const s of [one, two]) {
        answers.add(s.group, `delivered by ${s.call.logicalId}`, s.call);
        answers.add(s.group, `delivered by ${s.other.logicalId}`, s.other);
      }
      return answers;
    });
    expect(built.parameters).toEqual([]);
    const answers = built.result;

    const read = index.recording(() => answers.created(index, one.group));
    expect(read.result).toEqual(['delivered by Call', 'delivered by Other']);
    expect(read.parameters.map((p) => `${p.stack.stackPath}.${p.parameter}`)).toEqual(['One.Log']);

    const off = index.assuming(read.parameters[0], 'false', () => ({ all: answers.created(index, one.group), first: answers.first(index, one.group) }));
    expect(off).toEqual({ all: ['delivered by Other'], first: 'delivered by Other' });
    // The other stack's answers do not move with this stack's parameter.
    expect(index.assuming(read.parameters[0], 'false', () => answers.created(index, two.group))).toEqual(['delivered by Call', 'delivered by Other']);
    expect(answers.has(one.call)).toBe(false);
    expect(answers.created(index, one.call)).toEqual([]);
    expect([...answers.keys()]).toEqual([one.group, two.group]);
  });

  test('pick gives what it makes of the first created answer that yields something, in the order added', () => {
    const index = twoStacks();
    const [group, call, other] = ['Group', 'Call', 'Other'].map((id) => index.find('One', id)!);
    const answers = new DeclaredAnswers<typeof group, string>();
    answers.add(group, 'conditional', call);
    answers.add(group, 'yields nothing', other);
    answers.add(group, 'yields', other);
    const off = index.recording(() => answers.created(index, group)).parameters[0];
    const picked = (value: string) => (value === 'yields nothing' ? undefined : `${value}!`);
    expect(answers.pick(index, group, picked)).toBe('conditional!');
    expect(index.assuming(off, 'false', () => answers.pick(index, group, picked))).toBe('yields!');
    expect(answers.pick(index, other, picked)).toBeUndefined();
  });

  test('first reads the conditions of the answers up to the one it returns', () => {
    const index = twoStacks();
    const group = index.find('One', 'Group')!;
    const answers = new DeclaredAnswers<typeof group, string>();
    answers.add(group, 'unconditional', index.find('One', 'Other')!);
    answers.add(group, 'conditional', index.find('One', 'Call')!);
    const read = index.recording(() => answers.first(index, group));
    expect(read).toEqual({ result: 'unconditional', parameters: [] });
  });
});

describe('ResourceIndex, for lookups made of declared resources', () => {
  test('declaredOfType and declaredReferencesFrom list resources created or not, without reading a condition', () => {
    const app = new App();
    stackOf({
      Parameters: { Make: { Default: 'false', AllowedValues: ['true', 'false'] } },
      Conditions: { Made: { 'Fn::Equals': [{ Ref: 'Make' }, 'true'] } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Condition: 'Made' },
        Model: { Type: 'AWS::SageMaker::Model', Properties: { Tags: [{ Key: 'data', Value: { Ref: 'Bucket' } }] } },
      },
    }, app, 'One');
    const index = ResourceIndex.fromScope(app);
    const model = index.find('One', 'Model')!;
    const declared = index.recording(() => ({
      buckets: index.declaredOfType('AWS::S3::Bucket').map((r) => r.logicalId),
      targets: index.declaredReferencesFrom(model).map((r) => r.target.logicalId),
    }));
    expect(declared).toEqual({ result: { buckets: ['Bucket'], targets: ['Bucket'] }, parameters: [] });
    const created = index.recording(() => index.ofType('AWS::S3::Bucket').map((r) => r.logicalId));
    expect(created.result).toEqual([]);
    expect(created.parameters.map((p) => p.parameter)).toEqual(['Make']);
    expect(index.recording(() => index.isCreated(index.find('One', 'Bucket')!)).parameters.map((p) => p.parameter)).toEqual(['Make']);
  });

  test('lastCreated gives the last of several resources that is created, reading conditions from the last', () => {
    const index = twoStacks();
    const [group, call, other] = ['Group', 'Call', 'Other'].map((id) => index.find('One', id)!);
    const read = index.recording(() => index.lastCreated([group, call]));
    expect(read.result).toBe(call);
    expect(read.parameters.map((p) => p.parameter)).toEqual(['Log']);
    expect(index.assuming(read.parameters[0], 'false', () => index.lastCreated([group, call]))).toBe(group);
    expect(index.recording(() => index.lastCreated([call, other]))).toEqual({ result: other, parameters: [] });
    expect(index.lastCreated([])).toBeUndefined();
  });

  test('memoPer computes a lookup once per part, and its asker depends only on what was read for that part', () => {
    const index = twoStacks();
    const stacks = ['One', 'Two'].map((s) => index.find(s, 'Group')!.stack);
    let computed = 0;
    const key = {};
    const ask = (stack: typeof stacks[number]) => index.memoPer(key, stack, () => {
      computed++;
      return index.createdResourcesOf(stack).map((r) => r.logicalId);
    });
    const read = index.recording(() => ask(stacks[0]));
    expect(read.result).toEqual(['Group', 'Call', 'Other']);
    expect(read.parameters.map((p) => `${p.stack.stackPath}.${p.parameter}`)).toEqual(['One.Log']);
    expect(ask(stacks[0])).toBe(read.result);
    expect(ask(stacks[1])).toEqual(['Group', 'Call', 'Other']);
    expect(computed).toBe(2);
    // Under the other value of the first stack's parameter the first part is computed again; the second is not.
    expect(index.assuming(read.parameters[0], 'false', () => [ask(stacks[0]), ask(stacks[1])])).toEqual([['Group', 'Other'], ['Group', 'Call', 'Other']]);
    expect(computed).toBe(3);
  });
});
