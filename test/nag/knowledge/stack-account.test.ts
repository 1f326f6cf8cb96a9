import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { Expression, ResourceReference, UnknownValue, unknownPseudoParameter } from '../../../src/nag/engine/values';
import { isStackAccount, OWN_ACCOUNT, textOf, UNKNOWN_PART } from '../../../src/nag/knowledge/stack-account';

const pseudo = (name: string) => unknownPseudoParameter(`AWS::${name}`);

function resourceIn(account?: string) {
  const app = new App();
  const stack = new Stack(app, 'Test', account ? { env: { account, region: 'eu-west-2' } } : undefined);
  new CfnResource(stack, 'R', { type: 'AWS::S3::Bucket' }).overrideLogicalId('R');
  return ResourceIndex.fromScope(app).find('Test', 'R')!;
}

describe('textOf', () => {
  test('a literal string is itself', () => {
    expect(textOf('123456789012.dkr.ecr.eu-west-2.amazonaws.com')).toBe('123456789012.dkr.ecr.eu-west-2.amazonaws.com');
  });

  test('pseudo parameters in an expression: account marked, partition, URL suffix and Region spelt out', () => {
    const e = new Expression(['arn:', pseudo('Partition'), ':s3:', pseudo('Region'), ':', pseudo('AccountId'), ':', pseudo('URLSuffix')]);
    expect(textOf(e)).toBe(`arn:aws:s3:region:${OWN_ACCOUNT}:amazonaws.com`);
  });

  test('references, other unknowns and other pseudo parameters are unknown parts', () => {
    const e = new Expression([new ResourceReference('Repo', 'Test'), '/', new UnknownValue('imported value x'), '/', pseudo('StackName')]);
    expect(textOf(e)).toBe(`${UNKNOWN_PART}/${UNKNOWN_PART}/${UNKNOWN_PART}`);
  });

  test('a whole pseudo parameter is its text; other values have none', () => {
    expect(textOf(pseudo('AccountId'))).toBe(OWN_ACCOUNT);
    expect(textOf(pseudo('Partition'))).toBe('aws');
    for (const v of [new UnknownValue('imported value x'), new ResourceReference('R', 'Test'), undefined, 12, { a: 'b' }]) expect(textOf(v)).toBeUndefined();
  });
});

describe('isStackAccount', () => {
  test('the own-account marker is always yes', () => {
    expect(isStackAccount(resourceIn(), OWN_ACCOUNT)).toBe(true);
    expect(isStackAccount(resourceIn('111111111111'), OWN_ACCOUNT)).toBe(true);
  });

  test('a literal account is compared with the stack account when it is known', () => {
    expect(isStackAccount(resourceIn('111111111111'), '111111111111')).toBe(true);
    expect(isStackAccount(resourceIn('111111111111'), '222222222222')).toBe(false);
    expect(isStackAccount(resourceIn(), '222222222222')).toBeInstanceOf(UnknownValue);
  });

  test('text that is not a 12-digit account is maybe', () => {
    expect(isStackAccount(resourceIn('111111111111'), UNKNOWN_PART)).toBeInstanceOf(UnknownValue);
    expect(isStackAccount(resourceIn('111111111111'), '11111111111')).toBeInstanceOf(UnknownValue);
    expect(isStackAccount(resourceIn('111111111111'), 'aws')).toBeInstanceOf(UnknownValue);
  });
});
