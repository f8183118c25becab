package dev.qmt4j.sigstore.trust.tuf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qmt4j.http.HttpTimeouts;
import dev.qmt4j.http.NetworkSettings;
import dev.qmt4j.testkit.Fault;
import dev.qmt4j.testkit.FaultProxy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * A TUF mirror whose body stops mid-way must not hang the trust-root update: the fetch ends with the shared idle
 * timeout. A real {@link TufTestRepository} serves the metadata; a {@link FaultProxy} in front stalls one body.
 */
class HttpTufFetcherTimeoutTest {
    @Test
    void aStalledBodyEndsWithTheIdleTimeout() throws Exception {
        try (TufTestRepository repo = new TufTestRepository();
                FaultProxy proxy = FaultProxy.to(repo.base().getAuthority())) {
            repo.publishRoot(1, Instant.now().plus(30, ChronoUnit.DAYS), repo.roles.get("root"));
            HttpTufFetcher fetcher = new HttpTufFetcher(URI.create(proxy.url() + "/"), Duration.ofSeconds(3),
                    NetworkSettings.jdkDefaults());
            assertTrue(fetcher.fetch("1.root.json", 1 << 20).isPresent(), "the repository answers through the proxy");

            proxy.inject(FaultProxy.path("1.root.json"), new Fault.Stall(5, 60_000), -1);
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, () -> fetcher.fetch("1.root.json", 1 << 20)));
            assertTrue(e instanceof HttpTimeouts.IdleTimeout, e.toString());
        }
    }
}
