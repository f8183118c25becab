package dev.qmt4j.cli;

import dev.qmt4j.ErrorKind;
import dev.qmt4j.Qmt4jException;
import dev.qmt4j.cache.EntryVerification;
import dev.qmt4j.cache.PluginCache;
import dev.qmt4j.oci.ImageRef;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code qmt4j cache verify [REF]}: re-hash cached plugins in full, whatever their stamps say. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-hash every file of the cached plugins (or of REF's) against their digests.",
                "Loads skip the re-hash while a file's size, mtime, ctime and inode are unchanged; this checks anyway.",
                "A damaged entry is named, deleted (the next pull fetches it again) and the exit code is 7."})
final class CacheVerifyCommand implements Callable<Integer> {
    @ParentCommand
    CacheCommand cache;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REF",
            description = "Only this reference's cached builds (every platform pulled, as 'cache ls' lists them).")
    String reference;

    @Override
    public Integer call() {
        CliContext context = cache.context();
        Optional<ImageRef> ref = Optional.ofNullable(reference).map(ImageRef::parse);
        PluginCache pc = context.services().cache();
        if (ref.isPresent() && pc.findRef(ref.get()).flatMap(r -> r.entry()).isEmpty() && pc.builds(ref.get()).isEmpty()) {
            throw new Qmt4jException(ErrorKind.NOT_FOUND, ref.get().canonical() + " is not in the cache",
                    "'qmt4j cache ls' lists what is cached");
        }
        List<EntryVerification> results = pc.verify(ref);
        long damaged = 0;
        for (EntryVerification v : results) {
            if (v.problem().isPresent()) {
                damaged++;
                context.err().println("damaged: " + v.directory() + " (" + v.problem().get()
                        + "); deleted, the next pull fetches it again");
            } else if (context.verbose()) {
                context.err().println("ok: " + v.directory());
            }
        }
        if (damaged > 0) {
            throw new Qmt4jException(ErrorKind.INTEGRITY, damaged + " of " + results.size() + " cached plugin(s) damaged",
                    "they were deleted; pull them again");
        }
        context.out().println("verified " + results.size() + " cached plugin(s): intact");
        return 0;
    }
}
