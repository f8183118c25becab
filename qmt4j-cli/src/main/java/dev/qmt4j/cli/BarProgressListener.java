package dev.qmt4j.cli;

import dev.qmt4j.pull.PullEvent;
import dev.qmt4j.pull.PullListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on a terminal: phase lines plus a progress bar (bytes done and total, rate) while the blob
 * downloads. The bar is named after the provider when there is one, else {@code downloading}.
 */
final class BarProgressListener implements PullListener {
    private static final long KIB = 1024L;
    private static final long MIB = 1024L * KIB;
    private final PrintStream err;
    private final String label;
    private final String prefix;
    private ProgressBar bar;

    /** @param label the provider name, or null for a plain pull */
    BarProgressListener(PrintStream err, String label) {
        this.err = err;
        this.label = label;
        this.prefix = label == null ? "" : label + ": ";
    }

    @Override
    public synchronized void on(PullEvent event) {
        if (event instanceof PullEvent.Downloading d) {
            if (bar == null) {
                bar = newBar(d.total());
            }
            bar.stepTo(d.bytesDone());
            return;
        }
        closeBar();
        if (event instanceof PullEvent.Resolving r) {
            err.println(prefix + "resolving " + r.reference());
        } else if (event instanceof PullEvent.VerifyingSignature v) {
            err.println(prefix + "verifying signature " + v.digest());
        } else if (event instanceof PullEvent.Extracting) {
            err.println(prefix + "extracting");
        }
        // Failed is not printed: the command reports the error itself.
    }

    private ProgressBar newBar(long total) {
        // Plugins are often well under a MiB; "0.0/0.1 MiB" would say nothing.
        boolean small = total >= 0 && total < MIB;
        return new ProgressBarBuilder().setTaskName(label == null ? "downloading" : label)
                .setInitialMax(Math.max(total, 0)).setStyle(ProgressBarStyle.ASCII)
                .setUnit(small ? "KiB" : "MiB", small ? KIB : MIB).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
