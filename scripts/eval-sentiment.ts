/**
 * `npm run eval:sentiment`: measures the sentiment engine against labelled tweets, side by side
 * with three offline lexicons (vader-sentiment, sentiment/AFINN, wink-sentiment) run in the same
 * process on the same texts. Mission Control is scored exactly as the CLI and the live pipeline
 * score a text with no declared language (language check, then sentiment); "mc sentiment only"
 * is the sentiment engine alone, for its speed. Reads
 * `../shared/data/sentiment` (or SENTIMENT_DATA) when present; without it, says so and exits 0. Prints a table per set and one JSON line per (set, engine).
 *
 * Metrics: macro recall (the mean of per-class recall: TweetEval's official metric), macro F1 and
 * accuracy over negative/neutral/positive; texts/s is single-threaded, after a warm-up pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import Sentiment from 'sentiment';
import vader from 'vader-sentiment';
import winkSentiment from 'wink-sentiment';
import { scoreSentiment } from '../server/core/enrich/sentiment';
import { sentimentFor } from '../server/core/enrich/text';
import type { SentimentLabel } from '../src/lib/shared/types';

const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];
interface Sample {
  text: string;
  label: SentimentLabel;
}

const dir = resolve(
  process.env.SENTIMENT_DATA ?? join(process.cwd(), '..', 'shared', 'data', 'sentiment')
);

function loadSets(): Record<string, Sample[]> {
  const sets: Record<string, Sample[]> = {};
  const tweeteval = join(dir, 'tweeteval');
  if (existsSync(join(tweeteval, 'val_text.txt'))) {
    const texts = readFileSync(join(tweeteval, 'val_text.txt'), 'utf8').split('\n');
    const labels = readFileSync(join(tweeteval, 'val_labels.txt'), 'utf8').split('\n');
    sets['tweeteval (val, 2,000)'] = labels
      .map((l, i) => ({ l: l.trim(), text: texts[i] ?? '' }))
      .filter((x) => x.l !== '')
      .map((x) => ({ text: x.text, label: LABELS[Number(x.l)]! }));
  }
  const vaderFile = join(dir, 'vader', 'tweets_GroundTruth.txt');
  if (existsSync(vaderFile)) {
    sets['vader tweets (4,200)'] = readFileSync(vaderFile, 'latin1')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [, mean, ...rest] = l.split('\t');
        const v = Number(mean) / 4;
        return {
          text: rest.join('\t').trim(),
          label: v > 0.05 ? 'positive' : v < -0.05 ? 'negative' : 'neutral'
        };
      });
  }
  const s140 = join(dir, 'sentiment140', 'testdata.manual.2009.06.14.csv');
  if (existsSync(s140)) {
    const rows = parse(readFileSync(s140, 'latin1'), { relax_quotes: true }) as string[][];
    sets['sentiment140 (498)'] = rows
      .filter((r) => r[0] === '0' || r[0] === '2' || r[0] === '4')
      .map((r) => ({
        text: r[1] ?? '',
        label: r[0] === '0' ? 'negative' : r[0] === '2' ? 'neutral' : 'positive'
      }));
  }
  return sets;
}

const afinn = new Sentiment();
const sign = (x: number, eps = 0): SentimentLabel =>
  x > eps ? 'positive' : x < -eps ? 'negative' : 'neutral';

const ENGINES: Record<string, (text: string) => SentimentLabel> = {
  'mission-control': (t) => sentimentFor(t, null).sentiment.label,
  'mc sentiment only': (t) => scoreSentiment(t).label,
  'vader-sentiment': (t) =>
    sign(vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, 0.05 - 1e-9),
  'sentiment (AFINN)': (t) => sign(afinn.analyze(t).score),
  'wink-sentiment': (t) => sign(winkSentiment(t).normalizedScore)
};

interface Scores {
  macroRecall: number;
  macroF1: number;
  accuracy: number;
  textsPerSecond: number;
}

function evaluate(engine: (t: string) => SentimentLabel, samples: Sample[]): Scores {
  for (const s of samples) engine(s.text); // warm-up
  const predicted: SentimentLabel[] = new Array(samples.length);
  let rounds = 0;
  const t0 = performance.now();
  do {
    for (let i = 0; i < samples.length; i++) predicted[i] = engine(samples[i]!.text);
    rounds++;
  } while (performance.now() - t0 < 500);
  const seconds = (performance.now() - t0) / 1000;
  let correct = 0;
  let recall = 0;
  let f1 = 0;
  for (const c of LABELS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    samples.forEach((s, i) => {
      const p = predicted[i];
      if (p === c && s.label === c) tp++;
      else if (p === c) fp++;
      else if (s.label === c) fn++;
    });
    const r = tp + fn ? tp / (tp + fn) : 0;
    const pr = tp + fp ? tp / (tp + fp) : 0;
    recall += r / LABELS.length;
    f1 += (pr + r ? (2 * pr * r) / (pr + r) : 0) / LABELS.length;
  }
  samples.forEach((s, i) => {
    if (predicted[i] === s.label) correct++;
  });
  return {
    macroRecall: recall,
    macroF1: f1,
    accuracy: correct / samples.length,
    textsPerSecond: (samples.length * rounds) / seconds
  };
}

const sets = loadSets();
if (Object.keys(sets).length === 0) {
  console.log(`no labelled sets under ${dir}; set SENTIMENT_DATA to their directory`);
  process.exit(0);
}
const json: string[] = [];
for (const [name, samples] of Object.entries(sets)) {
  console.log(`\n${name}`);
  console.log(
    `${'engine'.padEnd(20)} ${'macro recall'.padStart(12)} ${'macro F1'.padStart(9)} ${'accuracy'.padStart(9)} ${'texts/s'.padStart(10)}`
  );
  for (const [engine, fn] of Object.entries(ENGINES)) {
    const s = evaluate(fn, samples);
    console.log(
      `${engine.padEnd(20)} ${s.macroRecall.toFixed(3).padStart(12)} ${s.macroF1.toFixed(3).padStart(9)} ${s.accuracy.toFixed(3).padStart(9)} ${Math.round(s.textsPerSecond).toString().padStart(10)}`
    );
    json.push(
      JSON.stringify({
        set: name,
        engine,
        macroRecall: +s.macroRecall.toFixed(4),
        macroF1: +s.macroF1.toFixed(4),
        accuracy: +s.accuracy.toFixed(4),
        textsPerSecond: Math.round(s.textsPerSecond)
      })
    );
  }
}
console.log('');
for (const l of json) console.log(l);
