package dev.qmt4j.cli;

/** Sets up slf4j-simple before the first logger exists: warnings only, debug with --verbose. */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", Boolean.toString(verbose));
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    }
}
