package dev.qmt4j.cli;

import dev.qmt4j.pull.PullEvent;
import dev.qmt4j.pull.PullListener;
import java.io.PrintStream;

/**
 * Progress as plain lines on stderr, for logs and pipes. Downloads print a line when they start and
 * at each quarter, so a large blob writes five lines, not thousands. During {@code qmt4j update} each
 * line starts with the provider's name.
 */
final class PlainProgressListener implements PullListener {
    private final PrintStream err;
    private final String prefix;
    private int quartersShown = -1;

    /** @param label the provider name, or null for a plain pull */
    PlainProgressListener(PrintStream err, String label) {
        this.err = err;
        this.prefix = label == null ? "" : label + ": ";
    }

    @Override
    public synchronized void on(PullEvent event) {
        if (event instanceof PullEvent.Resolving r) {
            err.println(prefix + "resolving " + r.reference());
        } else if (event instanceof PullEvent.VerifyingSignature v) {
            err.println(prefix + "verifying signature " + v.digest());
        } else if (event instanceof PullEvent.Downloading d) {
            downloading(d.bytesDone(), d.total());
        } else if (event instanceof PullEvent.Extracting) {
            err.println(prefix + "extracting");
        } else if (event instanceof PullEvent.Persisting) {
            err.println(prefix + "persisting");
        } else if (event instanceof PullEvent.Completed) {
            err.println(prefix + "done");
        }
        // Failed is not printed: Main reports the error itself, with its hint and exit code.
    }

    private void downloading(long done, long total) {
        if (quartersShown < 0) {
            err.println(prefix + "downloading " + (total >= 0 ? Sizes.human(total) : "(size unknown)"));
            quartersShown = 0;
        }
        if (total > 0) {
            int quarters = (int) Math.min(4, done * 4 / total);
            if (quarters > quartersShown) {
                quartersShown = quarters;
                err.println(prefix + "  " + (quarters * 25) + "% (" + Sizes.human(done) + ")");
            }
        }
    }
}
