package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-address connection limit and failed-login delays (issue 4 item 5) over real sockets.
 */
class LimitsTest {

    private ImapTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectionsBeyondTheLimitPerAddressGetBye() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withMaxConnectionsPerAddress(2));
        List<ImapTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                ImapTestClient c = server.connect();
                assertThat(c.readLine()).startsWith("* OK [CAPABILITY");
                open.add(c);
            }
            try (ImapTestClient third = server.connect()) {
                assertThat(third.readLine()).isEqualTo("* BYE Too many connections from your address; try again later");
                assertThat(third.isClosedByServer()).isTrue();
            }
            assertThat(open.get(0).command("n", "NOOP")).containsExactly("n OK NOOP completed");
            open.remove(0).close();
            // The slot frees once the server has seen the close.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String greeting;
            do {
                try (ImapTestClient again = server.connect()) {
                    greeting = again.readLine();
                }
            } while (greeting.startsWith("* BYE") && System.nanoTime() < deadline);
            assertThat(greeting).startsWith("* OK [CAPABILITY");
        } finally {
            for (ImapTestClient c : open) {
                c.close();
            }
        }
    }

    /** Sends a LOGIN and returns (answer, milliseconds it took). */
    private static Object[] timedLogin(ImapTestClient c, String tag, String password) throws Exception {
        long start = System.nanoTime();
        String answer = c.command(tag, "LOGIN alice@example.org " + password).get(0);
        return new Object[] {answer, (System.nanoTime() - start) / 1_000_000};
    }

    @Test
    void failedLoginsAreDelayedIncreasinglyWithoutBlockingOthers() throws Exception {
        Duration delay = Duration.ofMillis(400);
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withWorkerThreads(1)
                .withLoginFailureDelay(2, delay));
        server.user("alice@example.org", "secret");
        try (ImapTestClient c = server.connect(); ImapTestClient bystander = server.login("alice@example.org",
                "secret")) {
            c.readLine();
            for (int i = 1; i <= 2; i++) {
                Object[] r = timedLogin(c, "f" + i, "wrong");
                assertThat(r[0]).isEqualTo("f" + i + " NO [AUTHENTICATIONFAILED] Invalid credentials");
                assertThat((long) r[1]).as("free failure %d", i).isLessThan(delay.toMillis());
            }
            // The third attempt waits; meanwhile the same (single) event loop serves another connection at once.
            CompletableFuture<Object[]> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return timedLogin(c, "f3", "wrong");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(100);
            long start = System.nanoTime();
            assertThat(bystander.command("n", "NOOP")).containsExactly("n OK NOOP completed");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(delay.toMillis() / 2);
            Object[] r3 = third.get();
            assertThat(r3[0]).isEqualTo("f3 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat((long) r3[1]).isGreaterThanOrEqualTo(delay.toMillis());
            Object[] r4 = timedLogin(c, "f4", "wrong");
            assertThat((long) r4[1]).as("the delay doubles").isGreaterThanOrEqualTo(2 * delay.toMillis());
        }
        // The failures belong to the address: a new connection waits too, even with the right password.
        try (ImapTestClient fresh = server.connect()) {
            fresh.readLine();
            Object[] r = timedLogin(fresh, "g1", "secret");
            assertThat(r[0]).asString().startsWith("g1 OK [CAPABILITY");
            assertThat((long) r[1]).isGreaterThanOrEqualTo(4 * delay.toMillis());
        }
        // Success cleared them.
        try (ImapTestClient after = server.connect()) {
            after.readLine();
            Object[] r = timedLogin(after, "h1", "wrong");
            assertThat((long) r[1]).isLessThan(delay.toMillis());
        }
    }

    @Test
    void malformedCredentialsCountAsFailures() throws Exception {
        Duration delay = Duration.ofMillis(300);
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withLoginFailureDelay(1, delay));
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "LOGIN \"not an address\" x")).containsExactly(
                    "a1 NO [AUTHENTICATIONFAILED] Invalid credentials");
            Object[] r = timedLogin(c, "a2", "\"\"");
            assertThat(r[0]).isEqualTo("a2 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat((long) r[1]).isGreaterThanOrEqualTo(delay.toMillis());
        }
    }
}
