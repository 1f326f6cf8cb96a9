// The cross-stage guard at synthesis: grants across environment stages are refused on the final policy documents,
// whichever API made them.
import { App, PhysicalName, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';
import { AiEnvironmentStage } from '../../src/environment/ai-environment-stage';
import { ModelRegistry } from '../../src/registry/model-registry';

const DEV = '111111111111';
const PROD = '222222222222';

/** A development and a production stage, each in its own account, with a bucket, key and role in each. */
function stages() {
  const app = new App();
  const dev = new AiEnvironmentStage(app, 'Dev', { environmentStage: EnvironmentStage.DEVELOPMENT, env: { account: DEV, region: 'us-east-1' } });
  const prod = new AiEnvironmentStage(app, 'Prod', { environmentStage: EnvironmentStage.PRODUCTION, env: { account: PROD, region: 'us-east-1' } });
  const devStack = new Stack(dev, 'Data');
  const devEnv = new AiEnvironment(devStack, 'Env', { owner: 'ml', maxAzs: 1 });
  const prodStack = new Stack(prod, 'Serving');
  new AiEnvironment(prodStack, 'Env', { owner: 'ml' });
  // Roles and buckets used across accounts are given generated names, as the CDK requires: the guard is what refuses them.
  const prodRole = new iam.Role(prodStack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'), roleName: PhysicalName.GENERATE_IF_NEEDED });
  const devRole = new iam.Role(devStack, 'Role', { assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'), roleName: PhysicalName.GENERATE_IF_NEEDED });
  const devBucket = new s3.Bucket(devStack, 'Plain', { bucketName: PhysicalName.GENERATE_IF_NEEDED });
  const prodBucket = new s3.Bucket(prodStack, 'Plain', { bucketName: PhysicalName.GENERATE_IF_NEEDED });
  return { app, devStack, devEnv, devRole, devBucket, prodStack, prodRole, prodBucket };
}

const CROSS_STAGE = /belongs to the development environment \(Dev\/Data\/Env\), but its .* grants .* the production environment \(Prod\/Serving\/Env\)\. Environments are segregated.*Fix: remove the grant/;

describe('the cross-stage guard at synthesis', () => {
  test('the grants API on a key: devEnv.dataKey.grants.decrypt(prodRole)', () => {
    const s = stages();
    s.devEnv.dataKey.grants.decrypt(s.prodRole);
    expect(() => s.app.synth()).toThrow(/Dev\/Data\/Env\/DataKey\/Resource belongs to the development environment.*KeyPolicy grants kms:Decrypt to arn:\$\{AWS::Partition\}:iam::222222222222:role\/.*a principal of the production environment/);
  });

  test('the grants API on a bucket: bucket.grants.read(prodRole)', () => {
    const s = stages();
    s.devBucket.grants.read(s.prodRole);
    expect(() => s.app.synth()).toThrow(CROSS_STAGE);
  });

  test('addToResourcePolicy naming a role of another stage', () => {
    const s = stages();
    s.devBucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [s.prodRole], actions: ['s3:GetObject'], resources: [s.devBucket.arnForObjects('*')] }));
    expect(() => s.app.synth()).toThrow(/Dev\/Data\/Plain\/Policy\/Resource belongs to the development environment.*PolicyDocument grants s3:GetObject to .*:role\/.*production environment/);
  });

  test('grantReplicationPermission into a bucket of another stage', () => {
    const s = stages();
    s.devBucket.grantReplicationPermission(s.devRole, { destinations: [{ bucket: s.prodBucket }] });
    expect(() => s.app.synth()).toThrow(/Dev\/Data\/Role\/DefaultPolicy\/Resource belongs to the development environment.*grants s3:ReplicateObject.* on arn:\$\{AWS::Partition\}:s3:::.*a resource of the production environment/);
  });

  test('a hand-written key policy naming another stage\'s account', () => {
    const s = stages();
    new kms.Key(s.devStack, 'Handwritten', { enableKeyRotation: true }).addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(PROD)], actions: ['kms:Decrypt'], resources: ['*'],
    }));
    expect(() => s.app.synth()).toThrow(/Dev\/Data\/Handwritten\/Resource belongs to the development environment.*grants kms:Decrypt to arn:\$\{AWS::Partition\}:iam::222222222222:root, a principal of the production environment/);
  });

  test('stacks of one app without stages: a grant through an exported reference', () => {
    const app = new App();
    const devStack = new Stack(app, 'DevData');
    const devEnv = new AiEnvironment(devStack, 'Env', { owner: 'ml', stage: EnvironmentStage.DEVELOPMENT, maxAzs: 1 });
    const prodStack = new Stack(app, 'ProdServing');
    new AiEnvironment(prodStack, 'Env', { owner: 'ml', stage: EnvironmentStage.PRODUCTION });
    const prodRole = new iam.Role(prodStack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    devEnv.dataKey.grants.decrypt(prodRole);
    expect(() => app.synth()).toThrow(/ProdServing\/Role\/DefaultPolicy\/Resource belongs to the production environment.*grants kms:Decrypt on \$\{Import DevData:.*a resource of the development environment/);
  });

  test('grants within a stage, and a registry\'s declared read-only share with another stage\'s account, are accepted', () => {
    const s = stages();
    s.devEnv.dataKey.grants.decrypt(s.devRole);
    s.devBucket.grants.read(s.devRole);
    new ModelRegistry(s.devStack, 'Registry', { environment: s.devEnv, readerAccounts: [PROD] });
    expect(() => s.app.synth()).not.toThrow();
  });

  test('a declared share accepts the other stage\'s account, never its roles; the share needs accounts and a reason', () => {
    const s = stages();
    AiEnvironment.shareAcrossStages(s.devBucket, [PROD], 'Production reads the evaluation reports of approved models');
    s.devBucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal(PROD)], actions: ['s3:GetObject'], resources: [s.devBucket.arnForObjects('*')] }));
    expect(() => s.app.synth()).not.toThrow();

    const t = stages();
    AiEnvironment.shareAcrossStages(t.devBucket, [PROD], 'Production reads the evaluation reports of approved models');
    t.devBucket.grants.read(t.prodRole);
    expect(() => t.app.synth()).toThrow(CROSS_STAGE);
    expect(() => AiEnvironment.shareAcrossStages(t.devBucket, [PROD], 'read')).toThrow(/reason is too short.*Fix/);
    expect(() => AiEnvironment.shareAcrossStages(t.devBucket, ['prod'], 'Production reads the evaluation reports')).toThrow(/accounts must be 12-digit AWS account IDs, got prod.*Fix/);
  });
});
