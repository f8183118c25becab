package dev.qmt4j.pull;

/** Receives {@link PullEvent}s. Called from the pulling thread; must be thread-safe. */
@FunctionalInterface
public interface PullListener {
    PullListener NONE = event -> {};

    void on(PullEvent event);
}
