package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.quota.InMemoryQuotaRepository;
import io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaLimits;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.Username;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * QUOTA (RFC 9208) over a real socket: GETQUOTAROOT, GETQUOTA, SETQUOTA, and {@code NO [OVERQUOTA]} from APPEND
 * and COPY through the quota-enforcing store, with nothing stored and the session going on.
 */
class QuotaTest {

    private final InMemoryMailStore store = new InMemoryMailStore();
    private final InMemoryQuotaRepository quotaSettings = new InMemoryQuotaRepository(store);
    private final ExecutorService hashing = Executors.newFixedThreadPool(1);
    private ImapServer server;
    private InetSocketAddress address;
    private ImapTestClient c;
    private Username alice;
    private Mailbox inbox;

    @BeforeEach
    void start() throws Exception {
        Accounts accounts = new Accounts(store, store, new PasswordHasher(1024, 1, 1), hashing);
        Quotas quotas = new Quotas(quotaSettings, store, store, QuotaLimits.UNLIMITED);
        server = new ImapServer(ImapConfig.defaults("imap.test"), accounts, store,
                new QuotaEnforcingMessageStore(store, quotas), quotas);
        address = server.start("127.0.0.1", 0);
        alice = Username.of("alice@example.org");
        accounts.createOrUpdate(alice, "secret".toCharArray()).toCompletableFuture().join();
        inbox = store.ensureInbox(alice).toCompletableFuture().join();
        store.create(alice, new MailboxName("Saved")).toCompletableFuture().join();
        c = new ImapTestClient(address);
        c.readLine();
        c.command("a0", "LOGIN alice@example.org secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.stop();
        hashing.shutdownNow();
    }

    private void limit(long storageOctets, long messages) {
        quotaSettings.setQuota(alice, new UserQuota(QuotaLimit.of(storageOctets), QuotaLimit.of(messages)))
                .toCompletableFuture().join();
    }

    private void storeMessage(int size) {
        String head = "Subject: s\r\n\r\n";
        byte[] content = (head + "x".repeat(size - head.length())).getBytes(StandardCharsets.US_ASCII);
        store.append(inbox, content, Flags.EMPTY, Instant.parse("2024-03-05T09:08:07Z")).toCompletableFuture().join();
    }

    @Test
    void capabilityAnnouncesQuotaAndItsResources() throws Exception {
        assertThat(c.command("a1", "CAPABILITY").get(0))
                .contains(" QUOTA ", " QUOTA=RES-STORAGE ", " QUOTA=RES-MESSAGE");
    }

    @Test
    void getQuotaRootAndGetQuotaReportExactUsageInKibibytes() throws Exception {
        limit(500 * 1024, 10);
        storeMessage(1500);
        storeMessage(600);

        assertThat(c.command("a1", "GETQUOTAROOT INBOX")).containsExactly(
                "* QUOTAROOT INBOX \"\"",
                "* QUOTA \"\" (STORAGE 3 500 MESSAGE 2 10)",
                "a1 OK GETQUOTAROOT completed");
        assertThat(c.command("a2", "GETQUOTA \"\"")).containsExactly(
                "* QUOTA \"\" (STORAGE 3 500 MESSAGE 2 10)",
                "a2 OK GETQUOTA completed");
        // Every mailbox of the user shares the one root; INBOX in any case is INBOX.
        assertThat(c.command("a3", "GETQUOTAROOT Saved").get(0)).isEqualTo("* QUOTAROOT Saved \"\"");
        assertThat(c.command("a4", "GETQUOTAROOT inbox").get(0)).isEqualTo("* QUOTAROOT INBOX \"\"");
    }

    @Test
    void onlyLimitedResourcesAreListedAndWithoutLimitsThereIsNoRoot() throws Exception {
        assertThat(c.command("a1", "GETQUOTAROOT INBOX")).containsExactly(
                "* QUOTAROOT INBOX", "a1 OK GETQUOTAROOT completed");
        assertThat(c.command("a2", "GETQUOTA \"\"")).containsExactly("a2 NO [NONEXISTENT] No such quota root");

        quotaSettings.setQuota(alice, new UserQuota(QuotaLimit.DEFAULT, QuotaLimit.of(7))).toCompletableFuture()
                .join();
        assertThat(c.command("a3", "GETQUOTA \"\"")).containsExactly(
                "* QUOTA \"\" (MESSAGE 0 7)", "a3 OK GETQUOTA completed");
    }

    @Test
    void badRootsMailboxesAndStatesAreRefused() throws Exception {
        limit(1024, 1);
        assertThat(c.command("a1", "GETQUOTA \"user.bob\"")).containsExactly("a1 NO [NONEXISTENT] No such quota root");
        assertThat(c.command("a2", "GETQUOTAROOT Nonexistent")).containsExactly("a2 NO [NONEXISTENT] No such mailbox");
        assertThat(c.command("a3", "GETQUOTAROOT").get(0)).startsWith("a3 BAD");
        assertThat(c.command("a4", "GETQUOTA").get(0)).startsWith("a4 BAD");
        assertThat(c.command("a5", "GETQUOTAROOT &Jjo-invalid&").get(0)).startsWith("a5 BAD");

        try (ImapTestClient anonymous = new ImapTestClient(address)) {
            anonymous.readLine();
            assertThat(anonymous.command("b1", "GETQUOTAROOT INBOX").get(0)).startsWith("b1 BAD");
        }
    }

    @Test
    void setQuotaIsRefusedWithNoPermButParsedFirst() throws Exception {
        limit(1024, 1);
        assertThat(c.command("a1", "SETQUOTA \"\" (STORAGE 512)"))
                .containsExactly("a1 NO [NOPERM] Quota limits are set by the administrator");
        assertThat(c.command("a2", "SETQUOTA \"\" ()"))
                .containsExactly("a2 NO [NOPERM] Quota limits are set by the administrator");
        assertThat(c.command("a3", "SETQUOTA \"\" (STORAGE)").get(0)).startsWith("a3 BAD");
        assertThat(c.command("a4", "SETQUOTA \"\" (STORAGE 99999999999999999999)").get(0)).startsWith("a4 BAD");
        assertThat(c.command("a5", "GETQUOTA \"\"")).contains("* QUOTA \"\" (STORAGE 0 1 MESSAGE 0 1)");
    }

    @Test
    void appendBeyondTheLimitIsRefusedWithOverQuotaAndStoresNothing() throws Exception {
        limit(100 * 1024, 1);
        storeMessage(100);

        c.send("a1 APPEND INBOX {12+}");
        c.sendRaw("X: y\r\n\r\nhi\r\n\r\n");
        List<String> append = c.readUntilTagged("a1");
        assertThat(append).containsExactly("a1 NO [OVERQUOTA] Quota exceeded: MESSAGE limit reached, nothing was stored");
        assertThat(store.counters(inbox.id()).toCompletableFuture().join().messages()).isEqualTo(1);

        // the session goes on, and an expunge frees room
        assertThat(c.command("a2", "SELECT INBOX")).last().asString().startsWith("a2 OK");
        c.command("a3", "STORE 1 +FLAGS (\\Deleted)");
        c.command("a4", "EXPUNGE");
        c.send("a5 APPEND INBOX {12+}");
        c.sendRaw("X: y\r\n\r\nhi\r\n\r\n");
        assertThat(c.readUntilTagged("a5")).last().asString().startsWith("a5 OK");
    }

    @Test
    void copyBeyondTheStorageLimitIsRefusedWithOverQuota() throws Exception {
        limit(3000, 100);
        storeMessage(1000);
        storeMessage(1000);
        c.command("a1", "SELECT INBOX");
        assertThat(c.command("a2", "COPY 1:2 Saved")).last().asString().startsWith("a2 NO [OVERQUOTA]");
        Mailbox archive = store.find(alice, new MailboxName("Saved")).toCompletableFuture().join().orElseThrow();
        assertThat(store.counters(archive.id()).toCompletableFuture().join().messages()).isZero();
        assertThat(c.command("a3", "COPY 1 Saved")).last().asString().startsWith("a3 OK");
        // MOVE within the user's mailboxes changes no usage: allowed at the limit
        limit(2000, 100);
        assertThat(c.command("a4", "MOVE 1 Saved")).last().asString().startsWith("a4 OK");
    }
}
