import { allOf, anyOf, Answer, not } from '../../../src/nag/engine/checks';
import { UnknownValue } from '../../../src/nag/engine/values';

describe('three-valued answers', () => {
  const maybe = new UnknownValue('imported');

  test('anyOf: yes wins over unknown, unknown over no; no answers is no', () => {
    expect(anyOf([false, maybe, true])).toBe(true);
    expect(anyOf([false, maybe])).toBe(maybe);
    expect(anyOf([false, false])).toBe(false);
    expect(anyOf([])).toBe(false);
  });

  test('allOf: no wins over unknown, unknown over yes; no answers is yes', () => {
    expect(allOf([true, maybe, false])).toBe(false);
    expect(allOf([true, maybe])).toBe(maybe);
    expect(allOf([true, true])).toBe(true);
    expect(allOf([])).toBe(true);
  });

  test('anyOf and allOf agree on a single answer', () => {
    for (const a of [true, false, maybe] as Answer[]) expect(anyOf([a])).toBe(allOf([a]));
  });

  test('not: yes and no swap, an unknown stays the same unknown', () => {
    expect(not(true)).toBe(false);
    expect(not(false)).toBe(true);
    expect(not(maybe)).toBe(maybe);
  });
});
