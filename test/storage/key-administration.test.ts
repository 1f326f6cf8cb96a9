import { App, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { ModelRegistry } from '../../src/registry/model-registry';
import { EnvironmentKey, EnvironmentKeyPurpose } from '../../src/storage/environment-key';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const ADMIN = 'arn:aws:iam::111111111111:role/key-admin';
const CFN_EXEC = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1' };

/** An environment and a registry in one stack; the administrator exemption of every key and resource policy. */
function build(props: StackProps, keyAdministratorRoleArn?: string) {
  const stack = new Stack(new App(), 'S', { env: ENV, ...props });
  new ModelRegistry(stack, 'Models', { environment: new AiEnvironment(stack, 'Env', { owner: 'ml', keyAdministratorRoleArn }) });
  const resources = Object.values<any>(Template.fromStack(stack).toJSON().Resources);
  const statements = resources.flatMap((r) => [
    ...(r.Properties?.KeyPolicy?.Statement ?? []),
    ...(r.Properties?.PolicyDocument?.Statement ?? []),
    ...(r.Properties?.ModelPackageGroupPolicy?.Statement ?? []),
  ]);
  const exempted = (sid: string) => statements.filter((s) => s.Sid === sid).map((s) => s.Condition.ArnNotEquals['aws:PrincipalArn']);
  return { keys: resources.filter((r) => r.Type === 'AWS::KMS::Key').length, exempted };
}

const ADMINISTERED = ['KeyAdministrationOnlyByAdministrator', 'BucketPolicyOnlyByAdministrator', 'GroupPolicyOnlyByAdministrator'];

describe('key administrators', () => {
  test('default synthesizer: the CloudFormation execution role alone, on every key, the artifact bucket policy and the group policy', () => {
    const { keys, exempted } = build({});
    expect(keys).toBe(4); // data, log, artifact, signing
    expect(exempted('KeyAdministrationOnlyByAdministrator')).toEqual(Array(keys).fill([CFN_EXEC]));
    for (const sid of ADMINISTERED.slice(1)) expect(exempted(sid)).toEqual([[CFN_EXEC]]);
  });

  test('a named administrator is added to the deploying role, never in its place (KMS would refuse CloudFormation the key)', () => {
    const { keys, exempted } = build({}, ADMIN);
    expect(exempted('KeyAdministrationOnlyByAdministrator')).toEqual(Array(keys).fill([CFN_EXEC, ADMIN]));
    for (const sid of ADMINISTERED.slice(1)) expect(exempted(sid)).toEqual([[CFN_EXEC, ADMIN]]);
  });

  test('a customised CloudFormation execution role is the one exempted', () => {
    const role = 'arn:aws:iam::111111111111:role/deployer';
    const { exempted } = build({ synthesizer: new DefaultStackSynthesizer({ cloudFormationExecutionRole: role }) });
    expect(exempted('KeyAdministrationOnlyByAdministrator')[0]).toEqual([{ 'Fn::Sub': role }]);
  });

  test('CLI-credentials synthesizer with a named administrator: that role alone, the one the user deploys with', () => {
    const { exempted } = build({ synthesizer: new CliCredentialsStackSynthesizer() }, ADMIN);
    for (const sid of ADMINISTERED) expect(new Set(exempted(sid).map((e) => JSON.stringify(e)))).toEqual(new Set([JSON.stringify([ADMIN])]));
  });

  test('CLI-credentials synthesizer and no named administrator: the environment throws, naming the prop, the synthesizer and the fix', () => {
    expect(() => build({ synthesizer: new CliCredentialsStackSynthesizer() })).toThrow(
      /S\/Env: keyAdministratorRoleArn is not set and the stack's synthesizer \(CliCredentialsStackSynthesizer\) names no role that deploys it.*Fix: give the AiEnvironment keyAdministratorRoleArn, the ARN of the role you deploy the stack with/);
  });

  test('a key outside any environment, under a synthesizer with no deploying role, fails the synthesis with the same error', () => {
    const stack = new Stack(new App(), 'Bare', { env: ENV, synthesizer: new CliCredentialsStackSynthesizer() });
    new EnvironmentKey(stack, 'Key', { purpose: EnvironmentKeyPurpose.DATA });
    expect(() => Template.fromStack(stack)).toThrow(/keyAdministratorRoleArn is not set .*CliCredentialsStackSynthesizer/);
  });

  test('a named administrator that is not a role ARN throws', () => {
    expect(() => build({}, 'arn:aws:iam::111111111111:user/alice')).toThrow(/keyAdministratorRoleArn 'arn:aws:iam::111111111111:user\/alice' is not the ARN of an IAM role/);
  });
});
