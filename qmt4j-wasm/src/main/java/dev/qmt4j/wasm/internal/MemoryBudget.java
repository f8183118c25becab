package dev.qmt4j.wasm.internal;

/**
 * One instance's memory budget in 64 KiB pages: the plugin's initial memory, its {@code memory.grow}
 * and Extism memory (the arena's high-water mark from its first byte) all count, so the limit is the
 * instance's real total. (Extism's limiter charges the initial memory only when checking it and then
 * starts over for growth, which lets an instance reach about twice the limit.) Charges are never
 * refunded: memories never shrink in wasm, and the arena's high-water mark counts like kernel memory would.
 */
public final class MemoryBudget {
    public static final int PAGE = 65536;

    private final int maxPages;
    private long usedPages;

    public MemoryBudget(int maxPages) {
        this.maxPages = maxPages;
    }

    public int maxPages() {
        return maxPages;
    }

    /** Charges {@code pages} more pages or throws {@link OutOfBudget}. */
    public void charge(long pages, String what) {
        if (pages <= 0) {
            return;
        }
        if (usedPages + pages > maxPages) {
            throw new OutOfBudget(what, usedPages, pages, maxPages);
        }
        usedPages += pages;
    }

    /** Thrown from inside a call when growth would pass the budget; becomes "oom" for the caller. */
    public static final class OutOfBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfBudget(String what, long used, long wanted, int max) {
            super("oom: " + what + " needs " + wanted + " more page(s) of 64 KiB; " + used + " of the budget of "
                    + max + " page(s) are used", null, false, false);
        }
    }
}
