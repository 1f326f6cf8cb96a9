import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { aiAssetReason, isAiAsset, namesOf } from '../../../src/nag/knowledge/ai-assets';
import { stackOf } from '../harness';

describe('aiAssetReason', () => {
  const app = new App();
  stackOf({
    Resources: {
      Key: { Type: 'AWS::KMS::Key' },
      Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      Tagged: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'TRUE' }] } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/bedrock/invocations' } },
      Plain: { Type: 'AWS::S3::Bucket' },
      Copier: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { BUCKET: { Ref: 'Plain' } } } } },
    },
  }, app);
  const index = ResourceIndex.fromScope(app);
  const reason = (id: string) => aiAssetReason(index, index.find('Test', id)!);

  test('names the AI resource that references the asset, and where', () => {
    expect(reason('Key')).toBe('referenced by AWS::SageMaker::EndpointConfig Config (KmsKeyId)');
  });

  test('the opt-in tag, in any case of its value', () => {
    expect(reason('Tagged')).toBe('tagged ai:asset=true');
  });

  test('otherwise an AI workload resource (an AI log group name)', () => {
    expect(reason('Logs')).toBe('an AI workload resource');
    expect(isAiAsset(index, index.find('Test', 'Logs')!)).toBe(true);
  });

  test('a reference from a resource that is not an AI resource is not the reason', () => {
    expect(reason('Plain')).toBe('an AI workload resource');
  });
});

describe('namesOf', () => {
  const app = new App();
  const resources = Object.fromEntries(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((id) => [id, { Type: 'AWS::S3::Bucket' }]));
  stackOf({ Resources: resources }, app);
  const all = ResourceIndex.fromScope(app).resources;

  test('lists up to the shown number, then counts the rest', () => {
    expect(namesOf(all.slice(0, 5))).toBe('A, B, C, D, E');
    expect(namesOf(all)).toBe('A, B, C, D, E and 2 more');
    expect(namesOf(all, 2)).toBe('A, B and 5 more');
    expect(namesOf([])).toBe('');
  });
});

describe('isAiAsset', () => {
  test('scopes AI assets: referenced by an AI resource, tagged ai:asset=true, or an AI log group name', () => {
    const app = new App();
    stackOf({
      Resources: {
        Captured: { Type: 'AWS::S3::Bucket' },
        Tagged: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } },
        Plain: { Type: 'AWS::S3::Bucket' },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/sagemaker/Endpoints/fraud' } },
        AppLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/app/web' } },
        Config: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { DataCaptureConfig: { DestinationS3Uri: { 'Fn::Sub': 's3://${Captured}/c' } } } },
      },
    }, app);
    const index = ResourceIndex.fromScope(app);
    const assets = index.resources.filter((r) => isAiAsset(index, r)).map((r) => r.logicalId).sort();
    expect(assets).toEqual(['Captured', 'Logs', 'Tagged']);
  });
});
