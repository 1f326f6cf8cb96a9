import { ifElse, imported, NO_VALUE, validate, verdictOf } from '../../harness';

const KEY = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
const notebook = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::NotebookInstance',
  Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn:aws:iam::111122223333:role/nb', ...properties },
});
const domain = (properties: Record<string, unknown>) => ({
  Type: 'AWS::SageMaker::Domain',
  Properties: { DomainName: 'd', AuthMode: 'IAM', VpcId: 'vpc-1', SubnetIds: ['subnet-1'], DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::111122223333:role/x' }, ...properties },
});

describe('P2 notebook and domain storage encrypted with a customer-managed key', () => {
  test('compliant: both reference a key of the app', () => {
    const run = validate({
      Resources: {
        Key: KEY,
        Notebook: notebook({ KmsKeyId: { Ref: 'Key' } }),
        Domain: domain({ KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }),
      },
    });
    expect(verdictOf(run, 'P2', 'Notebook')).toBe('none');
    expect(verdictOf(run, 'P2', 'Domain')).toBe('none');
    expect(run.tally('P2')).toMatchObject({ evaluated: 2, compliant: 2 });
  });

  test('non-compliant: KmsKeyId absent on a notebook and on a domain', () => {
    const run = validate({ Resources: { Notebook: notebook({}), Domain: domain({}) } });
    expect(verdictOf(run, 'P2', 'Notebook')).toBe('non-compliant');
    expect(verdictOf(run, 'P2', 'Domain')).toBe('non-compliant');
    const [nb, dom] = ['Notebook', 'Domain'].map((id) => run.of('P2').find((f) => f.logicalId === id)!);
    expect(nb).toMatchObject({ ruleName: 'SecureAI-P2', level: 'error', locations: ['Properties.KmsKeyId'] });
    expect(nb.message).toMatch(/KmsKeyId is absent.*notebook's ML storage volume/);
    expect(dom.message).toMatch(/KmsKeyId is absent.*EFS home directories/);
  });

  test('non-compliant: an AWS-managed key is not customer-managed', () => {
    for (const key of ['alias/aws/sagemaker', 'arn:aws:kms:eu-west-2:111122223333:alias/aws/sagemaker',
      { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/sagemaker' }]) {
      const run = validate({ Resources: { Notebook: notebook({ KmsKeyId: key }) } });
      expect(verdictOf(run, 'P2', 'Notebook')).toBe('non-compliant');
      expect(run.of('P2')[0].message).toMatch(/AWS-managed key/);
    }
    const customerAlias = validate({ Resources: { Notebook: notebook({ KmsKeyId: 'alias/ml-notebooks' }) } });
    expect(verdictOf(customerAlias, 'P2', 'Notebook')).toBe('none');
  });

  test('non-compliant: empty key', () => {
    expect(verdictOf(validate({ Resources: { Domain: domain({ KmsKeyId: '' }) } }), 'P2', 'Domain')).toBe('non-compliant');
  });

  test('intrinsic: Fn::If with a NoValue branch is a finding', () => {
    const run = validate({ Resources: { Key: KEY, Domain: domain({ KmsKeyId: ifElse({ Ref: 'Key' }, NO_VALUE) }) } });
    expect(verdictOf(run, 'P2', 'Domain')).toBe('non-compliant');
    expect(run.of('P2')[0].message).toMatch(/possible forms/);
  });

  test('intrinsic: Ref to a parameter judged by its default and allowed values', () => {
    const withDefault = (Default: string, AllowedValues?: string[]) => validate({
      Parameters: { NotebookKey: { Default, AllowedValues } },
      Resources: { Notebook: notebook({ KmsKeyId: { Ref: 'NotebookKey' } }) },
    });
    expect(verdictOf(withDefault('arn:aws:kms:eu-west-2:111122223333:key/abc'), 'P2', 'Notebook')).toBe('none');
    expect(verdictOf(withDefault(''), 'P2', 'Notebook')).toBe('non-compliant');
    expect(withDefault('').of('P2')[0].message).toMatch(/parameter NotebookKey/);
    expect(verdictOf(withDefault('arn:aws:kms:eu-west-2:111122223333:key/abc', ['arn:aws:kms:eu-west-2:111122223333:key/abc', 'alias/aws/sagemaker']),
      'P2', 'Notebook')).toBe('parameter');
  });

  test('an imported key ARN is set', () => {
    const run = validate({ Resources: { Notebook: notebook({ KmsKeyId: imported('shared-key-arn') }) } });
    expect(verdictOf(run, 'P2', 'Notebook')).toBe('none');
  });

  test('a value that is not a key is a finding, not a crash', () => {
    const run = validate({ Resources: { Notebook: notebook({ KmsKeyId: { Nested: ['not', 'a', 'key'] } }) } });
    expect(verdictOf(run, 'P2', 'Notebook')).toBe('non-compliant');
    expect(run.of('P2')[0].message).toMatch(/not a key ARN/);
    expect(run.tally('P2').errors).toBe(0);
  });
});
