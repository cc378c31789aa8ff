// Minimal types for the baseline lexicons compared in scripts/eval-sentiment.ts (devDependencies
// without published types).
declare module 'vader-sentiment' {
  const vader: {
    SentimentIntensityAnalyzer: {
      polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
    };
  };
  export default vader;
}
declare module 'wink-sentiment' {
  export default function winkSentiment(text: string): { score: number; normalizedScore: number };
}
