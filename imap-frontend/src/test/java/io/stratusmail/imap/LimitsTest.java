package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-address and per-user connection limits, failed-login delays and autologout (issue 4 item 5) over real
 * sockets.
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

    @Test
    void loginsBeyondTheLimitPerUserGetNoLimitAndTheConnectionStaysUsable() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withMaxConnectionsPerUser(2));
        server.user("alice@example.org", "secret");
        server.user("bob@example.org", "pw");
        String limit = " NO [LIMIT] Too many connections of this user on this server; close another one and try again";
        ImapTestClient first = server.login("alice@example.org", "secret");
        try (ImapTestClient second = server.login("alice@example.org", "secret");
             ImapTestClient third = server.connect()) {
            third.readLine();
            assertThat(third.command("l1", "LOGIN alice@example.org secret")).containsExactly("l1" + limit);
            String plain = Base64.getEncoder().encodeToString("\0alice@example.org\0secret"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(third.command("l2", "AUTHENTICATE PLAIN " + plain)).containsExactly("l2" + limit);
            // Wrong credentials are just wrong: the limit says nothing to someone without the password.
            assertThat(third.command("l3", "LOGIN alice@example.org wrong")).containsExactly(
                    "l3 NO [AUTHENTICATIONFAILED] Invalid credentials");
            // The refused connection is still not authenticated, and serves another user.
            assertThat(third.command("s", "SELECT INBOX")).containsExactly(
                    "s BAD SELECT is not allowed before authentication: log in first");
            assertThat(third.command("l4", "LOGIN bob@example.org pw").get(0)).startsWith("l4 OK [CAPABILITY");
            assertThat(second.command("n", "NOOP")).containsExactly("n OK NOOP completed");
            // LOGOUT (or any close) frees the slot once the server has seen it.
            assertThat(first.command("o", "LOGOUT")).containsExactly("* BYE Stratus IMAP4rev1 server logging out",
                    "o OK LOGOUT completed");
            first.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String answer;
            try (ImapTestClient again = server.connect()) {
                again.readLine();
                int n = 0;
                do {
                    answer = again.command("a" + n, "LOGIN alice@example.org secret").get(0);
                    n++;
                } while (answer.contains("[LIMIT]") && System.nanoTime() < deadline);
            }
            assertThat(answer).contains("OK [CAPABILITY");
        } finally {
            first.close();
        }
    }

    @Test
    void anAuthenticatedSessionIdleForTooLongIsLoggedOut() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withIdleTimeout(Duration.ofMillis(400)));
        server.user("alice@example.org", "secret");
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            c.command("s", "SELECT INBOX");
            // Traffic keeps it alive (RFC 3501 section 5.4: autologout only after inactivity).
            for (int i = 0; i < 4; i++) {
                Thread.sleep(200);
                assertThat(c.command("n" + i, "NOOP")).containsExactly("n" + i + " OK NOOP completed");
            }
            long start = System.nanoTime();
            assertThat(c.readLine()).isEqualTo("* BYE Autologout; idle for too long");
            assertThat(c.isClosedByServer()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 3_000L);
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
