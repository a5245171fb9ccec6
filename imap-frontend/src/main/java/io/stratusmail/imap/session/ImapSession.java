package io.stratusmail.imap.session;

import io.netty.channel.ChannelHandlerContext;
import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.protocol.ImapFrameDecoder;
import io.stratusmail.imap.response.ContinuationRequest;
import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.mailbox.user.Username;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The state of one IMAP connection (RFC 3501 section 3) and what commands may do with it: send typed
 * responses, change state, wait for the client's continuation line or for the socket to drain. Commands
 * never see octets. Confined to the connection's event loop: every store result must come back through
 * {@link #onEventLoop} before touching the session.
 */
public final class ImapSession {

    /** Capabilities this server implements (RFC 3501 section 7.2.1). */
    static final List<String> BASE_CAPABILITIES = List.of("IMAP4rev1", "LITERAL+", "CHILDREN");

    private final ChannelHandlerContext ctx;
    private final ImapServices services;
    private final ImapConfig config;
    private final String id;
    private SessionState state = SessionState.NOT_AUTHENTICATED;
    private Username user;
    private SelectedMailbox selected;
    private CompletableFuture<ContinuationData> continuation;
    private CompletableFuture<Void> writable;

    ImapSession(ChannelHandlerContext ctx, ImapServices services, ImapConfig config, String id) {
        this.ctx = ctx;
        this.services = services;
        this.config = config;
        this.id = id;
    }

    public ImapServices services() {
        return services;
    }

    public ImapConfig config() {
        return config;
    }

    /** A short connection id for logs. */
    public String id() {
        return id;
    }

    public String remoteAddress() {
        return String.valueOf(ctx.channel().remoteAddress());
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

    /** The capabilities to announce in the current state. */
    public List<String> capabilities() {
        List<String> caps = new ArrayList<>(BASE_CAPABILITIES);
        if (state == SessionState.NOT_AUTHENTICATED) {
            caps.add("SASL-IR");
            caps.add("AUTH=PLAIN");
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

    /** Authenticated state for {@code user} (LOGIN, AUTHENTICATE); literals may now be as large as configured. */
    public void authenticated(Username user) {
        this.user = user;
        this.state = SessionState.AUTHENTICATED;
        ImapFrameDecoder framer = ctx.pipeline().get(ImapFrameDecoder.class);
        if (framer != null) {
            framer.setMaxLiteralSize(config.maxLiteralSize());
        }
    }

    /** Selected state on {@code mailbox} (SELECT, EXAMINE). */
    public void select(SelectedMailbox mailbox) {
        this.selected = mailbox;
        this.state = SessionState.SELECTED;
    }

    /** Back to the authenticated state (CLOSE, failed SELECT). */
    public void deselect() {
        this.selected = null;
        if (state == SessionState.SELECTED) {
            this.state = SessionState.AUTHENTICATED;
        }
    }

    /** Logout state: the connection closes once the tagged response is out. */
    public void logout() {
        this.selected = null;
        this.state = SessionState.LOGOUT;
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
        ctx.flush();
        if (writable == null) {
            writable = new CompletableFuture<>();
        }
        return writable;
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
