package dev.qmt4j.cache;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The outcome of re-hashing one entry with {@link PluginCache#verify}.
 *
 * @param key       the entry's key
 * @param directory the entry directory
 * @param problem   what was wrong (the entry has been deleted), or empty if it is intact
 */
public record EntryVerification(EntryKey key, Path directory, Optional<String> problem) {}
