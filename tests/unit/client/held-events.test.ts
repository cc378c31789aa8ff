import { describe, expect, it } from 'vitest';
import { holdEvents } from '../../../src/lib/realtime/held-events';
import { FakeSocket } from '../../helpers/fake-socket';

type Step = ['deliver', string, ...unknown[]] | ['listen', string] | ['release'];

const cases: { name: string; steps: Step[]; seen: string[] }[] = [
  {
    name: 'events before release reach listeners attached later, in the order they came',
    steps: [
      ['deliver', 'connect'],
      ['deliver', 'wall:snapshot', 1],
      ['deliver', 'wall:tick', 2],
      ['listen', 'connect'],
      ['listen', 'wall:snapshot'],
      ['listen', 'wall:tick'],
      ['release']
    ],
    seen: ['connect', 'wall:snapshot 1', 'wall:tick 2']
  },
  {
    name: 'after release events go straight to their listeners, and nothing twice',
    steps: [
      ['deliver', 'wall:tick', 1],
      ['listen', 'wall:tick'],
      ['release'],
      ['deliver', 'wall:tick', 2],
      ['release'],
      ['deliver', 'wall:tick', 3]
    ],
    seen: ['wall:tick 1', 'wall:tick 2', 'wall:tick 3']
  },
  {
    name: 'a refused connection is handed on, so the page can say so',
    steps: [
      ['deliver', 'connect_error', 'unauthorised: sign in'],
      ['listen', 'connect_error'],
      ['release']
    ],
    seen: ['connect_error unauthorised: sign in']
  },
  {
    name: 'an event nobody listens to by release is dropped, as on any socket',
    steps: [
      ['deliver', 'care:summary', 1],
      ['deliver', 'wall:snapshot', 2],
      ['listen', 'wall:snapshot'],
      ['release'],
      ['listen', 'care:summary'],
      ['deliver', 'care:summary', 3]
    ],
    seen: ['wall:snapshot 2', 'care:summary 3']
  },
  {
    name: 'a disconnect and reconnect while held are replayed in order',
    steps: [
      ['deliver', 'connect'],
      ['deliver', 'wall:snapshot', 1],
      ['deliver', 'disconnect', 'transport close'],
      ['deliver', 'connect'],
      ['deliver', 'wall:snapshot', 2],
      ['listen', 'connect'],
      ['listen', 'disconnect'],
      ['listen', 'wall:snapshot'],
      ['release']
    ],
    seen: ['connect', 'wall:snapshot 1', 'disconnect transport close', 'connect', 'wall:snapshot 2']
  }
];

describe('holdEvents', () => {
  for (const c of cases) {
    it(c.name, () => {
      const socket = new FakeSocket();
      const release = holdEvents(socket);
      const seen: string[] = [];
      for (const [op, event, ...args] of c.steps) {
        if (op === 'deliver') socket.deliver(event!, ...args);
        else if (op === 'listen') {
          socket.on(event!, (...got) => seen.push([event, ...got].join(' ')));
        } else release();
      }
      expect(seen).toEqual(c.seen);
    });
  }

  it('leaves no listener of its own behind once released', () => {
    const socket = new FakeSocket();
    const release = holdEvents(socket);
    expect(socket.anyCount).toBe(1);
    expect(socket.listeners('connect')).toHaveLength(1);
    release();
    expect(socket.anyCount).toBe(0);
    for (const e of ['connect', 'connect_error', 'disconnect']) {
      expect(socket.listeners(e)).toHaveLength(0);
    }
  });
});
