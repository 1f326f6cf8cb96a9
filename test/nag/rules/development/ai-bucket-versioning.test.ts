import { App, aws_s3 as s3, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, NO_VALUE, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

/** A bucket behind a model artifact: an AI asset. */
const aiBucket = (properties: Record<string, unknown>, parameters?: TemplateFixture['Parameters']): TemplateFixture => ({
  Parameters: parameters,
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: properties },
    Model: {
      Type: 'AWS::SageMaker::Model',
      Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { Image: 'i', ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/m.tar.gz']] } } },
    },
  },
});

describe('V6 AI-asset buckets keep versions', () => {
  test('compliant: versioning enabled', () => {
    const run = validate(aiBucket({ VersioningConfiguration: { Status: 'Enabled' } }));
    expect(verdictOf(run, 'V6', 'Bucket')).toBe('none');
    expect(run.tally('V6')).toMatchObject({ evaluated: 1, compliant: 1 });
  });

  test('not applicable: buckets no AI resource uses', () => {
    expect(validate({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } } }).tally('V6')).toMatchObject({ notApplicable: 1 });
  });

  test('non-compliant: versioning absent or suspended; a knowledge-base source and a tagged bucket are in scope', () => {
    const absent = validate(aiBucket({}));
    expect(verdictOf(absent, 'V6', 'Bucket')).toBe('non-compliant');
    expect(absent.of('V6')[0]).toMatchObject({ ruleName: 'SecureAI-V6', level: 'error', locations: ['Properties.VersioningConfiguration.Status'] });
    expect(absent.of('V6')[0].message).toMatch(/is absent \(the bucket is not versioned\).*referenced by AWS::SageMaker::Model Model \(PrimaryContainer.ModelDataUrl\)/);
    expect(verdictOf(validate(aiBucket({ VersioningConfiguration: { Status: 'Suspended' } })), 'V6', 'Bucket')).toBe('non-compliant');
    const kb = validate({
      Resources: {
        Docs: { Type: 'AWS::S3::Bucket', Properties: {} },
        Source: { Type: 'AWS::Bedrock::DataSource', Properties: { DataSourceConfiguration: { Type: 'S3', S3Configuration: { BucketArn: { 'Fn::GetAtt': ['Docs', 'Arn'] } } } } },
      },
    });
    expect(verdictOf(kb, 'V6', 'Docs')).toBe('non-compliant');
    expect(verdictOf(validate({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'ai:asset', Value: 'true' }] } } } }), 'V6', 'B')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with a suspended branch or NoValue; a parameter with an insecure allowed value', () => {
    expect(verdictOf(validate(aiBucket({ VersioningConfiguration: ifElse({ Status: 'Enabled' }, NO_VALUE) })), 'V6', 'Bucket')).toBe('non-compliant');
    expect(verdictOf(validate(aiBucket({ VersioningConfiguration: { Status: ifElse('Enabled', 'Suspended') } })), 'V6', 'Bucket')).toBe('non-compliant');
    const param = validate(aiBucket({ VersioningConfiguration: { Status: { Ref: 'V' } } }, { V: { Default: 'Enabled', AllowedValues: ['Enabled', 'Suspended'] } }));
    expect(param.of('V6')[0].message).toMatch(/parameter V/);
  });

  test('unverifiable: an imported status', () => {
    const run = validate(aiBucket({ VersioningConfiguration: { Status: imported('status') } }));
    expect(verdictOf(run, 'V6', 'Bucket')).toBe('unverifiable');
    expect(run.of('V6')[0].ruleName).toBe('SecureAI-V6[unverifiable]');
  });

  test('real CDK output: s3.Bucket versioned or not, behind a CfnModel', () => {
    const render = (versioned: boolean) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const bucket = new s3.Bucket(stack, 'Artifacts', { versioned });
      new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image: 'x', modelDataUrl: bucket.s3UrlForObject('m.tar.gz') } });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V6');
    };
    expect(render(true)).toHaveLength(0);
    expect(render(false)).toHaveLength(1);
  });

  test('malformed values never throw', () => {
    expect(validate(aiBucket({ VersioningConfiguration: 'x' })).tally('V6').errors).toBe(0);
  });
});
