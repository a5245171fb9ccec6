package io.stratusmail.lmtp.testing;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.LmtpServer;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.address.RecipientResolver;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An {@link LmtpServer} on an ephemeral loopback port over an {@link InMemoryMailStore} with the users
 * {@code alice@example.com} and {@code bob@example.com}.
 */
public final class TestServer implements AutoCloseable {

    public static final String HOSTNAME = "lmtp.stratus.test";

    public final InMemoryMailStore store = new InMemoryMailStore();
    public final LmtpServer server;
    public final InetSocketAddress address;

    public TestServer() {
        this(LmtpConfig.defaults(HOSTNAME), null, null, MessageIndexer.NONE);
    }

    /**
     * @param messages wraps the in-memory store into the message store the server uses, or null for none
     * @param users    a user repository to use instead of the in-memory one, or null
     */
    public TestServer(LmtpConfig config, Function<InMemoryMailStore, MessageStore> messages, UserRepository users,
                      MessageIndexer indexer) {
        this(config, messages, users, indexer, DeliveryLog.NONE);
    }

    /** A server that stores a message sent again within the config's duplicate window once, using {@code log}. */
    public TestServer(LmtpConfig config, DeliveryLog log) {
        this(config, null, null, MessageIndexer.NONE, log);
    }

    /** As {@link #TestServer(LmtpConfig, Function, UserRepository, MessageIndexer)}, deduplicating with {@code log}. */
    public TestServer(LmtpConfig config, Function<InMemoryMailStore, MessageStore> messages, UserRepository users,
                      MessageIndexer indexer, DeliveryLog log) {
        for (String user : List.of("alice@example.com", "bob@example.com")) {
            store.put(Username.of(user), "unused-hash");
        }
        MessageStore appends = messages == null ? store : messages.apply(store);
        server = new LmtpServer(config, new RecipientResolver(users == null ? store : users, store, store), store,
                appends, indexer, Quotas.withoutLimits(store, appends), log);
        address = server.start("127.0.0.1", 0);
    }

    /** The contents of a mailbox of the user, ascending by UID; empty when it does not exist. */
    public List<byte[]> mailbox(String user, String name) {
        Optional<Mailbox> box = store.find(Username.of(user), new MailboxName(name)).toCompletableFuture().join();
        List<byte[]> out = new ArrayList<>();
        if (box.isEmpty()) {
            return out;
        }
        for (MessageRecord r : store.snapshot(box.get()).toCompletableFuture().join().messages()) {
            out.add(store.content(box.get().id(), r.uid()).toCompletableFuture().join().orElseThrow());
        }
        return out;
    }

    public static LmtpConfig config() {
        return LmtpConfig.defaults(HOSTNAME);
    }

    public LmtpClient connect() {
        return LmtpClient.afterLhlo(address);
    }

    /** The contents of the user's INBOX, ascending by UID; empty when there is no INBOX. */
    public List<byte[]> inbox(String user) {
        return mailbox(user, "INBOX");
    }

    @Override
    public void close() {
        server.stop();
    }
}
