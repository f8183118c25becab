package dev.qmt4j.pull;

/** Progress of one pull, in the phases QueryMT reports (plus byte counts for downloads). */
public sealed interface PullEvent {
    record Resolving(String reference) implements PullEvent {}

    record VerifyingSignature(String digest) implements PullEvent {}

    /** @param total the declared size, or -1 if unknown */
    record Downloading(long bytesDone, long total) implements PullEvent {}

    record Extracting() implements PullEvent {}

    record Persisting() implements PullEvent {}

    record Completed(PullResult result) implements PullEvent {}

    record Failed(String reason) implements PullEvent {}
}
