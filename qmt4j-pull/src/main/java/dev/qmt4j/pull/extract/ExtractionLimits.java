package dev.qmt4j.pull.extract;

/**
 * Caps on what a native layer may unpack to, so a small compressed layer cannot fill the disk
 * (a gzip bomb) or the inode table.
 *
 * @param maxTotalBytes total uncompressed bytes of all regular files
 * @param maxEntries    number of archive entries of any kind
 */
public record ExtractionLimits(long maxTotalBytes, int maxEntries) {
    /** 1 GiB and 10,000 entries: far above any real plugin, far below a full disk. */
    public static final ExtractionLimits DEFAULT = new ExtractionLimits(1L << 30, 10_000);

    public ExtractionLimits {
        if (maxTotalBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
