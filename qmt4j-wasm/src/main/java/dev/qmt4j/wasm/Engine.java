package dev.qmt4j.wasm;

/** How a module's code runs. */
public enum Engine {
    /** Chicory's compiler (wasm to JVM bytecode), falling back to the interpreter if compilation fails. The default. */
    COMPILER,
    /** Chicory's interpreter only: slower calls, no compilation cost. */
    INTERPRETER
}
