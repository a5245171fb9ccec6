package io.stratusmail.mailbox.quota;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Effective limits, exact usage and the quota check of RFC 9208 (resources STORAGE and MESSAGE, one quota root
 * per user covering all its mailboxes).
 *
 * <p>Limits: the user's own {@link UserQuota} from the {@link QuotaRepository}; a resource the user has no own
 * setting for gets the node-wide default ({@link #defaults()}); an unknown user gets the defaults.
 *
 * <p>Usage is never stored: it is the sum of the exact per-mailbox counters ({@link MessageStore#counters}, kept
 * in the same atomic step as every append and expunge) over the user's mailboxes
 * ({@link MailboxRepository#list}), read {@value #PARALLEL_READS} mailboxes at a time. So it cannot drift from
 * the messages, and costs one registry read plus one counter read per mailbox; {@link #check} computes it only
 * when the user has a limit.
 *
 * <p>Thread-safe; every method is non-blocking.
 */
public final class Quotas {

    /** Counter reads in flight at once while summing a user's usage. */
    public static final int PARALLEL_READS = 32;

    private static final Logger LOG = LoggerFactory.getLogger(Quotas.class);

    private final QuotaRepository repository;
    private final MailboxRepository mailboxes;
    private final MessageStore store;
    private final QuotaLimits defaults;

    /**
     * @param repository the users' own settings
     * @param mailboxes  lists a user's mailboxes
     * @param store      reads their counters
     * @param defaults   node-wide limits for users without an own setting ({@link QuotaLimits#UNLIMITED} for none)
     */
    public Quotas(QuotaRepository repository, MailboxRepository mailboxes, MessageStore store, QuotaLimits defaults) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
        this.store = Objects.requireNonNull(store, "store");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /**
     * A deployment without quotas: every user is unlimited (usage can still be read). For protocol servers
     * started without a quota repository.
     */
    public static Quotas withoutLimits(MailboxRepository mailboxes, MessageStore store) {
        return new Quotas(NoSettings.INSTANCE, mailboxes, store, QuotaLimits.UNLIMITED);
    }

    /** The node-wide default limits. */
    public QuotaLimits defaults() {
        return defaults;
    }

    MailboxRepository mailboxes() {
        return mailboxes;
    }

    /** The user's effective limits (own settings, else the node defaults). */
    public CompletionStage<QuotaLimits> limits(Username user) {
        return repository.quota(user).thenApply(own -> own.orElse(UserQuota.DEFAULTS).resolve(defaults));
    }

    /** The user's exact usage: the sum of its mailboxes' counters. */
    public CompletionStage<QuotaUsage> usage(Username user) {
        return mailboxes.list(user).thenCompose(list -> sum(list, 0, QuotaUsage.NONE));
    }

    /** Limits and usage, read in parallel. */
    public CompletionStage<QuotaReport> report(Username user) {
        return limits(user).thenCombine(usage(user), QuotaReport::new);
    }

    /**
     * Completes normally when the user may add {@code messages} messages of {@code octets} octets in total;
     * fails with {@link OverQuotaException} when that would go beyond a limit. Reads usage only when the user
     * has a limit. The check is not atomic with the write that follows it: concurrent writes of one user may
     * each pass and together overshoot a limit by at most what they add (usage itself stays exact, and the next
     * write is refused).
     */
    public CompletionStage<Void> check(Username user, long messages, long octets) {
        return limits(user).thenCompose(limits -> check(user, limits, messages, octets));
    }

    CompletionStage<Void> check(Username user, QuotaLimits limits, long messages, long octets) {
        if (limits.unlimited()) {
            return CompletableFuture.completedFuture(null);
        }
        return usage(user).thenAccept(usage -> {
            try {
                limits.check(usage, messages, octets);
            } catch (OverQuotaException e) {
                LOG.info("event=quota.exceeded user={} resource={} limit={} usage={} requested={}", user,
                        e.resource(), e.limit(), e.usage(), e.requested());
                throw e;
            }
        });
    }

    private CompletionStage<QuotaUsage> sum(List<Mailbox> list, int from, QuotaUsage total) {
        if (from >= list.size()) {
            return CompletableFuture.completedFuture(total);
        }
        int to = Math.min(list.size(), from + PARALLEL_READS);
        List<CompletableFuture<MailboxCounters>> reads = new ArrayList<>(to - from);
        for (Mailbox mailbox : list.subList(from, to)) {
            reads.add(store.counters(mailbox.id()).toCompletableFuture());
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            QuotaUsage sum = total;
            for (CompletableFuture<MailboxCounters> read : reads) {
                MailboxCounters counters = read.join();
                sum = sum.plus(counters.size(), counters.messages());
            }
            return sum(list, to, sum);
        });
    }

    /** No user has own settings; {@link #withoutLimits} never writes any. */
    private enum NoSettings implements QuotaRepository {
        INSTANCE;

        @Override
        public CompletionStage<Optional<UserQuota>> quota(Username user) {
            return CompletableFuture.completedFuture(Optional.of(UserQuota.DEFAULTS));
        }

        @Override
        public CompletionStage<Boolean> setQuota(Username user, UserQuota quota) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("this node was started without a quota repository"));
        }
    }
}
