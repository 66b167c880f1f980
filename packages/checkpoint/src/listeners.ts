/** A set of listeners; one that throws does not keep the others from being called. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  /** Adds `listener`; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const l of this.set) {
      try {
        l(value);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}
