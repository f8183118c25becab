package dev.qmt4j.cli;

import dev.qmt4j.pull.PullEvent;
import dev.qmt4j.pull.PullListener;
import java.io.PrintStream;

/**
 * Progress as plain lines on stderr, for logs and pipes. Downloads print a line when they start and
 * at each quarter, so a large blob writes five lines, not thousands.
 */
final class PlainProgressListener implements PullListener {
    private final PrintStream err;
    private int quartersShown = -1;

    PlainProgressListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void on(PullEvent event) {
        if (event instanceof PullEvent.Resolving r) {
            err.println("resolving " + r.reference());
        } else if (event instanceof PullEvent.VerifyingSignature v) {
            err.println("verifying signature " + v.digest());
        } else if (event instanceof PullEvent.Downloading d) {
            downloading(d.bytesDone(), d.total());
        } else if (event instanceof PullEvent.Extracting) {
            err.println("extracting");
        } else if (event instanceof PullEvent.Persisting) {
            err.println("persisting");
        } else if (event instanceof PullEvent.Completed) {
            err.println("done");
        }
        // Failed is not printed: Main reports the error itself, with its hint and exit code.
    }

    private void downloading(long done, long total) {
        if (quartersShown < 0) {
            err.println("downloading " + (total >= 0 ? Sizes.human(total) : "(size unknown)"));
            quartersShown = 0;
        }
        if (total > 0) {
            int quarters = (int) Math.min(4, done * 4 / total);
            if (quarters > quartersShown) {
                quartersShown = quarters;
                err.println("  " + (quarters * 25) + "% (" + Sizes.human(done) + ")");
            }
        }
    }
}
