import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { backupTargetOf, BucketVersioning, placementProblem, RestoreTestType } from '../../src/backup/backup-target';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { AiEnvironment } from '../../src/environment/ai-environment';

const ENV = { account: '111111111111', region: 'us-east-1' };

function stack(id = 'S', env: { account?: string; region?: string } = ENV, app = new App()) {
  return new Stack(app, id, { env });
}

/** A stack without account or Region. */
function agnostic(id: string, app: App) {
  return new Stack(app, id);
}

describe('backupTargetOf', () => {
  test('an L2 bucket: its ARN, restore-tested as S3, versioning read from its CfnBucket', () => {
    const s = stack();
    const versioned = backupTargetOf(new s3.Bucket(s, 'Versioned', { versioned: true }))!;
    expect(s.resolve(versioned.arn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Versioned/), 'Arn'] });
    expect(versioned).toMatchObject({ restoreType: RestoreTestType.S3, versioning: BucketVersioning.ENABLED });
    expect(backupTargetOf(new s3.Bucket(s, 'Plain'))!.versioning).toBe(BucketVersioning.DISABLED);
  });

  test('an L1 bucket: Enabled, Suspended, absent, or only known at deploy time', () => {
    const s = stack();
    const of = (id: string, props: s3.CfnBucketProps) => backupTargetOf(new s3.CfnBucket(s, id, props))!;
    expect(of('A', { versioningConfiguration: { status: 'Enabled' } })).toMatchObject({ restoreType: RestoreTestType.S3, versioning: BucketVersioning.ENABLED });
    expect(of('B', { versioningConfiguration: { status: 'Suspended' } }).versioning).toBe(BucketVersioning.DISABLED);
    expect(of('C', {}).versioning).toBe(BucketVersioning.DISABLED);
    expect(of('D', { versioningConfiguration: { status: Lazy.string({ produce: () => 'Enabled' }) } }).versioning).toBe(BucketVersioning.ENABLED);
    const fromParameter = of('E', { versioningConfiguration: { status: new s3.Bucket(s, 'Other').bucketName } });
    expect(fromParameter.versioning).toBe(BucketVersioning.UNKNOWN);
    expect(s.resolve(of('F', {}).arn)).toEqual({ 'Fn::GetAtt': ['F', 'Arn'] });
  });

  test('an imported bucket: versioning unknown', () => {
    const s = stack();
    const target = backupTargetOf(s3.Bucket.fromBucketName(s, 'Imported', 'models'))!;
    expect(target.versioning).toBe(BucketVersioning.UNKNOWN);
    expect(s.resolve(target.arn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models']] });
  });

  test('DynamoDB tables (Table, TableV2, L1) and EFS file systems (L2, L1)', () => {
    const s = stack();
    const key = { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } };
    const table = backupTargetOf(new dynamodb.Table(s, 'T', key))!;
    expect(table.restoreType).toBe(RestoreTestType.DYNAMODB);
    expect(table.versioning).toBeUndefined();
    expect(backupTargetOf(new dynamodb.TableV2(s, 'V', key))).toMatchObject({ restoreType: RestoreTestType.DYNAMODB });
    expect(backupTargetOf(new dynamodb.CfnTable(s, 'L', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }] }))).toMatchObject({ restoreType: RestoreTestType.DYNAMODB });
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const fs = backupTargetOf(new efs.FileSystem(s, 'Fs', { vpc }))!;
    expect(fs.restoreType).toBe(RestoreTestType.EFS);
    expect(s.resolve(fs.arn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Fs/), 'Arn'] });
    expect(backupTargetOf(new efs.CfnFileSystem(s, 'RawFs'))).toMatchObject({ restoreType: RestoreTestType.EFS });
  });

  test('anything else: undefined', () => {
    const s = stack();
    expect(backupTargetOf(new sqs.Queue(s, 'Q'))).toBeUndefined();
    expect(backupTargetOf(s)).toBeUndefined();
  });
});

describe('placementProblem', () => {
  test('same account and Region, or unknown ones: no problem', () => {
    const app = new App();
    const here = stack('Here', ENV, app);
    expect(placementProblem(here, new s3.Bucket(stack('Same', ENV, app), 'B'))).toBeUndefined();
    expect(placementProblem(here, new s3.Bucket(agnostic('Agnostic', app), 'B'))).toBeUndefined();
  });

  test('another account or another Region', () => {
    const app = new App();
    const here = stack('Here', ENV, app);
    expect(placementProblem(here, new s3.Bucket(stack('Account', { ...ENV, account: '222222222222' }, app), 'B')))
      .toMatch(/in account 222222222222, Region us-east-1, and this backup is in account 111111111111, Region us-east-1/);
    expect(placementProblem(here, new s3.Bucket(stack('Region', { ...ENV, region: 'eu-west-1' }, app), 'B'))).toMatch(/Region eu-west-1/);
  });

  test('another environment stage', () => {
    const app = new App();
    const dev = agnostic('Dev', app);
    new AiEnvironment(dev, 'Env', { owner: 'ml', stage: EnvironmentStage.DEVELOPMENT, maxAzs: 1 });
    const prod = agnostic('Prod', app);
    new AiEnvironment(prod, 'Env', { owner: 'ml' });
    expect(placementProblem(prod, new s3.Bucket(dev, 'B'))).toMatch(/belongs to the development environment \(Dev\/Env\) and this backup to the production environment \(Prod\/Env\)/);
    expect(placementProblem(prod, new s3.Bucket(prod, 'Same'))).toBeUndefined();
  });
});
