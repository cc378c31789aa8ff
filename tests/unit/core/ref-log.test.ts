import { describe, expect, it } from 'vitest';
import { RefLog } from '../../../server/core/ref-log';

/** Live entries oldest reference first, as [ref, value]. */
function entries(log: RefLog): [number, number][] {
  const out: [number, number][] = [];
  log.forEach((value, ref) => {
    out.push([ref, value]);
  });
  return out;
}

/** A deterministic pseudo-random sequence (no Math.random in tests). */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('RefLog', () => {
  it.each([
    {
      name: 'appends in order and reads back',
      ops: [
        ['set', 3, 30],
        ['set', 5, 50],
        ['set', 9, 90]
      ],
      want: [
        [3, 30],
        [5, 50],
        [9, 90]
      ]
    },
    {
      name: 'places a reference that arrives late in order',
      ops: [
        ['set', 3, 30],
        ['set', 9, 90],
        ['set', 5, 50],
        ['set', 1, 10]
      ],
      want: [
        [1, 10],
        [3, 30],
        [5, 50],
        [9, 90]
      ]
    },
    {
      name: 'sets the value of a reference already there',
      ops: [
        ['set', 3, 30],
        ['set', 9, 90],
        ['set', 3, 31]
      ],
      want: [
        [3, 31],
        [9, 90]
      ]
    },
    {
      name: 'deletes from the middle and the front',
      ops: [
        ['set', 1, 10],
        ['set', 2, 20],
        ['set', 3, 30],
        ['delete', 2],
        ['delete', 1]
      ],
      want: [[3, 30]]
    },
    {
      name: 'adds a deleted reference again',
      ops: [
        ['set', 1, 10],
        ['set', 2, 20],
        ['delete', 1],
        ['set', 1, 11]
      ],
      want: [
        [1, 11],
        [2, 20]
      ]
    },
    {
      name: 'takes negative references and zero values',
      ops: [
        ['set', -5, 0],
        ['set', -2, -1],
        ['set', 4, 0]
      ],
      want: [
        [-5, 0],
        [-2, -1],
        [4, 0]
      ]
    },
    {
      name: 'deletes the oldest, skipping deleted ones',
      ops: [['set', 1, 10], ['set', 2, 20], ['set', 3, 30], ['delete', 1], ['deleteOldest']],
      want: [[3, 30]]
    }
  ] as const)('$name', ({ ops, want }) => {
    const log = new RefLog(2);
    for (const op of ops) {
      if (op[0] === 'set') log.set(op[1], op[2]);
      else if (op[0] === 'delete') log.delete(op[1]);
      else log.deleteOldest();
    }
    expect(entries(log)).toEqual(want);
    expect(log.size).toBe(want.length);
    for (const [ref, value] of want) expect(log.get(ref)).toBe(value);
  });

  it('answers absent references as absent', () => {
    const log = new RefLog();
    expect(log.get(1)).toBeUndefined();
    expect(log.delete(1)).toBeUndefined();
    expect(log.oldest()).toBeUndefined();
    log.set(10, 1);
    log.set(20, 2);
    for (const ref of [0, 5, 15, 25, -10]) {
      expect(log.has(ref)).toBe(false);
      expect(log.delete(ref)).toBeUndefined();
    }
    expect(log.delete(10)).toBe(1);
    expect(log.has(10)).toBe(false);
    expect(log.oldest()).toEqual({ ref: 20, value: 2 });
  });

  it('refuses NaN values (they mark deleted entries)', () => {
    expect(() => new RefLog().set(1, NaN)).toThrow(/NaN/);
  });

  it('stops forEach when the callback returns false', () => {
    const log = new RefLog();
    for (let r = 1; r <= 10; r++) log.set(r, r);
    const seen: number[] = [];
    log.forEach((v) => seen.push(v) < 3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it.each([
    { name: 'references mostly in order with gaps', seed: 1, inOrder: 0.95 },
    { name: 'references in random order', seed: 2, inOrder: 0 },
    { name: 'a firehose: in order, oldest evicted', seed: 3, inOrder: 1 }
  ])('agrees with a Map over 20,000 random operations: $name', ({ seed, inOrder }) => {
    const random = rng(seed);
    const log = new RefLog(4);
    const model = new Map<number, number>();
    let next = 1;
    for (let i = 0; i < 20_000; i++) {
      const op = random();
      if (op < 0.5) {
        const ref =
          random() < inOrder ? (next += 1 + Math.floor(random() * 3)) : Math.floor(random() * 5000);
        if (ref === 0) continue;
        log.set(ref, i);
        model.set(ref, i);
      } else if (op < 0.75) {
        const ref = Math.floor(random() * (next + 100));
        const had = model.get(ref);
        model.delete(ref);
        expect(log.delete(ref)).toBe(had);
      } else if (op < 0.8) {
        const oldest = Math.min(...model.keys());
        expect(log.oldest()?.ref).toBe(model.size ? oldest : undefined);
        if (model.size) {
          log.deleteOldest();
          model.delete(oldest);
        }
      } else {
        const ref = Math.floor(random() * (next + 100));
        expect(log.get(ref)).toBe(model.get(ref));
      }
      expect(log.size).toBe(model.size);
    }
    expect(entries(log)).toEqual([...model].sort((a, b) => a[0] - b[0]));
  });

  it('keeps its arrays bounded by the live entries under a steady stream', () => {
    const log = new RefLog(16);
    for (let r = 1; r <= 200_000; r++) {
      log.set(r, r);
      if (r % 2 === 0) log.delete(r - 1);
      while (log.size > 1000) log.deleteOldest();
    }
    expect(log.size).toBe(1000);
    expect(log.capacity).toBeLessThanOrEqual(4 * 1024 + 4096);
    expect(log.oldest()?.ref).toBe(198_002);
  });
});
