package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import java.io.Console;
import java.util.Arrays;
import java.util.Optional;

/** cosign's password rule: {@code COSIGN_PASSWORD} if set (even empty), else a console prompt; never a prompt without a console. */
final class Passwords {
    private Passwords() {}

    static char[] read(CliContext context, String prompt, boolean confirm) {
        Optional<String> env = Optional.ofNullable(context.env().get("COSIGN_PASSWORD"));
        if (env.isPresent()) {
            return env.get().toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new Qmt4jException(ErrorKind.USAGE, "no password: COSIGN_PASSWORD is not set and there is no console to prompt on",
                    "set COSIGN_PASSWORD (it may be empty)");
        }
        char[] first = console.readPassword("%s", prompt);
        if (first == null) {
            throw new Qmt4jException(ErrorKind.USAGE, "no password entered");
        }
        if (confirm) {
            char[] again = console.readPassword("%s", "Enter password for private key again: ");
            if (again == null || !Arrays.equals(first, again)) {
                throw new Qmt4jException(ErrorKind.USAGE, "the passwords do not match");
            }
        }
        return first;
    }
}
