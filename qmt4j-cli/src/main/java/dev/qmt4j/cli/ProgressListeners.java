package dev.qmt4j.cli;

import dev.qmt4j.pull.PullListener;

/**
 * Picks how a pull shows progress: a bar on a terminal ({@link CliContext#terminal()}), plain lines
 * otherwise (and with {@code --json}, whose stdout is for machines), nothing with {@code --quiet}.
 */
final class ProgressListeners {
    private ProgressListeners() {}

    /** Progress of {@code qmt4j pull}. */
    static PullListener forCli(CliContext context, boolean json) {
        return create(context, json, null);
    }

    /** Progress of one provider's pull during {@code qmt4j update}: the bar and each line are labelled with its name. */
    static PullListener forProvider(CliContext context, String provider) {
        return create(context, false, provider);
    }

    private static PullListener create(CliContext context, boolean json, String label) {
        if (context.quiet()) {
            return PullListener.NONE;
        }
        if (!json && context.terminal()) {
            return new BarProgressListener(context.err(), label);
        }
        return new PlainProgressListener(context.err(), label);
    }
}
