package dev.qmt4j.host;

import java.time.Duration;
import java.util.Optional;

/** What a {@link Follower} saw at one check of a provider's tag (docs/locking.md, "Following a tag"). */
public sealed interface FollowEvent {

    /** The provider checked. */
    String provider();

    /** The tag still points at the digest in service. */
    record Unchanged(String provider, String digest) implements FollowEvent {}

    /** A new digest, verified and signed by the same signer as the one it replaces, is now in service. */
    record Swapped(String provider, Optional<String> previous, String digest) implements FollowEvent {}

    /** The tag points at a digest that failed verification or has another signer; the old version stays in service. */
    record Refused(String provider, String digest, String reason) implements FollowEvent {}

    /** The check failed (registry unreachable, ...); the working version stays; the next check is in {@code retryIn}. */
    record Failed(String provider, String reason, Duration retryIn) implements FollowEvent {}
}
