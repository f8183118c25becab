package dev.qmt4j.cli;

import dev.qmt4j.pull.PullListener;

/** Picks how a pull shows progress: a bar on a terminal, plain lines otherwise, nothing with --quiet. */
final class ProgressListeners {
    private ProgressListeners() {}

    static PullListener forCli(CliContext context, boolean json) {
        if (context.quiet()) {
            return PullListener.NONE;
        }
        if (System.console() != null && !json) {
            return new BarProgressListener(context.err());
        }
        return new PlainProgressListener(context.err());
    }
}
