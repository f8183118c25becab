package dev.qmt4j.pull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps every event, for asserting the phases a pull went through. */
final class Recorder implements PullListener {
    final List<PullEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void on(PullEvent event) {
        events.add(event);
    }

    /** Event class names in order, with consecutive Downloading events collapsed. */
    List<String> phases() {
        List<String> out = new java.util.ArrayList<>();
        for (PullEvent e : events) {
            String name = e.getClass().getSimpleName();
            if (out.isEmpty() || !out.get(out.size() - 1).equals(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
