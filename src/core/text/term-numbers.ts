/**
 * Terms by number. Indexes built one after another over the same words (a corpus reloaded after a
 * new page) may share them, so that a builder can keep a word's term numbers from one build to the
 * next instead of looking its terms up again in each; the intent classifier numbers its words the
 * same way, so that the words a builder has numbered go to it as numbers.
 */
export class TermNumbers {
  private readonly ids = new Map<string, number>();

  get size(): number { return this.ids.size; }

  /** A term's number, given to it now if it has none. */
  of(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) this.ids.set(term, (id = this.ids.size));
    return id;
  }

  /** A term's number, or undefined for a term never numbered. */
  find(term: string): number | undefined { return this.ids.get(term); }
}
