package dev.qmt4j.cli;

/** Sets up slf4j-simple before the first logger exists: warnings only, debug with --verbose. */
final class Logging {
    /** slf4j-simple's provider, named so that slf4j need not search the class path for one. */
    static final String PROVIDER = "org.slf4j.simple.SimpleServiceProvider";

    private Logging() {}

    static void configure(boolean verbose) {
        // Without a named provider slf4j asks ServiceLoader, which opens and indexes every jar on the
        // class path to find META-INF/services files (docs/benchmarks.md, "Provider start-up"). A named
        // one makes slf4j print an "SLF4J(I): Attempting to load provider" line on stderr, which
        // verbosity WARN silences (its warnings and errors still show). A user's own choice stays.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", PROVIDER);
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", Boolean.toString(verbose));
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    }
}
