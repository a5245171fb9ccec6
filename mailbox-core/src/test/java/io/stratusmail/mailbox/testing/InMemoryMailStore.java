package io.stratusmail.mailbox.testing;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxLimitException;
import io.stratusmail.mailbox.MailboxListing;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.SpecialUse;
import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.address.AliasLookup;
import io.stratusmail.mailbox.address.AliasRepository;
import io.stratusmail.mailbox.address.Domain;
import io.stratusmail.mailbox.address.DomainRepository;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.CopiedMessage;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.FlagUpdateResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.RecentRange;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.registry.MailboxTree;
import io.stratusmail.mailbox.registry.RegistryChange;
import io.stratusmail.mailbox.registry.RegistryEntry;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A fake of the store interfaces for protocol unit tests: everything in memory, one lock, completed
 * futures. Keeps the same UID/MODSEQ rules as the real store. Not for integration tests.
 */
public final class InMemoryMailStore implements UserRepository, MailboxRepository, MessageStore,
        AliasRepository, DomainRepository {

    private record Stored(MessageRecord record, byte[] content) {
    }

    /** One change-log entry: the UID a MODSEQ changed and whether it expunged it. */
    private record Logged(long uid, boolean expunge) {
    }

    private static final class Box {
        final Mailbox mailbox;
        final TreeMap<Long, Stored> messages = new TreeMap<>();
        /** MODSEQ to what it changed; kept forever (the fake has no retention). */
        final TreeMap<Long, Logged> log = new TreeMap<>();
        long nextUid = 1;
        long highestModSeq = NEW_MAILBOX_MODSEQ;
        long recentFloor = 1;

        Box(Mailbox mailbox) {
            this.mailbox = mailbox;
        }
    }

    private final Map<Username, String> users = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    private final Map<MailboxId, Box> boxes = new HashMap<>();

    @Override
    public synchronized CompletionStage<Void> put(Username user, String passwordHash) {
        users.put(user, passwordHash);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Optional<String>> passwordHash(Username user) {
        return CompletableFuture.completedFuture(Optional.ofNullable(users.get(user)));
    }

    @Override
    public synchronized CompletionStage<List<Username>> list() {
        return CompletableFuture.completedFuture(new ArrayList<>(users.keySet()));
    }

    @Override
    public synchronized CompletionStage<Boolean> delete(Username user) {
        return CompletableFuture.completedFuture(users.remove(user) != null);
    }

    @Override
    public synchronized CompletionStage<Boolean> replacePasswordHash(Username user, String passwordHash) {
        return CompletableFuture.completedFuture(users.replace(user, passwordHash) != null);
    }

    @Override
    public synchronized CompletionStage<Boolean> deleteWithMail(Username user) {
        boolean existed = users.remove(user) != null;
        boxes.values().removeIf(box -> box.mailbox.owner().equals(user));
        dropRegistry(user);
        return CompletableFuture.completedFuture(existed);
    }

    // ---- mailbox registry (MailboxRepository): the same MailboxTree rules as the Cassandra store

    private final Map<Username, MailboxTree> registries = new HashMap<>();
    private final Map<Username, java.util.TreeSet<MailboxName>> subscriptions = new HashMap<>();
    private final Clock registryClock;
    private final int maxMailboxNames;

    /** A store with the default limit of mailbox names per user ({@link MailboxTree#DEFAULT_MAX_NAMES}). */
    public InMemoryMailStore() {
        this(MailboxTree.DEFAULT_MAX_NAMES);
    }

    /** A store allowing at most {@code maxMailboxNames} mailbox names (mailboxes and placeholders) per user. */
    public InMemoryMailStore(int maxMailboxNames) {
        this.registryClock = Clock.systemUTC();
        this.maxMailboxNames = maxMailboxNames;
    }

    private MailboxTree tree(Username owner) {
        return registries.computeIfAbsent(owner,
                o -> new MailboxTree(o, List.of(), 0, false, maxMailboxNames));
    }

    /** Plans with the user's tree and applies the change; the plan's exception fails the stage. */
    private <T> CompletionStage<T> change(Username owner, java.util.function.Function<MailboxTree, RegistryChange> planner,
                                          java.util.function.Function<RegistryChange, T> answer) {
        RegistryChange change;
        try {
            change = planner.apply(tree(owner));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!change.empty()) {
            registries.put(owner, tree(owner).apply(change));
            for (RegistryEntry e : change.puts()) {
                if (!e.isPlaceholder()) {
                    boxes.putIfAbsent(e.id(), new Box(e.toMailbox(owner)));
                }
            }
            // The in-memory "collector" runs at once: the deleted mailbox's messages are dropped.
            change.removedMailbox().ifPresent(m -> boxes.remove(m.id()));
            java.util.TreeSet<MailboxName> subscribed = subscriptions.get(owner);
            if (subscribed != null) {
                change.renamed().forEach((from, to) -> {
                    if (subscribed.remove(from)) {
                        subscribed.add(to);
                    }
                });
            }
        }
        return CompletableFuture.completedFuture(answer.apply(change));
    }

    /** Forgets the user's mailboxes, keeping its UIDVALIDITY counter (as the Cassandra store keeps it). */
    private void dropRegistry(Username user) {
        MailboxTree old = registries.remove(user);
        if (old != null) {
            old.mailboxes().forEach(m -> boxes.remove(m.id()));
            registries.put(user, new MailboxTree(user, List.of(), old.lastUidValidity(), false, maxMailboxNames));
        }
        subscriptions.remove(user);
    }

    @Override
    public synchronized CompletionStage<Mailbox> create(Username owner, MailboxName name, Set<SpecialUse> specialUse) {
        return change(owner, t -> t.create(name, specialUse, registryClock.instant()), c -> c.result().orElseThrow());
    }

    @Override
    public synchronized CompletionStage<Optional<Mailbox>> delete(Username owner, MailboxName name) {
        return change(owner, t -> t.delete(name), RegistryChange::removedMailbox);
    }

    @Override
    public synchronized CompletionStage<Void> rename(Username owner, MailboxName from, MailboxName to) {
        return change(owner, t -> t.rename(from, to, registryClock.instant()), c -> null);
    }

    @Override
    public synchronized CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name) {
        return CompletableFuture.completedFuture(tree(owner).find(name));
    }

    @Override
    public synchronized CompletionStage<Optional<Mailbox>> findById(Username owner, MailboxId id) {
        return CompletableFuture.completedFuture(tree(owner).findById(id));
    }

    @Override
    public synchronized CompletionStage<List<Mailbox>> list(Username owner) {
        return CompletableFuture.completedFuture(tree(owner).mailboxes());
    }

    @Override
    public synchronized CompletionStage<List<MailboxListing>> listWithAttributes(Username owner) {
        return CompletableFuture.completedFuture(
                tree(owner).listing(subscriptions.getOrDefault(owner, new java.util.TreeSet<>())));
    }

    @Override
    public synchronized CompletionStage<Mailbox> ensureInbox(Username owner) {
        return change(owner, t -> t.ensureInbox(registryClock.instant()), c -> c.result().orElseThrow());
    }

    @Override
    public synchronized CompletionStage<Mailbox> provision(Username owner) {
        return change(owner, t -> t.provision(registryClock.instant()), c -> {
            c.puts().stream().filter(e -> !e.isPlaceholder()).forEach(e ->
                    subscriptions.computeIfAbsent(owner, o -> new java.util.TreeSet<>()).add(e.name()));
            return c.result().orElseThrow();
        });
    }

    @Override
    public synchronized CompletionStage<Void> subscribe(Username owner, MailboxName name) {
        java.util.TreeSet<MailboxName> subscribed = subscriptions.computeIfAbsent(owner, o -> new java.util.TreeSet<>());
        if (!subscribed.contains(name) && subscribed.size() >= maxMailboxNames) {
            return CompletableFuture.failedFuture(new MailboxLimitException(
                    "user " + owner + " has " + subscribed.size() + " subscriptions; the limit is " + maxMailboxNames));
        }
        subscribed.add(name);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> unsubscribe(Username owner, MailboxName name) {
        java.util.TreeSet<MailboxName> subscribed = subscriptions.get(owner);
        if (subscribed != null) {
            subscribed.remove(name);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<MailboxName>> subscriptions(Username owner) {
        return CompletableFuture.completedFuture(List.copyOf(subscriptions.getOrDefault(owner, new java.util.TreeSet<>())));
    }

    @Override
    public synchronized CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags,
                                                             Instant internalDate) {
        Box box = boxes.get(mailbox.id());
        return CompletableFuture.completedFuture(new AppendResult(mailbox.uidValidity(),
                appendNow(box, content, flags, internalDate)));
    }

    /** Content stored by {@link #storeContent}, by id (the fake never collects it). */
    private final Map<java.util.UUID, byte[]> storedContent = new HashMap<>();
    /** Per mailbox, UID to the stored content a message was made from (append by handle, COPY, MOVE). */
    private final Map<MailboxId, TreeMap<Long, java.util.UUID>> madeFrom = new HashMap<>();

    /** The fake keeps every message on the heap anyway: copies the buffer's octets and stores them as an array. */
    @Override
    public CompletionStage<StoredContent> storeContent(java.nio.ByteBuffer content) {
        java.util.Objects.requireNonNull(content, "content");
        if (content.remaining() > DEFAULT_MAX_MESSAGE_SIZE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + content.remaining()
                    + " octets exceeds the limit of " + DEFAULT_MAX_MESSAGE_SIZE));
        }
        byte[] octets = new byte[content.remaining()];
        content.duplicate().get(octets);
        return storeContent(octets);
    }

    @Override
    public synchronized CompletionStage<StoredContent> storeContent(byte[] content) {
        java.util.Objects.requireNonNull(content, "content");
        if (content.length > DEFAULT_MAX_MESSAGE_SIZE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + content.length
                    + " octets exceeds the limit of " + DEFAULT_MAX_MESSAGE_SIZE));
        }
        StoredContent handle = new StoredContent(java.util.UUID.randomUUID(), content.length);
        storedContent.put(handle.id(), content.clone());
        return CompletableFuture.completedFuture(handle);
    }

    @Override
    public synchronized CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content,
                                                             byte[] headerPrefix, Flags flags, Instant internalDate) {
        byte[] stored = storedContent.get(content.id());
        if (stored == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown stored content " + content.id()));
        }
        if (headerPrefix.length > MAX_HEADER_PREFIX) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("header prefix of "
                    + headerPrefix.length + " octets exceeds the limit of " + MAX_HEADER_PREFIX));
        }
        byte[] message = new byte[headerPrefix.length + stored.length];
        System.arraycopy(headerPrefix, 0, message, 0, headerPrefix.length);
        System.arraycopy(stored, 0, message, headerPrefix.length, stored.length);
        MessageRecord record = appendNow(boxes.get(mailbox.id()), message, flags, internalDate);
        madeFrom.computeIfAbsent(mailbox.id(), id -> new TreeMap<>()).put(record.uid(), content.id());
        return CompletableFuture.completedFuture(new AppendResult(mailbox.uidValidity(), record));
    }

    @Override
    public synchronized CompletionStage<Optional<MessageRecord>> findAppended(MailboxId mailbox,
                                                                             java.util.UUID contentId) {
        Box box = boxes.get(mailbox);
        TreeMap<Long, java.util.UUID> made = madeFrom.get(mailbox);
        if (box == null || made == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(made.entrySet().stream()
                .filter(e -> e.getValue().equals(contentId) && box.messages.containsKey(e.getKey()))
                .map(e -> box.messages.get(e.getKey()).record()).findFirst());
    }

    @Override
    public synchronized CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid, long from, long to) {
        if (from < 0 || to < from) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad range [" + from + ", " + to + ")"));
        }
        Box box = boxes.get(mailbox);
        Stored s = box == null ? null : box.messages.get(uid);
        return CompletableFuture.completedFuture(Optional.ofNullable(s).map(x -> {
            int length = x.content().length;
            return java.util.Arrays.copyOfRange(x.content(), (int) Math.min(from, length), (int) Math.min(to, length));
        }));
    }

    /** Computed from the stored message at each call (the fake keeps no precomputed summary). */
    @Override
    public synchronized CompletionStage<Map<Long, io.stratusmail.mailbox.mime.MessageSummary>> summaries(
            MailboxId mailbox, Collection<Long> uids) {
        Box box = boxes.get(mailbox);
        Map<Long, io.stratusmail.mailbox.mime.MessageSummary> out = new TreeMap<>();
        for (Long uid : uids) {
            Stored s = box == null || uid == null ? null : box.messages.get(uid);
            if (s != null) {
                out.put(uid, io.stratusmail.mailbox.mime.MessageSummary.of(s.content()));
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    private static MessageRecord appendNow(Box box, byte[] content, Flags flags, Instant internalDate) {
        MessageRecord r = new MessageRecord(box.nextUid++, ++box.highestModSeq, flags, content.length, internalDate);
        box.messages.put(r.uid(), new Stored(r, content.clone()));
        box.log.put(r.modSeq(), new Logged(r.uid(), false));
        return r;
    }

    @Override
    public synchronized CompletionStage<MailboxSnapshot> snapshot(Mailbox mailbox) {
        Box box = boxes.get(mailbox.id());
        return CompletableFuture.completedFuture(new MailboxSnapshot(mailbox.uidValidity(), box.nextUid,
                box.highestModSeq, box.messages.values().stream().map(Stored::record).toList()));
    }

    @Override
    public synchronized CompletionStage<List<MessageRecord>> records(MailboxId mailbox, Collection<Long> uids) {
        Box box = boxes.get(mailbox);
        return CompletableFuture.completedFuture(uids.stream().sorted().distinct().map(box.messages::get)
                .filter(java.util.Objects::nonNull).map(Stored::record).toList());
    }

    @Override
    public synchronized CompletionStage<Optional<byte[]>> content(MailboxId mailbox, long uid) {
        Stored s = boxes.get(mailbox).messages.get(uid);
        return CompletableFuture.completedFuture(Optional.ofNullable(s).map(x -> x.content().clone()));
    }

    @Override
    public synchronized CompletionStage<List<MessageRecord>> updateFlags(MailboxId mailbox, Collection<Long> uids,
                                                                         FlagUpdate update) {
        Box box = boxes.get(mailbox);
        List<MessageRecord> out = new ArrayList<>();
        for (long uid : uids.stream().sorted().distinct().toList()) {
            Stored s = box.messages.get(uid);
            if (s == null) {
                continue;
            }
            Flags next = update.apply(s.record().flags());
            MessageRecord r = s.record();
            if (!next.equals(r.flags())) {
                r = setFlags(box, s, next);
            }
            out.add(r);
        }
        return CompletableFuture.completedFuture(out);
    }

    private static MessageRecord setFlags(Box box, Stored s, Flags next) {
        MessageRecord r = s.record();
        MessageRecord after = new MessageRecord(r.uid(), ++box.highestModSeq, next, r.size(), r.internalDate());
        box.messages.put(r.uid(), new Stored(after, s.content()));
        box.log.put(after.modSeq(), new Logged(r.uid(), false));
        return after;
    }

    private static void remove(Box box, long uid) {
        box.messages.remove(uid);
        box.log.put(++box.highestModSeq, new Logged(uid, true));
    }

    @Override
    public synchronized CompletionStage<List<Long>> expunge(MailboxId mailbox, Collection<Long> uids) {
        Box box = boxes.get(mailbox);
        List<Long> removed = new ArrayList<>();
        for (long uid : uids.stream().sorted().distinct().toList()) {
            Stored s = box.messages.get(uid);
            if (s != null && s.record().flags().contains(Flags.DELETED)) {
                remove(box, uid);
                removed.add(uid);
            }
        }
        return CompletableFuture.completedFuture(removed);
    }

    @Override
    public synchronized CompletionStage<MailboxCounters> counters(MailboxId mailbox) {
        Box box = boxes.get(mailbox);
        if (box == null) {
            return CompletableFuture.completedFuture(MailboxCounters.EMPTY);
        }
        long unseen = box.messages.values().stream().filter(m -> !m.record().flags().contains(Flags.SEEN)).count();
        long size = box.messages.values().stream().mapToLong(m -> m.record().size()).sum();
        return CompletableFuture.completedFuture(new MailboxCounters(box.messages.size(), unseen, size, box.nextUid,
                box.highestModSeq));
    }

    @Override
    public synchronized CompletionStage<List<AppendResult>> appendAll(Mailbox mailbox, List<MessageToAppend> messages) {
        if (messages.size() > MAX_MESSAGES_PER_CALL) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("too many messages"));
        }
        Box box = boxes.get(mailbox.id());
        List<AppendResult> out = new ArrayList<>();
        for (MessageToAppend m : messages) {
            out.add(new AppendResult(mailbox.uidValidity(), appendNow(box, m.content(), m.flags(), m.internalDate())));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized CompletionStage<CopyResult> copy(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return CompletableFuture.completedFuture(copyNow(source, uids, destination, false));
    }

    @Override
    public synchronized CompletionStage<CopyResult> move(MailboxId source, Collection<Long> uids, Mailbox destination) {
        return CompletableFuture.completedFuture(copyNow(source, uids, destination, true));
    }

    private CopyResult copyNow(MailboxId source, Collection<Long> uids, Mailbox destination, boolean move) {
        if (uids.size() > MAX_MESSAGES_PER_CALL) {
            throw new IllegalArgumentException("too many messages");
        }
        Box from = boxes.get(source);
        Box to = boxes.get(destination.id());
        if (to == null) {
            throw new IllegalStateException("unknown mailbox " + destination.id());
        }
        List<CopiedMessage> copies = new ArrayList<>();
        if (from == null) {
            return new CopyResult(destination.uidValidity(), copies);
        }
        for (long uid : uids.stream().sorted().distinct().toList()) {
            Stored s = from.messages.get(uid);
            if (s != null) {
                MessageRecord r = s.record();
                CopiedMessage copy = new CopiedMessage(uid, appendNow(to, s.content(), r.flags(), r.internalDate()));
                copies.add(copy);
                java.util.UUID contentId = madeFrom.getOrDefault(source, new TreeMap<>()).get(uid);
                if (contentId != null) {
                    madeFrom.computeIfAbsent(destination.id(), id -> new TreeMap<>()).put(copy.copy().uid(),
                            contentId);
                }
            }
        }
        if (move) {
            copies.forEach(c -> remove(from, c.sourceUid()));
        }
        return new CopyResult(destination.uidValidity(), copies);
    }

    @Override
    public synchronized CompletionStage<FlagUpdateResult> updateFlags(MailboxId mailbox, Collection<Long> uids,
                                                                      FlagUpdate update, long unchangedSince) {
        if (unchangedSince < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("UNCHANGEDSINCE must not be negative"));
        }
        Box box = boxes.get(mailbox);
        List<MessageRecord> updated = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        for (long uid : uids.stream().sorted().distinct().toList()) {
            Stored s = box == null ? null : box.messages.get(uid);
            if (s == null) {
                continue;
            }
            if (s.record().modSeq() > unchangedSince) {
                modified.add(uid);
                continue;
            }
            Flags next = update.apply(s.record().flags());
            updated.add(next.equals(s.record().flags()) ? s.record() : setFlags(box, s, next));
        }
        return CompletableFuture.completedFuture(new FlagUpdateResult(updated, modified));
    }

    @Override
    public synchronized CompletionStage<MailboxChanges> changesSince(MailboxId mailbox, long modSeq) {
        if (modSeq < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("MODSEQ must not be negative"));
        }
        Box box = boxes.get(mailbox);
        if (box == null) {
            return CompletableFuture.completedFuture(new MailboxChanges(1, NEW_MAILBOX_MODSEQ, List.of(), List.of(),
                    true));
        }
        TreeMap<Long, Logged> latest = new TreeMap<>();
        box.log.tailMap(modSeq, false).values().forEach(e -> latest.put(e.uid(), e));
        List<MessageRecord> changed = new ArrayList<>();
        List<Long> vanished = new ArrayList<>();
        latest.forEach((uid, e) -> {
            if (e.expunge()) {
                vanished.add(uid);
            } else if (box.messages.containsKey(uid)) {
                changed.add(box.messages.get(uid).record());
            }
        });
        return CompletableFuture.completedFuture(new MailboxChanges(box.nextUid, box.highestModSeq, changed, vanished,
                true));
    }

    @Override
    public synchronized CompletionStage<RecentRange> claimRecent(MailboxId mailbox) {
        Box box = boxes.get(mailbox);
        if (box == null) {
            return CompletableFuture.completedFuture(new RecentRange(1, 1));
        }
        RecentRange range = new RecentRange(box.recentFloor, box.nextUid);
        box.recentFloor = box.nextUid;
        return CompletableFuture.completedFuture(range);
    }

    @Override
    public synchronized CompletionStage<Long> unclaimedRecent(MailboxId mailbox) {
        Box box = boxes.get(mailbox);
        return CompletableFuture.completedFuture(box == null ? 0L
                : (long) box.messages.tailMap(box.recentFloor, true).size());
    }

    // ---- aliases and local domains (AliasRepository, DomainRepository)

    private final Map<Username, Username> addressAliases = new HashMap<>();
    private final Map<Domain, Domain> domainAliases = new HashMap<>();
    private final java.util.TreeSet<Domain> localDomains = new java.util.TreeSet<>();

    @Override
    public synchronized CompletionStage<Void> putAlias(Alias alias) {
        if (alias instanceof Alias.AddressAlias a) {
            addressAliases.put(a.source(), a.target());
        } else {
            Alias.DomainAlias d = (Alias.DomainAlias) alias;
            domainAliases.put(d.source(), d.target());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<AliasLookup> lookupAlias(Username address) {
        Optional<Domain> domain = Domain.ofAddress(address);
        return CompletableFuture.completedFuture(domain.isEmpty() ? AliasLookup.NONE : new AliasLookup(
                Optional.ofNullable(addressAliases.get(address)), Optional.ofNullable(domainAliases.get(domain.get()))));
    }

    @Override
    public synchronized CompletionStage<Optional<Domain>> domainAlias(Domain domain) {
        return CompletableFuture.completedFuture(Optional.ofNullable(domainAliases.get(domain)));
    }

    @Override
    public synchronized CompletionStage<List<Alias>> listAliases() {
        List<Alias> all = new ArrayList<>();
        addressAliases.forEach((source, target) -> all.add(new Alias.AddressAlias(source, target)));
        domainAliases.forEach((source, target) -> all.add(new Alias.DomainAlias(source, target)));
        all.sort(java.util.Comparator.comparing(Alias::sourceText));
        return CompletableFuture.completedFuture(all);
    }

    @Override
    public synchronized CompletionStage<Boolean> deleteAddressAlias(Username source) {
        return CompletableFuture.completedFuture(addressAliases.remove(source) != null);
    }

    @Override
    public synchronized CompletionStage<Boolean> deleteDomainAlias(Domain source) {
        return CompletableFuture.completedFuture(domainAliases.remove(source) != null);
    }

    @Override
    public synchronized CompletionStage<Boolean> addDomain(Domain domain) {
        return CompletableFuture.completedFuture(localDomains.add(domain));
    }

    @Override
    public synchronized CompletionStage<Boolean> deleteDomain(Domain domain) {
        return CompletableFuture.completedFuture(localDomains.remove(domain));
    }

    @Override
    public synchronized CompletionStage<List<Domain>> listDomains() {
        return CompletableFuture.completedFuture(List.copyOf(localDomains));
    }

    @Override
    public synchronized CompletionStage<Boolean> acceptsDomain(Domain domain) {
        return CompletableFuture.completedFuture(localDomains.isEmpty() || localDomains.contains(domain));
    }
}
