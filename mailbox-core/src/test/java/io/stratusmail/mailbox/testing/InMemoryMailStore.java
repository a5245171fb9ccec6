package io.stratusmail.mailbox.testing;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxExistsException;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A fake of the store interfaces for protocol unit tests: everything in memory, one lock, completed
 * futures. Keeps the same UID/MODSEQ rules as the real store. Not for integration tests.
 */
public final class InMemoryMailStore implements UserRepository, MailboxRepository, MessageStore {

    private record Stored(MessageRecord record, byte[] content) {
    }

    private static final class Box {
        final Mailbox mailbox;
        final TreeMap<Long, Stored> messages = new TreeMap<>();
        long nextUid = 1;
        long highestModSeq = 0;

        Box(Mailbox mailbox) {
            this.mailbox = mailbox;
        }
    }

    private final Map<Username, String> users = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    private final Map<MailboxId, Box> boxes = new HashMap<>();
    private long nextUidValidity = 1;

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
    public synchronized CompletionStage<Mailbox> create(Username owner, MailboxName name) {
        if (findNow(owner, name).isPresent()) {
            return CompletableFuture.failedFuture(new MailboxExistsException(name));
        }
        Mailbox m = new Mailbox(MailboxId.random(), owner, name, nextUidValidity++);
        boxes.put(m.id(), new Box(m));
        return CompletableFuture.completedFuture(m);
    }

    private Optional<Mailbox> findNow(Username owner, MailboxName name) {
        return boxes.values().stream().map(b -> b.mailbox)
                .filter(m -> m.owner().equals(owner) && m.name().equals(name)).findFirst();
    }

    @Override
    public synchronized CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name) {
        return CompletableFuture.completedFuture(findNow(owner, name));
    }

    @Override
    public synchronized CompletionStage<List<Mailbox>> list(Username owner) {
        return CompletableFuture.completedFuture(boxes.values().stream().map(b -> b.mailbox)
                .filter(m -> m.owner().equals(owner)).sorted((a, b) -> a.name().compareTo(b.name())).toList());
    }

    @Override
    public synchronized CompletionStage<Mailbox> ensureInbox(Username owner) {
        Optional<Mailbox> inbox = findNow(owner, MailboxName.INBOX);
        return inbox.<CompletionStage<Mailbox>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> create(owner, MailboxName.INBOX));
    }

    @Override
    public synchronized CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags,
                                                             Instant internalDate) {
        Box box = boxes.get(mailbox.id());
        MessageRecord r = new MessageRecord(box.nextUid++, ++box.highestModSeq, flags, content.length, internalDate);
        box.messages.put(r.uid(), new Stored(r, content.clone()));
        return CompletableFuture.completedFuture(new AppendResult(mailbox.uidValidity(), r));
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
                r = new MessageRecord(uid, ++box.highestModSeq, next, r.size(), r.internalDate());
                box.messages.put(uid, new Stored(r, s.content()));
            }
            out.add(r);
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized CompletionStage<List<Long>> expunge(MailboxId mailbox, Collection<Long> uids) {
        Box box = boxes.get(mailbox);
        List<Long> removed = new ArrayList<>();
        for (long uid : uids.stream().sorted().distinct().toList()) {
            Stored s = box.messages.get(uid);
            if (s != null && s.record().flags().contains(Flags.DELETED)) {
                box.messages.remove(uid);
                box.highestModSeq++;
                removed.add(uid);
            }
        }
        return CompletableFuture.completedFuture(removed);
    }
}
