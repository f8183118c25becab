package dev.qmt4j.cli;

import dev.qmt4j.pull.PullEvent;
import dev.qmt4j.pull.PullListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress on a terminal: phase lines plus a progress bar while the blob downloads. */
final class BarProgressListener implements PullListener {
    private static final long MIB = 1024L * 1024L;
    private final PrintStream err;
    private ProgressBar bar;

    BarProgressListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void on(PullEvent event) {
        if (event instanceof PullEvent.Downloading d) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("downloading").setInitialMax(Math.max(d.total(), 0))
                        .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", MIB).showSpeed()
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
            }
            bar.stepTo(d.bytesDone());
            return;
        }
        closeBar();
        if (event instanceof PullEvent.Resolving r) {
            err.println("resolving " + r.reference());
        } else if (event instanceof PullEvent.VerifyingSignature v) {
            err.println("verifying signature " + v.digest());
        } else if (event instanceof PullEvent.Extracting) {
            err.println("extracting");
        }
        // Failed is not printed: Main reports the error itself, with its hint and exit code.
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
