// The two sentiment libraries ship no types; these are the parts the evaluators call.
declare module "vader-sentiment" {
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number } } };
  export default vader;
}
declare module "multilang-sentiment" {
  export default function sentiment(text: string, language?: string): { score: number; comparative: number };
}
