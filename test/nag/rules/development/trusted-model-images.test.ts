import { App, aws_ecr as ecr, aws_sagemaker as sagemaker, Stack } from 'aws-cdk-lib';
import { SecureAiChecks } from '../../../../src/nag/secure-ai-checks';
import { ifElse, imported, TemplateFixture, validate, ValidationRun, verdictOf } from '../../harness';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OWN = '111122223333';
const model = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::SageMaker::Model', Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/x', PrimaryContainer: container, ...extra },
});
const app = (resources: TemplateFixture['Resources'], parameters?: TemplateFixture['Parameters']): TemplateFixture => ({ Parameters: parameters, Resources: resources });
const own = (image: unknown) => validate(app({ Model: model({ Image: image }) }));
/** The CDK's rendering of an image asset's URI (default synthesizer). */
const ASSET = { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:' + 'b'.repeat(64) };
/** The CDK's rendering of `repository.repositoryUriForTag(tag)`. */
const repoUri = (suffix: string) => ({
  'Fn::Join': ['', [
    { 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Repo', 'Arn'] }] }] }, '.dkr.ecr.',
    { 'Fn::Select': [3, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Repo', 'Arn'] }] }] }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Repo' }, suffix,
  ]],
});
const repo = (mutability?: string) => ({ Type: 'AWS::ECR::Repository', Properties: mutability ? { ImageTagMutability: mutability } : {} });

describe('V1 model containers come from trusted registries and are pinned', () => {
  test('compliant: own-account ECR by digest (pseudo parameter account), CDK image asset, in-app repository by digest', () => {
    const run = own({ 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/fraud@${DIGEST}` });
    expect(verdictOf(run, 'V1', 'Model')).toBe('none');
    expect(run.tally('V1')).toMatchObject({ evaluated: 1, compliant: 1 });
    expect(verdictOf(own(ASSET), 'V1', 'Model')).toBe('none');
    expect(verdictOf(validate(app({ Repo: repo(), Model: model({ Image: repoUri(`@${DIGEST}`) }) })), 'V1', 'Model')).toBe('none');
  });

  test('an in-app repository: a tag passes only when the repository is IMMUTABLE; latest never', () => {
    expect(verdictOf(validate(app({ Repo: repo('IMMUTABLE'), Model: model({ Image: repoUri(':v1.2') }) })), 'V1', 'Model')).toBe('none');
    const mutable = validate(app({ Repo: repo(), Model: model({ Image: repoUri(':v1.2') }) }));
    expect(verdictOf(mutable, 'V1', 'Model')).toBe('non-compliant');
    expect(mutable.of('V1')[0].message).toMatch(/tag :v1.2 of repository Repo, whose tags are mutable/);
    expect(verdictOf(validate(app({ Repo: repo('IMMUTABLE'), Model: model({ Image: repoUri(':latest') }) })), 'V1', 'Model')).toBe('non-compliant');
    const byUri = validate(app({ Repo: repo('IMMUTABLE'), Model: model({ Image: { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] } }) }));
    expect(byUri.of('V1')[0].message).toMatch(/without a tag or digest, which pulls :latest/);
  });

  test('non-compliant: public registries and images without a registry host', () => {
    for (const image of [
      `docker.io/pytorch/pytorch@${DIGEST}`, `ghcr.io/huggingface/text-generation-inference@${DIGEST}`, `quay.io/org/model@${DIGEST}`,
      `public.ecr.aws/deep-learning/pytorch@${DIGEST}`, `huggingface/transformers-pytorch-gpu@${DIGEST}`,
    ]) {
      const run = own(image);
      expect(verdictOf(run, 'V1', 'Model')).toBe('non-compliant');
      expect(run.of('V1')[0].message).toMatch(/public or third-party registry that is not in allowedImageRegistries/);
    }
    const finding = own(`ghcr.io/org/model@${DIGEST}`).of('V1')[0];
    expect(finding).toMatchObject({ ruleName: 'SecureAI-V1', level: 'warning', locations: ['Properties.PrimaryContainer.Image'] });
  });

  test('non-compliant: floating tags, no tag, and ECR of another account', () => {
    expect(own({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/fraud:latest' }).of('V1')[0].message).toMatch(/tag :latest floats/);
    expect(own({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/fraud' }).of('V1')[0].message).toMatch(/no tag \(which pulls :latest\)/);
    expect(own({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/fraud:v3' }).of('V1')[0].message).toMatch(/tag :v3 can be moved/);
    expect(own('nginx').of('V1')[0].message).toMatch(/Docker Hub/);
    expect(own(`${OWN}.dkr.ecr.eu-west-1.amazonaws.com/fraud@sha1:abc`).of('V1')[0].message).toMatch(/not an @sha256: digest/);
  });

  test('a literal ECR account is compared with the stack\'s account; unknown account in an environment-agnostic stack is unverifiable', () => {
    const image = `${OWN}.dkr.ecr.eu-west-1.amazonaws.com/fraud@${DIGEST}`;
    const withEnv = (account: string) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S', { env: { account, region: 'eu-west-1' } });
      new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image } });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp));
    };
    expect(withEnv(OWN).of('V1')).toHaveLength(0);
    const other = withEnv('999988887777').of('V1');
    expect(other[0].message).toMatch(/belongs to account 111122223333, not the app's account/);
    expect(verdictOf(own(image), 'V1', 'Model')).toBe('unverifiable');
    // An AWS Deep Learning Container: another account's ECR, pulled by a mutable tag.
    expect(verdictOf(own('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-gpu'), 'V1', 'Model')).toBe('non-compliant');
  });

  test('allowedImageRegistries: host and path-prefix entries, wildcards; a versioned tag of an allow-listed registry passes, latest does not', () => {
    const props = { allowedImageRegistries: ['registry.example.com', '*.corp.example', 'ghcr.io/acme', '763104351884.dkr.ecr.*.amazonaws.com'] };
    const judged = (image: string) => verdictOf(validate(app({ Model: model({ Image: image }) }), props), 'V1', 'Model');
    expect(judged('registry.example.com/models/fraud:1.4')).toBe('none');
    expect(judged(`eu.corp.example/fraud@${DIGEST}`)).toBe('none');
    expect(judged('ghcr.io/acme/fraud:2')).toBe('none');
    expect(judged('ghcr.io/other/fraud:2')).toBe('non-compliant');
    expect(judged('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-gpu')).toBe('none');
    expect(judged('registry.example.com/models/fraud:latest')).toBe('non-compliant');
  });

  test('RepositoryAccessMode Vpc only with an allow-listed registry', () => {
    const vpcModel = (image: string) => app({ Model: model({ Image: image, ImageConfig: { RepositoryAccessMode: 'Vpc' } }) });
    const run = validate(vpcModel(`registry.internal:5000/fraud@${DIGEST}`));
    expect(verdictOf(run, 'V1', 'Model')).toBe('non-compliant');
    expect(run.of('V1')[0].message).toMatch(/RepositoryAccessMode is Vpc/);
    expect(verdictOf(validate(vpcModel(`registry.internal:5000/fraud@${DIGEST}`), { allowedImageRegistries: ['registry.internal:5000'] }), 'V1', 'Model')).toBe('none');
  });

  test('every container: Containers[] with one untrusted image; inference components; model packages; AgentCore runtimes', () => {
    const multi = validate(app({ Model: { Type: 'AWS::SageMaker::Model', Properties: { Containers: [{ Image: ASSET }, { Image: 'quay.io/x/y:1' }] } } }));
    expect(verdictOf(multi, 'V1', 'Model')).toBe('non-compliant');
    expect(multi.of('V1')[0].locations).toEqual(['Properties.Containers[1].Image']);
    const component = validate(app({ IC: { Type: 'AWS::SageMaker::InferenceComponent', Properties: { Specification: { Container: { Image: 'ghcr.io/x/y:1' } } } } }));
    expect(verdictOf(component, 'V1', 'IC')).toBe('non-compliant');
    const pkg = validate(app({ P: { Type: 'AWS::SageMaker::ModelPackage', Properties: { InferenceSpecification: { Containers: [{ Image: 'docker.io/x/y:latest' }] } } } }));
    expect(verdictOf(pkg, 'V1', 'P')).toBe('non-compliant');
    const runtime = (uri: unknown) => validate(app({ R: { Type: 'AWS::BedrockAgentCore::Runtime', Properties: { AgentRuntimeArtifact: { ContainerConfiguration: { ContainerUri: uri } } } } }));
    expect(verdictOf(runtime('public.ecr.aws/agent/app:latest'), 'V1', 'R')).toBe('non-compliant');
    expect(verdictOf(runtime(ASSET), 'V1', 'R')).toBe('none');
    const code = validate(app({ R: { Type: 'AWS::BedrockAgentCore::Runtime', Properties: { AgentRuntimeArtifact: { CodeConfiguration: { Code: { S3: {} } } } } } }));
    expect(code.tally('V1')).toMatchObject({ notApplicable: 1 });
  });

  test('model packages: a package of the app is judged on its own containers; one outside the app is unverifiable', () => {
    const inApp = validate(app({
      P: { Type: 'AWS::SageMaker::ModelPackage', Properties: { InferenceSpecification: { Containers: [{ Image: ASSET }] } } },
      Model: model({ ModelPackageName: { Ref: 'P' } }),
    }));
    expect(verdictOf(inApp, 'V1', 'Model')).toBe('none');
    const outside = validate(app({ Model: model({ ModelPackageName: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3' }) }));
    expect(verdictOf(outside, 'V1', 'Model')).toBe('unverifiable');
  });

  test('intrinsic: Fn::If with one untrusted branch; parameter default and AllowedValues; Fn::Sub with a parameter tag', () => {
    expect(verdictOf(own(ifElse(ASSET, 'quay.io/x/y:1')), 'V1', 'Model')).toBe('non-compliant');
    expect(own(ifElse(ASSET, 'quay.io/x/y:1')).of('V1')[0].message).toMatch(/in one of its 2 possible forms/);
    const param = (p: NonNullable<TemplateFixture['Parameters']>[string]) => validate(app({ Model: model({ Image: { Ref: 'Image' } }) }, { Image: p }));
    expect(verdictOf(param({ Default: `registry.example.com/x@${DIGEST}` }), 'V1', 'Model')).toBe('non-compliant');
    expect(param({ Default: 'docker.io/x/y:1' }).of('V1')[0].message).toMatch(/with the value of parameter Image/);
    expect(verdictOf(param({ AllowedValues: [`${OWN}.dkr.ecr.eu-west-1.amazonaws.com/x:latest`, 'ghcr.io/x/y:2'] }), 'V1', 'Model')).toBe('unverifiable');
    const tagged = validate(app({ Model: model({ Image: { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/fraud:${Tag}' } }) }, { Tag: {} }));
    expect(verdictOf(tagged, 'V1', 'Model')).toBe('unverifiable');
    expect(tagged.of('V1')[0].message).toMatch(/the tag is chosen at deploy time/);
  });

  test('intrinsic: a finding names the parameters of the image, not those of the container\'s other fields or of other containers', () => {
    const parameters = { Bucket: { Default: 'models' }, Image: { Default: 'docker.io/x/y:1' } };
    const weights = { 'Fn::Sub': 's3://${Bucket}/m.tar.gz' };
    const unrelated = validate(app({ Model: model({ Image: 'docker.io/x/y:1', ModelDataUrl: weights }) }, parameters));
    expect(unrelated.of('V1')[0].message).toMatch(/^PrimaryContainer.Image is "docker.io\/x\/y:1".*\. A model container/);
    expect(unrelated.of('V1')[0].message).not.toMatch(/parameter/);
    const listed = validate(app({
      Model: model({ Image: 'docker.io/x/y:1' }, {
        PrimaryContainer: undefined,
        Containers: [{ Image: 'docker.io/x/y:1' }, { Image: { Ref: 'Image' }, ModelDataUrl: weights }],
      }),
    }, parameters));
    expect(listed.of('V1')[0].message).toMatch(/^Containers\[0\].Image is .*digest\. A model container.*; Containers\[1\].Image is .*digest \(with the value of parameter Image\)\. /);
  });

  test('unverifiable: an imported image URI', () => {
    const run = own(imported('model-image-uri'));
    expect(verdictOf(run, 'V1', 'Model')).toBe('unverifiable');
    expect(run.of('V1')[0]).toMatchObject({ ruleName: 'SecureAI-V1[unverifiable]', level: 'warning' });
  });

  test('real CDK output: repositoryUriForTag / repositoryUriForDigest of an ecr.Repository', () => {
    const render = (uri: (r: ecr.Repository) => string) => {
      const cdkApp = new App();
      const stack = new Stack(cdkApp, 'S');
      const repository = new ecr.Repository(stack, 'Repo', { imageTagMutability: ecr.TagMutability.MUTABLE });
      new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::111122223333:role/x', primaryContainer: { image: uri(repository) } });
      return new ValidationRun(new SecureAiChecks().validateScope(cdkApp));
    };
    expect(render((r) => r.repositoryUriForDigest(DIGEST)).of('V1')).toHaveLength(0);
    const latest = render((r) => r.repositoryUriForTag('latest')).of('V1');
    expect(latest).toHaveLength(1);
    expect(latest[0].message).toMatch(/tag :latest floats/);
  });

  test('malformed values never throw', () => {
    const run = validate(app({
      A: model({ Image: 42, ImageConfig: 'x' }),
      B: { Type: 'AWS::SageMaker::Model', Properties: { Containers: 'x', PrimaryContainer: [1] } },
      C: model({ Image: '@@@:::///' }),
      D: { Type: 'AWS::BedrockAgentCore::Runtime', Properties: { AgentRuntimeArtifact: { ContainerConfiguration: { ContainerUri: { a: 1 } } } } },
    }));
    expect(run.tally('V1').errors).toBe(0);
  });
});
