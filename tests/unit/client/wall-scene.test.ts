import { describe, expect, it } from 'vitest';
import { sceneOf } from '../../../src/lib/wall/scene';

describe('sceneOf', () => {
  it.each([
    ['', null, 'overview'],
    ['?scene=care', null, 'care'],
    ['?scene=care&display=x', null, 'care'],
    ['?scene=nope', null, 'overview'],
    // A pinned display wins over the URL.
    ['?scene=overview', 'care', 'care'],
    ['?scene=care', 'overview', 'overview'],
    ['', 'retired-scene', 'overview']
  ])('%s pinned %s → %s', (search, pinned, scene) => {
    expect(sceneOf(search, pinned)).toBe(scene);
  });
});
