package io.stratusmail.mailbox.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QuotaRepository} with its store shares: settings kept per user, usage exact after appends,
 * copies, moves and expunges, and enforcement by {@link QuotaEnforcingMessageStore}. Run on the in-memory fakes
 * here and on Cassandra in storage-cassandra (shipped in the test-jar).
 */
public abstract class QuotaContract {

    protected static final Instant DATE = Instant.parse("2024-03-01T10:15:30Z");

    protected abstract UserRepository users();

    protected abstract MailboxRepository mailboxes();

    /** The store without quota enforcement. */
    protected abstract MessageStore store();

    protected abstract QuotaRepository quotaRepository();

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message of exactly {@code size} octets (at least 40). */
    protected static byte[] mail(int size) {
        String head = "Subject: q\r\n\r\n";
        return (head + "x".repeat(size - head.length())).getBytes(StandardCharsets.US_ASCII);
    }

    protected Username newUser() {
        Username user = new Username("q" + UUID.randomUUID().toString().substring(0, 8) + "@example.org");
        join(users().put(user, "$argon2id$v=19$m=16,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"));
        join(mailboxes().ensureInbox(user));
        return user;
    }

    private Quotas quotas(QuotaLimits defaults) {
        return new Quotas(quotaRepository(), mailboxes(), store(), defaults);
    }

    private Mailbox create(Username user, String name) {
        return join(mailboxes().create(user, new MailboxName(name)));
    }

    private Mailbox inbox(Username user) {
        return join(mailboxes().ensureInbox(user));
    }

    /** The usage recounted from every mailbox's messages. */
    protected QuotaUsage recount(Username user) {
        long octets = 0;
        long messages = 0;
        for (Mailbox box : join(mailboxes().list(user))) {
            var snapshot = join(store().snapshot(box));
            messages += snapshot.messages().size();
            octets += snapshot.messages().stream().mapToLong(m -> m.size()).sum();
        }
        return new QuotaUsage(octets, messages);
    }

    @Test
    void settingsAreKeptPerUserAndUnknownUsersHaveNone() {
        Username user = newUser();
        Username unknown = new Username("nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org");

        assertThat(join(quotaRepository().quota(user))).contains(UserQuota.DEFAULTS);
        assertThat(join(quotaRepository().quota(unknown))).isEmpty();
        assertThat(join(quotaRepository().setQuota(unknown, new UserQuota(QuotaLimit.of(1), QuotaLimit.of(1)))))
                .isFalse();
        assertThat(join(quotaRepository().quota(unknown))).isEmpty();

        UserQuota own = new UserQuota(QuotaLimit.of(500L * 1024 * 1024), QuotaLimit.UNLIMITED);
        assertThat(join(quotaRepository().setQuota(user, own))).isTrue();
        assertThat(join(quotaRepository().quota(user))).contains(own);

        UserQuota zero = new UserQuota(QuotaLimit.DEFAULT, QuotaLimit.of(0));
        assertThat(join(quotaRepository().setQuota(user, zero))).isTrue();
        assertThat(join(quotaRepository().quota(user))).contains(zero);
    }

    @Test
    void ownSettingsOverrideTheNodeDefaultsPerResource() {
        Username user = newUser();
        QuotaLimits defaults = new QuotaLimits(OptionalLong.of(1000), OptionalLong.of(10));
        assertThat(join(quotas(defaults).limits(user))).isEqualTo(defaults);

        join(quotaRepository().setQuota(user, new UserQuota(QuotaLimit.UNLIMITED, QuotaLimit.of(3))));
        assertThat(join(quotas(defaults).limits(user)))
                .isEqualTo(new QuotaLimits(OptionalLong.empty(), OptionalLong.of(3)));
        assertThat(join(quotas(QuotaLimits.UNLIMITED).limits(user)))
                .isEqualTo(new QuotaLimits(OptionalLong.empty(), OptionalLong.of(3)));
    }

