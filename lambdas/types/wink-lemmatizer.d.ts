declare module 'wink-lemmatizer' {
  /** The dictionary form of an English word, read as a noun, a verb or an adjective (the word itself if unknown). */
  interface Lemmatizer {
    noun(word: string): string;
    verb(word: string): string;
    adjective(word: string): string;
  }
  const lemmatizer: Lemmatizer;
  export default lemmatizer;
}
