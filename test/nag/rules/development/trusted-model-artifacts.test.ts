import { App, aws_s3 as s3, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const IMAGE = { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/serve@sha256:${'a'.repeat(64)}` };
const model = (container: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: { Image: IMAGE, ...container } },
});
const BUCKET = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'models-prod' } };
const app = (resources: TemplateFixture['Resources'], parameters?: TemplateFixture['Parameters']): TemplateFixture => ({ Parameters: parameters, Resources: resources });
const judged = (container: Record<string, unknown>, props?: Parameters<typeof validate>[1]) =>
  validate(app({ Bucket: BUCKET, Model: model(container) }), props);

describe('V2 model weights come from trusted buckets', () => {
  test('compliant: a bucket of the app by reference, by literal name, a CDK file asset', () => {
    const run = judged({ ModelDataUrl: { 'Fn::Join': ['', ['s3://', { Ref: 'Bucket' }, '/fraud/model.tar.gz']] } });
    expect(verdictOf(run, 'V2', 'Model')).toBe('none');
    expect(run.tally('V2')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(judged({ ModelDataUrl: 's3://models-prod/fraud/model.tar.gz' }), 'V2', 'Model')).toBe('none');
    expect(verdictOf(judged({ ModelDataUrl: { 'Fn::Sub': 's3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/abc.tar.gz' } }), 'V2', 'Model')).toBe('none');
    // An asset's httpUrl (path-style S3 over HTTPS), as the SageMaker alpha module's ModelData.fromAsset renders it.
    const httpUrl = { 'Fn::Sub': 'https://s3.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/abc.tar.gz' };
    expect(verdictOf(judged({ ModelDataUrl: httpUrl }), 'V2', 'Model')).toBe('none');
    expect(verdictOf(judged({ ModelDataUrl: 'https://models-prod.s3.eu-west-1.amazonaws.com/m.tar.gz' }), 'V2', 'Model')).toBe('none');
    expect(verdictOf(judged({ ModelDataUrl: 'https://s3.eu-west-1.amazonaws.com/public-models/m.tar.gz' }), 'V2', 'Model')).toBe('non-compliant');
  });

  test('non-compliant: a bucket named by text that is neither in the app nor allow-listed; allow-listing fixes it', () => {
    const run = judged({ ModelDataUrl: 's3://jumpstart-cache-prod-us-east-1/huggingface-llm/model.tar.gz' });
    expect(verdictOf(run, 'V2', 'Model')).toBe('non-compliant');
    const finding = run.of('V2')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-V2', level: 'warning', locations: ['Properties.PrimaryContainer.ModelDataUrl'] });
    expect(finding.message).toMatch(/names bucket "jumpstart-cache-prod-us-east-1", which is neither a bucket of the app nor in allowedArtifactBuckets/);
    const allowed = judged({ ModelDataUrl: 's3://jumpstart-cache-prod-us-east-1/x.tar.gz' }, { allowedArtifactBuckets: ['jumpstart-cache-prod-us-east-1'] });
    expect(verdictOf(allowed, 'V2', 'Model')).toBe('none');
    expect(verdictOf(judged({ ModelDataUrl: 'https://huggingface.co/org/model/resolve/main/model.safetensors' }), 'V2', 'Model')).toBe('non-compliant');
  });

  test('ModelDataSource: S3Uri of an untrusted bucket; AcceptEula only with HubContentArn (curated hub content is trusted)', () => {
    const source = (s3DataSource: Record<string, unknown>) => ({ ModelDataSource: { S3DataSource: { S3DataType: 'S3Prefix', CompressionType: 'None', ...s3DataSource } } });
    expect(verdictOf(judged(source({ S3Uri: 's3://other-team-bucket/llama/' })), 'V2', 'Model')).toBe('non-compliant');
    expect(verdictOf(judged(source({ S3Uri: 's3://models-prod/llama/' })), 'V2', 'Model')).toBe('none');
    const eula = judged(source({ S3Uri: 's3://models-prod/llama/', ModelAccessConfig: { AcceptEula: true } }));
    expect(verdictOf(eula, 'V2', 'Model')).toBe('non-compliant');
    expect(eula.of('V2')[0].message).toMatch(/AcceptEula is true without HubAccessConfig.HubContentArn/);
    const hub = judged(source({
      S3Uri: 's3://jumpstart-private-cache-prod-us-east-1/meta-textgeneration/',
      ModelAccessConfig: { AcceptEula: 'true' },
      HubAccessConfig: { HubContentArn: 'arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/meta-textgeneration-llama-3-8b/2.0.0' },
    }));
    expect(verdictOf(hub, 'V2', 'Model')).toBe('none');
  });

  test('non-compliant: containers that trust remote code or pull weights from the Hugging Face Hub', () => {
    for (const env of [{ HF_TRUST_REMOTE_CODE: 'true' }, { TRUST_REMOTE_CODE: true }, { OPTION_TRUST_REMOTE_CODE: 'TRUE' }, { SM_VLLM_ARGS: '--max-model-len 4096 --trust-remote-code' }]) {
      const run = judged({ ModelDataUrl: 's3://models-prod/m.tar.gz', Environment: env });
      expect(verdictOf(run, 'V2', 'Model')).toBe('non-compliant');
      expect(run.of('V2')[0].message).toMatch(/trust/i);
    }
    expect(verdictOf(judged({ ModelDataUrl: 's3://models-prod/m.tar.gz', Environment: { HF_TRUST_REMOTE_CODE: 'false' } }), 'V2', 'Model')).toBe('none');
    const hub = judged({ Environment: { HF_MODEL_ID: 'meta-llama/Meta-Llama-3-8B-Instruct', SM_NUM_GPUS: '1' } });
    expect(verdictOf(hub, 'V2', 'Model')).toBe('non-compliant');
    expect(hub.of('V2')[0].message).toMatch(/downloads the weights from the Hugging Face Hub/);
    expect(verdictOf(judged({ ModelDataUrl: 's3://models-prod/m.tar.gz', Environment: { HF_MODEL_ID: '/opt/ml/model' } }), 'V2', 'Model')).toBe('none');
    expect(verdictOf(judged({ Environment: { OPTION_MODEL_ID: 's3://someone-elses-bucket/llama/' } }), 'V2', 'Model')).toBe('non-compliant');
    expect(verdictOf(judged({ Environment: { OPTION_MODEL_ID: 's3://models-prod/llama/' } }), 'V2', 'Model')).toBe('none');
  });

  test('every container, inference components and model packages', () => {
    const multi = validate(app({
      Bucket: BUCKET,
      Model: {
        Type: 'AWS::SageMaker::Model',
        Properties: {
          Containers: [
            { Image: IMAGE, ModelDataUrl: 's3://models-prod/a.tar.gz' }, { Image: IMAGE, ModelDataUrl: 's3://public-models/b.tar.gz' },
          ],
        },
      },
    }));
    expect(multi.of('V2')[0].locations).toEqual(['Properties.Containers[1].ModelDataUrl']);
    const ic = validate(app({ IC: { Type: 'AWS::SageMaker::InferenceComponent', Properties: { Specification: { Container: { Image: IMAGE, ArtifactUrl: 's3://public-models/b.tar.gz' } } } } }));
    expect(verdictOf(ic, 'V2', 'IC')).toBe('non-compliant');
    const pkg = validate(app({ P: { Type: 'AWS::SageMaker::ModelPackage', Properties: { InferenceSpecification: { Containers: [{ Image: IMAGE, ModelDataUrl: 's3://public-models/b.tar.gz' }] } } } }));
    expect(verdictOf(pkg, 'V2', 'P')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with one untrusted bucket; parameter default and AllowedValues; Fn::Sub of a parameter', () => {
    expect(verdictOf(judged({ ModelDataUrl: ifElse('s3://models-prod/a.tar.gz', 's3://public-models/a.tar.gz') }), 'V2', 'Model')).toBe('non-compliant');
    const param = (p: NonNullable<TemplateFixture['Parameters']>[string], url: unknown = { Ref: 'Url' }) =>
      validate(app({ Bucket: BUCKET, Model: model({ ModelDataUrl: url }) }, { Url: p }));
    expect(verdictOf(param({ Default: 's3://models-prod/a.tar.gz' }), 'V2', 'Model')).toBe('none');
    expect(param({ Default: 's3://public-models/a.tar.gz' }).of('V2')[0].message).toMatch(/with the value of parameter Url/);
    expect(verdictOf(param({ AllowedValues: ['s3://models-prod/a.tar.gz', 's3://public-models/a.tar.gz'] }), 'V2', 'Model')).toBe('unverifiable');
    expect(verdictOf(param({ Default: 'public-models' }, { 'Fn::Sub': 's3://${Url}/a.tar.gz' }), 'V2', 'Model')).toBe('non-compliant');
    expect(verdictOf(param({}, { 'Fn::Sub': 's3://${Url}/a.tar.gz' }), 'V2', 'Model')).toBe('unverifiable');
    expect(verdictOf(judged({ Environment: { HF_TRUST_REMOTE_CODE: ifElse('false', 'true') } }), 'V2', 'Model')).toBe('non-compliant');
  });

  test('intrinsic: a finding names the parameters of the weights, not those of the container\'s image', () => {
    const parameters = { ImageUri: { Default: 'img' } };
    const run = validate(app({ Bucket: BUCKET, Model: model({ Image: { Ref: 'ImageUri' }, ModelDataUrl: 's3://public-models/a.tar.gz' }) }, parameters));
    expect(run.of('V2')[0].message).toMatch(/public-models/);
    expect(run.of('V2')[0].message).not.toMatch(/parameter/);
  });

  test('unverifiable: an imported artifact location or bucket; an imported environment', () => {
    const run = judged({ ModelDataUrl: imported('model-artifact-url') });
    expect(verdictOf(run, 'V2', 'Model')).toBe('unverifiable');
    expect(run.of('V2')[0]).toMatchObject({ ruleName: 'SecureAI-V2[unverifiable]', level: 'warning' });
    expect(verdictOf(judged({ ModelDataUrl: { 'Fn::Join': ['', ['s3://', imported('bucket'), '/a.tar.gz']] } }), 'V2', 'Model')).toBe('unverifiable');
    expect(verdictOf(judged({ ModelDataUrl: 's3://models-prod/a', Environment: imported('env') }), 'V2', 'Model')).toBe('unverifiable');
  });

  test('real CDK output: a CfnModel reading from an s3.Bucket of the app', () => {
    const cdkApp = new App();
    const stack = new Stack(cdkApp, 'S');
    const bucket = new s3.Bucket(stack, 'Artifacts');
    new sagemaker.CfnModel(stack, 'Model', {
      executionRoleArn: 'arn:aws:iam::111122223333:role/x',
      primaryContainer: { image: 'x', modelDataUrl: bucket.s3UrlForObject('fraud/model.tar.gz') },
      containers: [{ image: 'x', modelDataUrl: 's3://somebody-else/model.tar.gz' }],
    });
    const findings = new ValidationRun(new SecureAiChecks().validateScope(cdkApp)).of('V2');
    expect(findings).toHaveLength(1);
    expect(findings[0].locations).toEqual(['Properties.Containers[0].ModelDataUrl']);
  });

  test('malformed values never throw', () => {
    const run = validate(app({
      A: model({ ModelDataUrl: 5, ModelDataSource: 'x', Environment: [1, 2] }),
      B: model({ ModelDataSource: { S3DataSource: { S3Uri: { a: 1 }, ModelAccessConfig: 'x', HubAccessConfig: 3 } }, Environment: { HF_MODEL_ID: 7 } }),
    }));
    expect(run.tally('V2').errors).toBe(0);
  });
});
