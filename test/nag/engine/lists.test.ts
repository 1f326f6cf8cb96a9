import { addToList, addToListOnce } from '../../../src/nag/engine/lists';

describe('lists by key', () => {
  test('addToList keeps every value in the order added, in the list it created first', () => {
    const map = new Map<string, number[]>();
    addToList(map, 'a', 1);
    const list = map.get('a');
    addToList(map, 'a', 1);
    addToList(map, 'b', 2);
    expect(map.get('a')).toBe(list);
    expect([...map]).toEqual([['a', [1, 1]], ['b', [2]]]);
  });

  test('addToListOnce leaves out a value the list holds already', () => {
    const map = new Map<string, string[]>();
    for (const v of ['x', 'y', 'x']) addToListOnce(map, 'k', v);
    expect(map.get('k')).toEqual(['x', 'y']);
  });
});
