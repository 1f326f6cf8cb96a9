import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IndexedResource, ResourceIndex } from '../../../src/nag/engine/resource-index';
import { ResourceReference, UnknownValue, Value } from '../../../src/nag/engine/values';
import { judgeImage } from '../../../src/nag/knowledge/container-images';
import { stackOf, TemplateFixture } from '../harness';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ASSET_IMAGE = { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:0123abcd' };

/** A model whose image is `image`, in a stack with the given account (env-agnostic when absent). */
function modelWith(image: unknown, extra: TemplateFixture['Resources'] = {}, account?: string): { index: ResourceIndex; model: IndexedResource; image: Value } {
  const app = new App();
  if (account) {
    const stack = new Stack(app, 'Test', { env: { account, region: 'eu-west-2' } });
    new CfnParameter(stack, 'Tag', { type: 'String' });
    for (const [id, r] of Object.entries({ ...extra, Model: { Type: 'AWS::SageMaker::Model', Properties: { PrimaryContainer: { Image: image } } } })) {
      new CfnResource(stack, id, { type: r.Type, properties: r.Properties }).overrideLogicalId(id);
    }
  } else {
    stackOf({
      Parameters: { Tag: { Type: 'String' } },
      Resources: { ...extra, Model: { Type: 'AWS::SageMaker::Model', Properties: { PrimaryContainer: { Image: image } } } },
    }, app);
  }
  const index = ResourceIndex.fromScope(app);
  const model = index.find('Test', 'Model')!;
  return { index, model, image: model.get('PrimaryContainer.Image')[0].value };
}

function judged(image: unknown, options: { allowed?: string[]; extra?: TemplateFixture['Resources']; account?: string; privateRegistry?: boolean } = {}) {
  const { index, model, image: value } = modelWith(image, options.extra, options.account);
  return judgeImage(index, model, value, options.allowed ?? [], options.privateRegistry);
}

const repo = (mutability?: string) => ({ Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'models', ImageTagMutability: mutability } } });

