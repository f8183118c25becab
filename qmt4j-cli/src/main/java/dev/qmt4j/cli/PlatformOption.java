package dev.qmt4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --platform OS/ARCH[/VARIANT]} after a provider command ({@code providers}, {@code models},
 * {@code chat}, {@code call}, {@code update}, {@code doctor}): the same as the global option before
 * the command. Not an inherited global option, because {@code pull} and {@code push} have their own
 * {@code --platform}.
 */
final class PlatformOption {
    static final String DESCRIPTION = "Load OCI providers for this platform instead of this machine's or the provider's "
            + "platform key (e.g. wasi/wasm for the sandboxed Wasm build); never falls back to another.";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = DESCRIPTION)
    void platform(String value) {
        if (value != null) {
            ((Qmt4jCommand) mixee.root().userObject()).context.platform = value;
        }
    }
}
