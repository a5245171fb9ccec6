package io.stratusmail.storage.cassandra.quota;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.QuotaContract;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaLimits;
import io.stratusmail.mailbox.quota.QuotaRepository;
import io.stratusmail.mailbox.quota.QuotaUsage;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The quota contract on the real Cassandra node, plus what only a shared store can show. */
class CassandraQuotaTest extends QuotaContract {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_quota");
    private static CqlSession sessionA;
    private static CqlSession sessionB;
    private static CassandraStore nodeA;
    private static CassandraStore nodeB;

    @BeforeAll
    static void start() {
        sessionA = CassandraFixture.openSession();
        sessionB = CassandraFixture.openSession();
        nodeA = CassandraFixture.store(sessionA, CONFIG);
        nodeB = CassandraFixture.store(sessionB, CONFIG);
    }

    @AfterAll
    static void stop() {
        sessionA.close();
        sessionB.close();
    }

    @Override
    protected UserRepository users() {
        return nodeA.users();
    }

    @Override
    protected MailboxRepository mailboxes() {
        return nodeA.mailboxes();
    }

    @Override
    protected MessageStore store() {
        return nodeA.messages();
    }

    @Override
    protected QuotaRepository quotaRepository() {
        return nodeA.quotas();
    }

    @Test
    void deletingTheAccountDeletesItsLimitsAndAChangeCannotRecreateIt() {
        Username user = newUser();
        join(nodeA.quotas().setQuota(user, new UserQuota(QuotaLimit.of(10), QuotaLimit.of(1))));
        assertThat(join(nodeB.quotas().quota(user))).contains(new UserQuota(QuotaLimit.of(10), QuotaLimit.of(1)));

        join(nodeA.users().deleteWithMail(user));
        assertThat(join(nodeA.quotas().setQuota(user, UserQuota.DEFAULTS))).isFalse();
        assertThat(join(nodeA.users().exists(user))).isFalse();

        join(nodeA.users().put(user, "$argon2id$v=19$m=16,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"));
        assertThat(join(nodeA.quotas().quota(user))).contains(UserQuota.DEFAULTS);
    }

    @Test
    void aPasswordChangeKeepsTheLimits() {
        Username user = newUser();
        UserQuota own = new UserQuota(QuotaLimit.UNLIMITED, QuotaLimit.of(5));
        join(nodeA.quotas().setQuota(user, own));
        join(nodeA.users().replacePasswordHash(user, "$argon2id$v=19$m=16,t=1,p=1$b3RoZXJzYWx0$b3RoZXJoYXNo"));
        join(nodeA.users().put(user, "$argon2id$v=19$m=16,t=1,p=1$dGhpcmRzYWx0$dGhpcmRoYXNo"));
        assertThat(join(nodeA.quotas().quota(user))).contains(own);
    }

    /**
     * Two nodes (own sessions) append to two mailboxes of one user at the same time, then one moves and
     * expunges: the usage read from either node equals the recount of the stored messages.
     */
    @Test
    void usageStaysExactWhenTwoNodesWriteOneUserConcurrently() {
        Username user = newUser();
        Mailbox inbox = join(nodeA.mailboxes().ensureInbox(user));
        Mailbox work = join(nodeA.mailboxes().create(user, new MailboxName("Work")));
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            writes.add(nodeA.messages().append(i % 2 == 0 ? inbox : work, mail(100 + i), Flags.EMPTY, DATE)
                    .toCompletableFuture());
            writes.add(nodeB.messages().append(i % 2 == 0 ? work : inbox, mail(200 + i), Flags.EMPTY, DATE)
                    .toCompletableFuture());
        }
        join(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        long expectedOctets = 0;
        for (int i = 0; i < 40; i++) {
            expectedOctets += 100 + i + 200 + i;
        }
        Quotas onA = new Quotas(nodeA.quotas(), nodeA.mailboxes(), nodeA.messages(), QuotaLimits.UNLIMITED);
        Quotas onB = new Quotas(nodeB.quotas(), nodeB.mailboxes(), nodeB.messages(), QuotaLimits.UNLIMITED);
        assertThat(join(onA.usage(user))).isEqualTo(new QuotaUsage(expectedOctets, 80)).isEqualTo(recount(user));

        List<Long> inboxUids = join(nodeA.messages().snapshot(inbox)).messages().stream()
                .map(m -> m.uid()).limit(10).toList();
        CompletableFuture<?> move = nodeA.messages().move(inbox.id(), inboxUids, work).toCompletableFuture();
        CompletableFuture<?> more = nodeB.messages().append(inbox, mail(1000), Flags.EMPTY, DATE)
                .toCompletableFuture();
        join(CompletableFuture.allOf(move, more));
        assertThat(join(onB.usage(user))).isEqualTo(new QuotaUsage(expectedOctets + 1000, 81))
                .isEqualTo(recount(user));
    }
}
