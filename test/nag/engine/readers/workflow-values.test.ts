import { s3LocationOf } from '../../../../src/nag/engine/readers/s3-locations';
import { leadingLiteral } from '../../../../src/nag/engine/readers/workflow-definitions';
import { Expression, ResourceReference, UnknownValue, unknownPseudoParameter } from '../../../../src/nag/engine/values';

const bucket = new ResourceReference('Captures', 'Stack');
const account = unknownPseudoParameter('AWS::AccountId');

describe('leadingLiteral: what a Step Functions value certainly starts with', () => {
  test('a value that is not JSONata is itself, whole', () => {
    expect(leadingLiteral('s3://b/captures/')).toEqual({ value: 's3://b/captures/', whole: true });
    const uri = new Expression(['s3://', bucket, '/captures']);
    expect(leadingLiteral(uri)).toEqual({ value: uri, whole: true });
  });

  test('a JSONata concatenation: its first string literal, not whole', () => {
    expect(leadingLiteral("{% 's3://b/captures/fraud/' & $window & '/' %}")).toEqual({ value: 's3://b/captures/fraud/', whole: false });
    expect(leadingLiteral('{%"s3://b/x/"&$w%}')).toEqual({ value: 's3://b/x/', whole: false });
  });

  test('a literal holding a reference comes back as an expression', () => {
    const read = leadingLiteral(new Expression(["{% 's3://", bucket, "/captures/fraud/' & $window & '/' %}"]));
    expect(read).toEqual({ value: new Expression(['s3://', bucket, '/captures/fraud/']), whole: false });
  });

  test('a JSONata expression that is only a literal is whole', () => {
    expect(leadingLiteral("{% 's3://b/captures' %}")).toEqual({ value: 's3://b/captures', whole: true });
  });

  test('no certain start: a variable, a function, an escape, an unterminated literal, a literal followed by anything but &', () => {
    for (const value of ['{% $uri %}', "{% $join(['s3://b/', $w]) %}", "{% 's3://b/it\\'s/' & $w %}", "{% 's3://b/x", "{% 's3://b/' = $x %}"]) {
      expect(leadingLiteral(value)).toBeUndefined();
    }
    expect(leadingLiteral(new Expression(["{% 's3://b/' ", bucket, ' %}']))).toBeUndefined();
  });
});

describe('s3LocationOf: an s3:// URI split into bucket and key', () => {
  test('literal text', () => {
    expect(s3LocationOf('s3://bucket/captures/fraud/')).toEqual({ bucket: 'bucket', key: 'captures/fraud/' });
    expect(s3LocationOf('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
  });

  test('a bucket reference and a literal key', () => {
    expect(s3LocationOf(new Expression(['s3://', bucket, '/captures']))).toEqual({ bucket, key: 'captures' });
  });

  test('a key with a part known only at deploy time has no key', () => {
    expect(s3LocationOf(new Expression(['s3://b/', account, '/x']))).toEqual({ bucket: 'b' });
  });

  test('a bucket name built from parts is not known', () => {
    const location = s3LocationOf(new Expression(['s3://cdk-hnb659fds-assets-', account, '/drift.py']));
    expect(location?.bucket).toBeInstanceOf(UnknownValue);
  });

  test('not an s3:// URI', () => {
    for (const value of ['https://b.s3.amazonaws.com/x', 'arn:aws:s3:::b/x', 's3://', 42, undefined, bucket]) expect(s3LocationOf(value)).toBeUndefined();
  });
});
