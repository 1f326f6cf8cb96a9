import { App } from 'aws-cdk-lib';
import { COMPLIANT, nonCompliant, RuleResult } from '../../../src/nag/engine/checks';
import { judgeWithAlternatives, MAX_JOINT_RUNS } from '../../../src/nag/engine/parameter-alternatives';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { stackOf } from '../harness';

describe('judgeWithAlternatives', () => {
  /** A resource whose property is a parameter's value only when another parameter is switched on. */
  const indexOf = (choices: number) => {
    const app = new App({ autoSynth: false });
    stackOf({
      Parameters: {
        Switch: { Default: 'off', AllowedValues: ['off', 'on'] },
        Choice: { Default: 'c0', AllowedValues: Array.from({ length: choices }, (_, i) => `c${i}`) },
      },
      Conditions: { On: { 'Fn::Equals': [{ Ref: 'Switch' }, 'on'] } },
      Resources: { Thing: { Type: 'Test::Thing', Properties: { Value: { 'Fn::If': ['On', { Ref: 'Choice' }, 'c0'] } } } },
    }, app, 'S');
    return ResourceIndex.fromScope(app);
  };

  test('two parameters that fail only together: one finding on the first, naming the second', () => {
    const index = indexOf(3);
    const thing = index.find('S', 'Thing')!;
    const judge = (): RuleResult => (thing.get('Value')[0].value === 'c2' ? nonCompliant('Value is c2') : COMPLIANT);
    const { result, alternatives } = judgeWithAlternatives(index, judge);
    expect(result).toBe(COMPLIANT);
    expect(alternatives).toHaveLength(1);
    expect(alternatives[0]).toMatchObject({ parameter: 'Switch', values: ['on'], together: { parameter: 'Choice', value: 'c2', defaultValue: 'c0' } });
  });

  test('pairs are tried at most MAX_JOINT_RUNS times per judgement', () => {
    const index = indexOf(500);
    const thing = index.find('S', 'Thing')!;
    let runs = 0;
    const judge = (): RuleResult => {
      runs++;
      thing.get('Value');
      return COMPLIANT;
    };
    expect(judgeWithAlternatives(index, judge).alternatives).toEqual([]);
    // The defaults, Switch's other value, then pairs of it with Choice's other values up to the bound.
    expect(runs).toBe(2 + MAX_JOINT_RUNS);
  });
});
