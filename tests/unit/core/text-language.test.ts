import { describe, expect, it } from 'vitest';
import { looksEnglish, sentimentFor } from '../../../server/core/enrich/text';

describe('looksEnglish', () => {
  it.each([
    ['my order is still not here and the app keeps crashing', true],
    ["I can't log in to my account, what is going on", true],
    ['I hate Joomla and I hate its plugins', true],
    ['I hate Joomla I hate Joomla', true],
    ['Das war ein schöner Tag', false],
    ['El pedido llegó tarde otra vez, qué desastre', false],
    ['Die Lieferung ist schon wieder zu spät, das ist ärgerlich', false],
    ['Bad santa BAD', false],
    ['', false],
    ['😀😀😀', false]
  ])('%s → %s', (text, expected) => {
    expect(looksEnglish(text)).toBe(expected);
  });
});

describe('sentimentFor: what the pipeline and the CLI score', () => {
  it.each([
    // [text, declared, language, scored]
    ['my parcel never arrived and the service is terrible', null, 'en', true],
    ['my parcel never arrived, terrible', null, 'en', true],
    ['parcel never arrived, terrible', null, 'und', true],
    ['Bad santa BAD', null, 'und', true],
    ['😡😡', null, 'und', true],
    ['El pedido llegó tarde otra vez, qué desastre total con este servicio', null, 'es', false],
    ['great stuff', 'en-US', 'en', true],
    ['great stuff', 'fr', 'fr', false],
    ['great stuff, thank you so much', 'und', 'en', true]
  ] as const)('%s (declared %s) → %s', (text, declared, language, scored) => {
    const r = sentimentFor(text, declared);
    expect(r.language).toBe(language);
    expect(r.sentiment.unscored === true).toBe(!scored);
    if (!scored) expect(r.sentiment).toEqual({ score: 0, label: 'neutral', unscored: true });
  });

  it('scores undetermined text by its emoji', () => {
    expect(sentimentFor('😡😡', null).sentiment.label).toBe('negative');
  });
});
