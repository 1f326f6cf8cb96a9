import { allOf, anyOf, Tri } from '../../../src/nag/engine/tri-state';

describe('three-valued answers', () => {
  test('anyOf: yes wins over maybe, maybe over no; no answers is no', () => {
    expect(anyOf(['no', 'maybe', 'yes'])).toBe('yes');
    expect(anyOf(['no', 'maybe'])).toBe('maybe');
    expect(anyOf(['no', 'no'])).toBe('no');
    expect(anyOf([])).toBe('no');
  });

  test('allOf: no wins over maybe, maybe over yes; no answers is yes', () => {
    expect(allOf(['yes', 'maybe', 'no'])).toBe('no');
    expect(allOf(['yes', 'maybe'])).toBe('maybe');
    expect(allOf(['yes', 'yes'])).toBe('yes');
    expect(allOf([])).toBe('yes');
  });

  test('anyOf and allOf agree on a single answer', () => {
    for (const a of ['yes', 'no', 'maybe'] as Tri[]) expect(anyOf([a])).toBe(allOf([a]));
  });
});
