// bench/Sha256Bench.java — how fast this JVM hashes a file with SHA-256, the work every qmt4j
// pull and cache hit does over the whole plugin. Run as a single-file program:
//   java bench/Sha256Bench.java FILE                              (default tiered JIT: C1 + C2)
//   java -XX:TieredStopAtLevel=1 bench/Sha256Bench.java FILE      (C1 only: no SHA-256 intrinsic)
// Prints one line per round; round 1 includes the JIT warming up, as in a fresh CLI process.
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

public class Sha256Bench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long size = Files.size(file);
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            }
            md.digest();
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("round %d: %.0f ms, %.0f MiB/s%n", round, ms, size / 1048576.0 / (ms / 1000));
        }
    }
}
