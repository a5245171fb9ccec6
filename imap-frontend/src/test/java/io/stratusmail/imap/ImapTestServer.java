package io.stratusmail.imap;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.Username;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A real {@link ImapServer} on an ephemeral loopback port over {@link InMemoryMailStore}, with helpers that
 * create users, mailboxes and messages directly in the store.
 */
public final class ImapTestServer implements AutoCloseable {

    public final InMemoryMailStore store;
    private final ExecutorService hashing = Executors.newFixedThreadPool(2);
    public final Accounts accounts;
    private final ImapServer server;
    private final InetSocketAddress address;

    public ImapTestServer() throws InterruptedException {
        this(ImapConfig.defaults("imap.test"));
    }

    public ImapTestServer(ImapConfig config) throws InterruptedException {
        this(config, UnaryOperator.identity());
    }

    /**
     * @param messages wraps the store the server sees as its {@link MessageStore} (e.g. to count calls); the
     *                 helpers of this class still use {@link #store} directly
     */
    public ImapTestServer(ImapConfig config, UnaryOperator<MessageStore> messages) throws InterruptedException {
        this(config, new InMemoryMailStore(), messages);
    }

    /** A server over {@code store} (e.g. one with a low limit of mailbox names). */
    public ImapTestServer(ImapConfig config, InMemoryMailStore store, UnaryOperator<MessageStore> messages)
            throws InterruptedException {
        this(config, store, messages, new MailboxEvents());
    }

    /** A server whose sessions subscribe to change hints on {@code events} (wrap the store to publish on it). */
    public ImapTestServer(ImapConfig config, InMemoryMailStore store, UnaryOperator<MessageStore> messages,
                          MailboxEvents events) throws InterruptedException {
        this.store = store;
        // Cheap Argon2 parameters: the tests exercise the protocol, not the hash strength.
        accounts = new Accounts(store, store, new PasswordHasher(1024, 1, 1), hashing);
        MessageStore wrapped = messages.apply(store);
        server = new ImapServer(config, accounts, store, wrapped, Quotas.withoutLimits(store, wrapped), events);
        address = server.start("127.0.0.1", 0);
    }

    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Starts the implicit TLS listener (the config must have TLS) and returns its address. */
    public InetSocketAddress startImplicitTls() throws InterruptedException {
        return server.startImplicitTls("127.0.0.1", 0);
    }

    public ImapTestClient connect() throws Exception {
        return new ImapTestClient(address);
    }

    /** A connected client past the greeting and logged in as {@code user}. */
    public ImapTestClient login(String user, String password) throws Exception {
        ImapTestClient c = connect();
        c.readLine();
        c.command("pre", "LOGIN " + user + " " + password);
        return c;
    }

    public Username user(String name, String password) {
        Username u = Username.of(name);
        accounts.createOrUpdate(u, password.toCharArray()).toCompletableFuture().join();
        return u;
    }

    public Mailbox mailbox(Username user, String name) {
        MailboxName n = new MailboxName(name);
        return store.find(user, n).toCompletableFuture().join()
                .orElseGet(() -> store.create(user, n).toCompletableFuture().join());
    }

    public MessageRecord append(Mailbox mailbox, String message, String... flags) {
        return append(mailbox, message, Instant.parse("2024-03-05T09:08:07Z"), flags);
    }

    public MessageRecord append(Mailbox mailbox, String message, Instant date, String... flags) {
        return store.append(mailbox, message.getBytes(StandardCharsets.UTF_8), Flags.of(flags), date)
                .toCompletableFuture().join().record();
    }

    /** A small RFC 5322 message with CRLF line ends. */
    public static String message(String subject, String body) {
        return "From: Alice <alice@example.org>\r\n"
                + "To: bob@example.org\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Tue, 5 Mar 2024 10:08:07 +0100\r\n"
                + "Message-ID: <" + Math.abs(subject.hashCode()) + "@example.org>\r\n"
                + "\r\n"
                + body;
    }

    @Override
    public void close() {
        server.stop();
        hashing.shutdownNow();
    }
}
