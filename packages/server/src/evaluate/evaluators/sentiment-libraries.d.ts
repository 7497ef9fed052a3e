// The sentiment libraries ship no types; these are the parts the evaluators call.
declare module "vader-sentiment" {
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number } } };
  export default vader;
}
declare module "sentiment" {
  export default class Sentiment {
    registerLanguage(language: string, definition: { labels: Record<string, number> }): void;
    analyze(text: string, options?: { language?: string }): { score: number; comparative: number };
  }
}