    @Test
    void usageIsExactAfterAppendsCopiesMovesAndExpunges() {
        Username user = newUser();
        Quotas quotas = quotas(QuotaLimits.UNLIMITED);
        Mailbox inbox = inbox(user);
        Mailbox archive = create(user, "Archive-" + UUID.randomUUID().toString().substring(0, 4));
        assertThat(join(quotas.usage(user))).isEqualTo(QuotaUsage.NONE);

        long a = join(store().append(inbox, mail(100), Flags.EMPTY, DATE)).record().uid();
        long b = join(store().append(inbox, mail(200), Flags.EMPTY, DATE)).record().uid();
        join(store().appendAll(archive, List.of(new MessageToAppend(mail(300), Flags.EMPTY, DATE),
                new MessageToAppend(mail(400), Flags.EMPTY, DATE))));
        assertThat(join(quotas.usage(user))).isEqualTo(new QuotaUsage(1000, 4)).isEqualTo(recount(user));

        join(store().copy(inbox.id(), List.of(a, b), archive));
        assertThat(join(quotas.usage(user))).isEqualTo(new QuotaUsage(1300, 6)).isEqualTo(recount(user));

        join(store().move(inbox.id(), List.of(a), archive));
        assertThat(join(quotas.usage(user))).isEqualTo(new QuotaUsage(1300, 6)).isEqualTo(recount(user));

        join(store().updateFlags(inbox.id(), List.of(b), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\Deleted"))));
        join(store().expunge(inbox.id(), List.of(b)));
        assertThat(join(quotas.usage(user))).isEqualTo(new QuotaUsage(1100, 5)).isEqualTo(recount(user));
    }

    @Test
    void appendBeyondTheMessageLimitFailsAndStoresNothing() {
        Username user = newUser();
        join(quotaRepository().setQuota(user, new UserQuota(QuotaLimit.DEFAULT, QuotaLimit.of(2))));
        MessageStore enforcing = new QuotaEnforcingMessageStore(store(), quotas(QuotaLimits.UNLIMITED));
        Mailbox inbox = inbox(user);

        join(enforcing.append(inbox, mail(100), Flags.EMPTY, DATE));
        join(enforcing.append(inbox, mail(100), Flags.EMPTY, DATE));
        assertThatThrownBy(() -> join(enforcing.append(inbox, mail(100), Flags.EMPTY, DATE)))
                .isInstanceOf(OverQuotaException.class)
                .satisfies(e -> {
                    OverQuotaException over = (OverQuotaException) e;
                    assertThat(over.resource()).isEqualTo(QuotaResource.MESSAGE);
                    assertThat(over.limit()).isEqualTo(2);
                    assertThat(over.usage()).isEqualTo(2);
                });
        MailboxCounters counters = join(store().counters(inbox.id()));
        assertThat(counters.messages()).isEqualTo(2);
        assertThat(counters.uidNext()).isEqualTo(3);
    }

    @Test
    void storageLimitCountsOctetsAndAnExactFitIsAccepted() {
        Username user = newUser();
        QuotaLimits defaults = new QuotaLimits(OptionalLong.of(1000), OptionalLong.empty());
        MessageStore enforcing = new QuotaEnforcingMessageStore(store(), quotas(defaults));
        Mailbox inbox = inbox(user);

        join(enforcing.append(inbox, mail(600), Flags.EMPTY, DATE));
        assertThatThrownBy(() -> join(enforcing.append(inbox, mail(401), Flags.EMPTY, DATE)))
                .isInstanceOfSatisfying(OverQuotaException.class, e -> {
                    assertThat(e.resource()).isEqualTo(QuotaResource.STORAGE);
                    assertThat(e.usage()).isEqualTo(600);
                    assertThat(e.requested()).isEqualTo(401);
                });
        join(enforcing.append(inbox, mail(400), Flags.EMPTY, DATE));
        assertThat(recount(user)).isEqualTo(new QuotaUsage(1000, 2));

        // The batch is refused as a whole, not stored in part.
        Mailbox other = create(user, "Other-" + UUID.randomUUID().toString().substring(0, 4));
        join(quotaRepository().setQuota(user, new UserQuota(QuotaLimit.of(1500), QuotaLimit.DEFAULT)));
        assertThatThrownBy(() -> join(enforcing.appendAll(other, List.of(
                new MessageToAppend(mail(300), Flags.EMPTY, DATE),
                new MessageToAppend(mail(300), Flags.EMPTY, DATE)))))
                .isInstanceOf(OverQuotaException.class);
        assertThat(join(store().counters(other.id())).messages()).isZero();
    }

    @Test
    void copyIsCheckedWithTheSourceSizesAndMoveWithinTheUserIsNot() {
        Username user = newUser();
        Mailbox inbox = inbox(user);
        Mailbox archive = create(user, "Archive-" + UUID.randomUUID().toString().substring(0, 4));
        long a = join(store().append(inbox, mail(500), Flags.EMPTY, DATE)).record().uid();
        long b = join(store().append(inbox, mail(300), Flags.EMPTY, DATE)).record().uid();
        join(quotaRepository().setQuota(user, new UserQuota(QuotaLimit.of(1200), QuotaLimit.DEFAULT)));
        MessageStore enforcing = new QuotaEnforcingMessageStore(store(), quotas(QuotaLimits.UNLIMITED));

        assertThatThrownBy(() -> join(enforcing.copy(inbox.id(), List.of(a, b), archive)))
                .isInstanceOfSatisfying(OverQuotaException.class, e -> assertThat(e.requested()).isEqualTo(800));
        assertThat(join(store().counters(archive.id())).messages()).isZero();

        assertThat(join(enforcing.copy(inbox.id(), List.of(b), archive)).copies()).hasSize(1);
        assertThat(recount(user)).isEqualTo(new QuotaUsage(1100, 3));

        // At its limit, the user may still reorganise: a move changes no usage.
        join(quotaRepository().setQuota(user, new UserQuota(QuotaLimit.of(1100), QuotaLimit.of(3))));
        assertThat(join(enforcing.move(inbox.id(), List.of(a, b), archive)).copies()).hasSize(2);
        assertThat(recount(user)).isEqualTo(new QuotaUsage(1100, 3));
    }

    @Test
    void moveToAnotherUsersMailboxIsChecked() {
        Username from = newUser();
        Username to = newUser();
        Mailbox source = inbox(from);
        long uid = join(store().append(source, mail(500), Flags.EMPTY, DATE)).record().uid();
        join(quotaRepository().setQuota(to, new UserQuota(QuotaLimit.of(499), QuotaLimit.DEFAULT)));
        MessageStore enforcing = new QuotaEnforcingMessageStore(store(), quotas(QuotaLimits.UNLIMITED));

        assertThatThrownBy(() -> join(enforcing.move(source.id(), List.of(uid), inbox(to))))
                .isInstanceOf(OverQuotaException.class);
        assertThat(recount(from)).isEqualTo(new QuotaUsage(500, 1));
        assertThat(recount(to)).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void aLoweredLimitRefusesNewMailButNotExpunge() {
        Username user = newUser();
        Mailbox inbox = inbox(user);
        MessageStore enforcing = new QuotaEnforcingMessageStore(store(), quotas(QuotaLimits.UNLIMITED));
        long a = join(enforcing.append(inbox, mail(100), Flags.of("\\Deleted"), DATE)).record().uid();
        join(enforcing.append(inbox, mail(100), Flags.EMPTY, DATE));
        join(quotaRepository().setQuota(user, new UserQuota(QuotaLimit.DEFAULT, QuotaLimit.of(1))));

        assertThatThrownBy(() -> join(enforcing.append(inbox, mail(100), Flags.EMPTY, DATE)))
                .isInstanceOf(OverQuotaException.class);
        assertThat(join(enforcing.expunge(inbox.id(), List.of(a)))).containsExactly(a);
        assertThat(join(quotas(QuotaLimits.UNLIMITED).usage(user))).isEqualTo(new QuotaUsage(100, 1));
        assertThatThrownBy(() -> join(enforcing.append(inbox, mail(100), Flags.EMPTY, DATE)))
                .isInstanceOf(OverQuotaException.class);
    }
}
