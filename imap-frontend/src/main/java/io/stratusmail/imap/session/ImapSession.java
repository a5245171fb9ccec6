package io.stratusmail.imap.session;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.limits.ConnectionLimiter;
import io.stratusmail.imap.limits.LoginThrottle;
import io.stratusmail.imap.protocol.ImapFrameDecoder;
import io.stratusmail.imap.response.ContinuationRequest;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.mailbox.event.MailboxChange;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.mailbox.user.Username;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one IMAP connection (RFC 3501 section 3) and what commands may do with it: send typed
 * responses, change state, wait for the client's continuation line or for the socket to drain. Commands
 * never see octets. Confined to the connection's event loop: every store result must come back through
 * {@link #onEventLoop} before touching the session.
 */
public final class ImapSession {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    /**
     * Capabilities this server implements in every state (RFC 3501 section 7.2.1; RFC 7888 LITERAL+, RFC 3348
     * CHILDREN, RFC 2971 ID, RFC 2177 IDLE, RFC 2342 NAMESPACE, RFC 4315 UIDPLUS, RFC 3691 UNSELECT, RFC 5161
     * ENABLE); {@code APPENDLIMIT=n} (RFC 7889) follows them.
     */
    static final List<String> BASE_CAPABILITIES = List.of("IMAP4rev1", "LITERAL+", "CHILDREN", "ID", "IDLE",
            "NAMESPACE", "UIDPLUS", "UNSELECT", "ENABLE", "MOVE", "CONDSTORE", "QRESYNC", "ESEARCH",
            "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "CREATE-SPECIAL-USE", "STATUS=SIZE",
            "QUOTA", "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE");

    private final ChannelHandlerContext ctx;
    private final ImapServices services;
    private final ImapConfig config;
    private final LoginThrottle loginThrottle;
    private final ConnectionLimiter<Username> userConnections;
    private final Executor parsing;
    private final String id;
    private SessionState state = SessionState.NOT_AUTHENTICATED;
    private Username user;
    private SelectedMailbox selected;
    private CompletableFuture<ContinuationData> continuation;
    private CompletableFuture<Void> writable;
    private boolean startTlsRequested;
    private boolean condstoreEnabled;
    private boolean qresyncEnabled;
    private MailboxEvents.Subscription hints;
    private boolean changesPending;
    private Runnable changeListener;
    /** The user whose connection count this connection holds ({@link #acquireUserConnection}); null when none. */
    private Username countedUser;

    ImapSession(ChannelHandlerContext ctx, ImapServices services, ImapConfig config, LoginThrottle loginThrottle,
                ConnectionLimiter<Username> userConnections, Executor parsing, String id) {
        this.ctx = ctx;
        this.services = services;
        this.config = config;
        this.loginThrottle = loginThrottle;
        this.userConnections = userConnections;
        this.parsing = parsing;
        this.id = id;
    }

    public ImapServices services() {
        return services;
    }

    public ImapConfig config() {
        return config;
    }

    /** The node's failed-login bookkeeping (per client address). */
    public LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    /**
     * Threads for CPU-heavy work such as parsing messages for SEARCH, so the event loop never does it. Results
     * must come back through {@link #onEventLoop}.
     */
    public Executor parsing() {
        return parsing;
    }

    /** A short connection id for logs. */
    public String id() {
        return id;
    }

    public String remoteAddress() {
        return String.valueOf(ctx.channel().remoteAddress());
    }

    /** The client's IP address; null when the transport has none (e.g. an in-process channel). */
    public InetAddress clientAddress() {
        SocketAddress remote = ctx.channel().remoteAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** Whether the connection is protected by TLS (implicit TLS, or after STARTTLS). */
    public boolean tlsActive() {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    /** Whether LOGIN and AUTHENTICATE PLAIN may be used now: over TLS, or when plaintext is allowed. */
    public boolean plaintextAuthAllowed() {
        return config.allowPlaintextAuth() || tlsActive();
    }

    /**
     * Asks for TLS to start right after this command's tagged response (STARTTLS, RFC 3501 section 6.2.1): the
     * session handler then sends the response in plaintext and puts TLS in front of everything that follows,
     * or refuses when the client already sent more data.
     */
    public void requestStartTls() {
        startTlsRequested = true;
    }

    boolean takeStartTlsRequest() {
        boolean requested = startTlsRequested;
        startTlsRequested = false;
        return requested;
    }

    public SessionState state() {
        return state;
    }

    /** The logged-in user; null before authentication. */
    public Username user() {
        return user;
    }

    /** The selected mailbox; null unless in the selected state. */
    public SelectedMailbox selected() {
        return selected;
    }

    /**
     * Whether CONDSTORE is enabled (RFC 7162 section 3.1: by ENABLE, SELECT (CONDSTORE) or the first
     * CONDSTORE-enabling command): unsolicited FETCH responses then carry MODSEQ. Stays on for the connection.
     */
    public boolean condstoreEnabled() {
        return condstoreEnabled;
    }

    /** Turns CONDSTORE on for the rest of the connection. */
    public void enableCondstore() {
        condstoreEnabled = true;
    }

    /**
     * Whether QRESYNC is enabled (RFC 7162 section 3.2.3, only by ENABLE QRESYNC): VANISHED replaces EXPUNGE and
     * unsolicited FETCH responses carry UID. Implies CONDSTORE.
     */
    public boolean qresyncEnabled() {
        return qresyncEnabled;
    }

    /** Turns QRESYNC (and with it CONDSTORE) on for the rest of the connection. */
    public void enableQresync() {
        qresyncEnabled = true;
        condstoreEnabled = true;
    }

    /**
     * The capabilities to announce in the current state: {@link #BASE_CAPABILITIES}, {@code APPENDLIMIT=n}, and
     * before login {@code STARTTLS} (TLS configured and not active yet), then {@code SASL-IR AUTH=PLAIN AUTH=LOGIN}
     * when plaintext authentication is allowed here, else {@code LOGINDISABLED} (RFC 3501 section 6.2.3).
     */
    public List<String> capabilities() {
        List<String> caps = new ArrayList<>(BASE_CAPABILITIES);
        caps.add("APPENDLIMIT=" + config.maxLiteralSize());
        if (state == SessionState.NOT_AUTHENTICATED) {
            if (config.tlsEnabled() && !tlsActive()) {
                caps.add("STARTTLS");
            }
            if (plaintextAuthAllowed()) {
                caps.add("SASL-IR");
                caps.add("AUTH=PLAIN");
                caps.add("AUTH=LOGIN");
            } else {
                caps.add("LOGINDISABLED");
            }
        }
        return caps;
    }

    /** Queues a response; it goes out at the next flush (at the latest with the tagged response). */
    public void send(ImapResponse response) {
        ctx.write(response);
    }

    public void flush() {
        ctx.flush();
    }

    /** Whether the outbound buffer is below its high-water mark (a client that reads keeps it so). */
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /** Completes on the event loop after {@code delay}, without blocking it (failed-login delays). */
    public CompletionStage<Void> delay(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.executor().schedule(() -> done.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
        return done;
    }

    /** Runs {@code task} on the event loop after {@code delay} (IDLE's timers); cancel the result to stop it. */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends {@code * BYE text}, moves to the logout state and closes the connection (e.g. IDLE timeout). */
    public void closeWithBye(String text) {
        logout();
        ctx.writeAndFlush(StatusResponse.bye(text)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Counts this connection as one of {@code user}'s on this node, before {@link #authenticated}; the count is
     * released when the connection closes.
     *
     * @return false when the user already has {@link ImapConfig#maxConnectionsPerUser()} connections here (the
     *         login must then be refused with {@code NO [LIMIT]})
     */
    public boolean acquireUserConnection(Username user) {
        if (state == SessionState.LOGOUT) {
            return false; // closed while the credentials were checked: closed() will not run again to release
        }
        if (countedUser != null) {
            return countedUser.equals(user);
        }
        if (!userConnections.tryAcquire(user)) {
            return false;
        }
        countedUser = user;
        return true;
    }

    /** Authenticated state for {@code user} (LOGIN, AUTHENTICATE); literals may now be as large as configured. */
    public void authenticated(Username user) {
        this.user = user;
        this.state = SessionState.AUTHENTICATED;
        ImapFrameDecoder framer = ctx.pipeline().get(ImapFrameDecoder.class);
        if (framer != null) {
            framer.setMaxLiteralSize(config.maxLiteralSize());
        }
    }

    /**
     * Selected state on {@code mailbox} (SELECT, EXAMINE). The session subscribes to the mailbox's change hints
     * ({@link ImapServices#events()}) until it deselects, selects another mailbox, logs out or the connection
     * closes.
     */
    public void select(SelectedMailbox mailbox) {
        this.selected = mailbox;
        this.state = SessionState.SELECTED;
        watch(mailbox);
    }

    /** Back to the authenticated state (CLOSE, failed SELECT). */
    public void deselect() {
        this.selected = null;
        unwatch();
        if (state == SessionState.SELECTED) {
            this.state = SessionState.AUTHENTICATED;
        }
    }

    /** Logout state: the connection closes once the tagged response is out. */
    public void logout() {
        this.selected = null;
        unwatch();
        this.state = SessionState.LOGOUT;
    }

    /**
     * Whether a hint said the selected mailbox changed beyond what the client has been told since the last call;
     * clears the mark. Outside IDLE a hint only sets this mark: the client hears of the change at its next
     * command that reports changes (NOOP, CHECK, ...), never outside the moments RFC 3501 section 7.4.1 allows.
     */
    public boolean takeChangesPending() {
        boolean pending = changesPending;
        changesPending = false;
        return pending;
    }

    /**
     * Runs {@code listener} on the event loop after each hint that the selected mailbox changed (hints arriving
     * together are coalesced into one call); null stops it. IDLE uses it to push changes at once.
     */
    public void onChangesPending(Runnable listener) {
        this.changeListener = listener;
    }

    private void watch(SelectedMailbox mailbox) {
        unwatch();
        try {
            hints = services.events().subscribe(mailbox.mailbox().id(), ctx.executor(),
                    change -> hinted(mailbox, change));
        } catch (IllegalStateException e) {
            // Bus full: this session learns of changes from its poll alone.
            LOG.warn("event=imap.hints.unsubscribed session={} reason={}", id, e.getMessage());
        }
    }

    private void unwatch() {
        if (hints != null) {
            hints.close();
            hints = null;
        }
        changesPending = false;
    }

    private void hinted(SelectedMailbox mailbox, MailboxChange change) {
        if (selected != mailbox || !change.newerThan(mailbox.syncedModSeq())) {
            return;
        }
        changesPending = true;
        if (changeListener != null) {
            changeListener.run();
        }
    }

    /** Continues on this session's event loop once {@code stage} completes (store calls complete elsewhere). */
    public <T> CompletionStage<T> onEventLoop(CompletionStage<T> stage) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }));
        return result;
    }

    /**
     * Sends {@code + challenge} and completes with the client's next line (RFC 3501 section 7.5).
     * Fails with {@link ClosedChannelException} when the connection closes first.
     */
    public CompletionStage<ContinuationData> continuation(String challenge) {
        continuation = new CompletableFuture<>();
        ctx.channel().attr(ContinuationData.EXPECTED).set(Boolean.TRUE);
        ctx.writeAndFlush(new ContinuationRequest(challenge));
        return continuation;
    }

    /** Completes when the outbound buffer is below its high-water mark again (flushing first if needed). */
    public CompletionStage<Void> whenWritable() {
        if (!ctx.channel().isActive()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (ctx.channel().isWritable()) {
            return CompletableFuture.completedFuture(null);
        }
        // The future must exist before the flush: a flush that drains the buffer fires writabilityChanged at once.
        CompletableFuture<Void> w = writable;
        if (w == null) {
            w = new CompletableFuture<>();
            writable = w;
        }
        ctx.flush();
        writabilityChanged();
        return w;
    }

    boolean awaitingContinuation() {
        return continuation != null;
    }

    void completeContinuation(ContinuationData data) {
        CompletableFuture<ContinuationData> c = continuation;
        continuation = null;
        ctx.channel().attr(ContinuationData.EXPECTED).set(null);
        c.complete(data);
    }

    void writabilityChanged() {
        if (writable != null && ctx.channel().isWritable()) {
            CompletableFuture<Void> w = writable;
            writable = null;
            w.complete(null);
        }
    }

    void closed() {
        state = SessionState.LOGOUT;
        selected = null;
        unwatch();
        changeListener = null;
        if (countedUser != null) {
            userConnections.release(countedUser);
            countedUser = null;
        }
        if (continuation != null) {
            CompletableFuture<ContinuationData> c = continuation;
            continuation = null;
            c.completeExceptionally(new ClosedChannelException());
        }
        if (writable != null) {
            CompletableFuture<Void> w = writable;
            writable = null;
            w.completeExceptionally(new ClosedChannelException());
        }
    }
}
