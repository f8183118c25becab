package dev.qmt4j.sigstore.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.sigstore.policy.VerificationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** All 70 sigstore-conformance bundle-verify cases give the expected verdict. */
class ConformanceTest {

    @Test
    void allSeventyCasesArePresent() throws IOException {
        assertEquals(70, ConformanceCases.all().size());
    }

    @TestFactory
    Stream<DynamicTest> bundleVerify() throws IOException {
        List<Path> cases = ConformanceCases.all();
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            VerificationResult r = ConformanceCases.run(dir);
            boolean expect = ConformanceCases.expectPass(dir);
            System.out.println("conformance " + dir.getFileName() + ": " + (r.isVerified() ? "VERIFIED" : r));
            assertTrue(r.isVerified() == expect, () -> dir.getFileName() + ": expected " + (expect ? "pass" : "fail") + ", got " + r);
        }));
    }
}