describe('judgeImage', () => {
  test('a CDK image asset (own account, content-hash tag) is ok', () => {
    expect(judged(ASSET_IMAGE).answer).toBe(true);
  });

  test('an image pinned by digest in ECR of the own account is ok; a tag there floats', () => {
    expect(judged({ 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/models@${DIGEST}` }).answer).toBe(true);
    const tagged = judged({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/models:v1' });
    expect(tagged.answer).toBe(false);
    expect(tagged.detail).toMatch(/tag :v1 can be moved to another image; pin it by an @sha256 digest/);
  });

  test('Docker Hub without a host, without a tag, is bad on both counts', () => {
    const verdict = judged('pytorch/pytorch');
    expect(verdict.answer).toBe(false);
    expect(verdict.detail).toMatch(/Docker Hub \(no registry host given\) is a public or third-party registry/);
    expect(verdict.detail).toMatch(/no tag \(which pulls :latest\) floats/);
    expect(judged(`pytorch/pytorch@${DIGEST}`).detail).toMatch(/Docker Hub/);
    expect(judged('public.ecr.aws/x/y:LATEST').detail).toMatch(/the tag :LATEST floats/);
  });

  test('an allow-listed registry (host, wildcard host, host/path prefix) with a fixed tag is ok; :latest is not', () => {
    expect(judged('registry.example.com/team/model:1.2', { allowed: ['registry.example.com'] }).answer).toBe(true);
    expect(judged('eu.registry.example.com/model:1.2', { allowed: ['*.example.com'] }).answer).toBe(true);
    expect(judged('ghcr.io/org/model:1.2', { allowed: ['ghcr.io/org'] }).answer).toBe(true);
    expect(judged('ghcr.io/other/model:1.2', { allowed: ['ghcr.io/org'] }).answer).toBe(false);
    expect(judged('ghcr.io/organisation/model:1.2', { allowed: ['ghcr.io/org'] }).answer).toBe(false);
    expect(judged('localhost:5000/model:1.2', { allowed: ['localhost:5000'] }).answer).toBe(true);
    expect(judged('registry.example.com/model:latest', { allowed: ['registry.example.com'] }).answer).toBe(false);
  });

  test('a tag of an app repository is ok only when every form of its tags is immutable', () => {
    const image = { 'Fn::Sub': '${Repo.RepositoryUri}:v1' };
    expect(judged(image, { extra: repo('IMMUTABLE') }).answer).toBe(true);
    expect(judged(image, { extra: repo('immutable') }).answer).toBe(true);
    const mutable = judged(image, { extra: repo('MUTABLE') });
    expect(mutable.answer).toBe(false);
    expect(mutable.detail).toMatch(/repository Repo, whose tags are mutable/);
    expect(judged(image, { extra: repo() }).answer).toBe(false);
    expect(judged({ 'Fn::Sub': `\${Repo.RepositoryUri}@${DIGEST}` }, { extra: repo() }).answer).toBe(true);
  });

  test('an app repository named by its literal name in an own-account ECR URI', () => {
    expect(judged({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/models:v1' }, { extra: repo('IMMUTABLE') }).answer).toBe(true);
  });

  test('the bare URI of an app repository pulls :latest', () => {
    const verdict = judged({ 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }, { extra: repo('IMMUTABLE') });
    expect(verdict).toEqual({ answer: false, detail: 'the image is the URI of repository Repo without a tag or digest, which pulls :latest' });
  });

  test('ECR of another account: bad when the stack account is known, unknown when it is not', () => {
    const image = `222222222222.dkr.ecr.eu-west-2.amazonaws.com/models@${DIGEST}`;
    expect(judged(image, { account: '111111111111' }).answer).toBe(false);
    expect(judged(image, { account: '111111111111' }).detail).toMatch(/belongs to account 222222222222, not the app's account/);
    expect(judged(image, { account: '222222222222' }).answer).toBe(true);
    const agnostic = judged(image);
    expect(agnostic.answer).toBeInstanceOf(UnknownValue);
    expect(agnostic.detail).toMatch(/the stack's account is not known at synth time/);
  });

  test('values not known at synth time are unknown; non-strings are bad', () => {
    const { index, model } = modelWith('x');
    expect(judgeImage(index, model, new UnknownValue('imported value image'), []).answer).toBeInstanceOf(UnknownValue);
    expect(judgeImage(index, model, new ResourceReference('Nowhere', 'Test'), []).answer).toBeInstanceOf(UnknownValue);
    expect(judgeImage(index, model, 42, []).detail).toBe('the image is 42, not an image URI');
    expect(judgeImage(index, model, undefined, []).answer).toBe(false);
  });

  test('a tag chosen at deploy time is unknown, not ok', () => {
    const verdict = judged({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/models:${Tag}' });
    expect(verdict.answer).toBeInstanceOf(UnknownValue);
    expect(verdict.detail).toMatch(/the tag is chosen at deploy time/);
    expect(verdict.detail).not.toMatch(/[\u0001\u0003]/);
  });

  test('a digest that is not sha256 is bad', () => {
    expect(judged('registry.example.com/m@md5:abc', { allowed: ['registry.example.com'] }).detail).toMatch(/@md5:abc is not an @sha256: digest/);
    expect(judged('registry.example.com/m@sha256:short', { allowed: ['registry.example.com'] }).answer).toBe(false);
  });

  test('a private registry in the VPC must be allow-listed, even the own ECR', () => {
    const own = judged({ 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/models@${DIGEST}` }, { privateRegistry: true });
    expect(own.answer).toBe(false);
    expect(own.detail).toMatch(/RepositoryAccessMode is Vpc/);
    expect(own.detail).not.toMatch(/[\u0001\u0003]/);
    expect(judged(`registry.internal/m@${DIGEST}`, { allowed: ['registry.internal'], privateRegistry: true }).answer).toBe(true);
  });
});
