import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EnvironmentStage } from '../../src/construct-kit/environment-stage';
import { InvalidPropError, invalidProp, requireLogRetention, requireWholeNumber, showValue } from '../../src/construct-kit/validation';

class Widget extends Construct {}

describe('one shape: construct, prop, value, what is wrong, fix', () => {
  test('a construct is named by its class and id, and its path is kept', () => {
    const widget = new Widget(new Stack(new App(), 'S'), 'W');
    const error = invalidProp(widget, { prop: 'size', value: 0, problem: 'but it must be at least 1', fix: 'give 1 or more' });
    expect(error).toBeInstanceOf(InvalidPropError);
    expect(error.message).toBe('Widget W: size is 0, but it must be at least 1. Fix: give 1 or more.');
    expect(error).toMatchObject({ owner: 'Widget W', prop: 'size', value: '0', fix: 'give 1 or more', constructPath: 'S/W' });
  });

  test('a construct named as text has no path; a fix that ends a sentence is not given a second full stop', () => {
    const error = invalidProp('Widget W', { prop: 'name', value: 'a b', problem: 'which is not a name', fix: 'use letters (a to z).' });
    expect(error.message).toBe('Widget W: name is \'a b\', which is not a name. Fix: use letters (a to z).');
    expect(error.constructPath).toBeUndefined();
  });

  test.each([
    [undefined, 'missing'], ['x', '\'x\''], [3.5, '3.5'], [['a', 1], '[\'a\', 1]'],
  ])('the value %p is shown as %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });
});

describe('requireWholeNumber', () => {
  test.each([[1], [50], [100]])('%p within 1 to 100 is returned', (value) => {
    expect(requireWholeNumber('W w', 'count', value, { min: 1, max: 100 }, 'give 2')).toBe(value);
  });

  test.each([
    [0, /W w: count is 0, but it must be a whole number between 1 and 100\. Fix: give 2\./],
    [101, /count is 101, but it must be a whole number between 1 and 100/],
    [1.5, /count is 1\.5/],
    [NaN, /count is NaN/],
    ['3' as unknown as number, /count is '3'/],
  ])('%p is refused naming the prop, the value, the range and the fix', (value, message) => {
    expect(() => requireWholeNumber('W w', 'count', value, { min: 1, max: 100 }, 'give 2')).toThrow(message);
  });

  test('an open range and a unit are said as such', () => {
    expect(() => requireWholeNumber('W w', 'days', 0, { min: 1, unit: 'days' }, 'give 90')).toThrow(/days is 0, but it must be a whole number of days of at least 1\. Fix: give 90/);
  });
});

describe('requireLogRetention', () => {
  const purpose = { evidence: 'the record of X' };

  test('a year or more passes in production; less passes outside it', () => {
    expect(requireLogRetention('W w', 'logRetention', logs.RetentionDays.ONE_YEAR, EnvironmentStage.PRODUCTION, purpose)).toBe(365);
    expect(requireLogRetention('W w', 'logRetention', logs.RetentionDays.ONE_WEEK, EnvironmentStage.DEVELOPMENT, purpose)).toBe(7);
  });

  test('less than a year in production is refused, saying what the logs are evidence of', () => {
    expect(() => requireLogRetention('W w', 'logRetention', logs.RetentionDays.ONE_MONTH, EnvironmentStage.PRODUCTION, purpose))
      .toThrow('W w: logRetention is 30 days, too short for production, where the record of X is evidence for incident response. Fix: give logs.RetentionDays.ONE_YEAR or longer.');
  });

  test('a value that is not a retention is refused in any stage', () => {
    expect(() => requireLogRetention('W w', 'logRetention', 0 as logs.RetentionDays, EnvironmentStage.DEVELOPMENT, purpose))
      .toThrow(/logRetention is 0, but it must be a logs\.RetentionDays value of a set number of days\. Fix/);
  });

  test('infinite retention is kept unless the logs must not be kept for ever', () => {
    expect(requireLogRetention('W w', 'r', logs.RetentionDays.INFINITE, EnvironmentStage.PRODUCTION, purpose)).toBe(logs.RetentionDays.INFINITE);
    expect(() => requireLogRetention('W w', 'r', logs.RetentionDays.INFINITE, EnvironmentStage.DEVELOPMENT, { ...purpose, notForEver: 'they hold personal data' }))
      .toThrow(/r is 9999, but it must be a logs\.RetentionDays value of a set number of days: they hold personal data, not kept for ever\. Fix/);
  });
});
