package io.stratusmail.imap.session;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.limits.ConnectionLimiter;
import io.stratusmail.imap.limits.LoginThrottle;
import io.stratusmail.imap.protocol.ImapFrameDecoder;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.quota.OverQuotaException;
import io.stratusmail.mailbox.user.Username;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's commands one at a time, in the order received (RFC 3501 section 5.5: this server
 * does not run commands concurrently). Pipelined commands wait in a queue of at most
 * {@link ImapConfig#maxQueuedCommands()}; when it is full the framer is paused, which stops socket reads
 * (back-pressure), and it resumes when the queue is half empty. Likewise when the client does not read its
 * responses: once the outbound buffer is over its high-water mark (the channel is not writable) no further
 * command starts and socket reads stop until the buffer drains, so a client that pipelines thousands of
 * commands without reading costs at most the high-water mark, one command's responses and the queue. Sends the greeting, enforces the valid
 * states of each command, maps store failures to {@code NO}, and closes on LOGOUT or idle timeout.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final ImapServices services;
    private final ImapConfig config;
    private final LoginThrottle loginThrottle;
    private final ConnectionLimiter<Username> userConnections;
    private final Executor parsing;
    private final ArrayDeque<ImapCommand> queue = new ArrayDeque<>();
    private ImapSession session;
    private ImapFrameDecoder framer;
    private boolean busy;
    private boolean paused;
    private boolean dispatching;
    /** Commands wait because the client does not read its responses (the channel is not writable). */
    private boolean awaitingWritable;
    private long openedAt;

    /**
     * @param services      the store
     * @param config        limits and TLS
     * @param loginThrottle   failed-login delays, shared by the server's connections
     * @param userConnections authenticated connections per user on this node, shared by the server's connections
     * @param parsing         threads for CPU-heavy work (SEARCH parsing)
     */
    public SessionHandler(ImapServices services, ImapConfig config, LoginThrottle loginThrottle,
                          ConnectionLimiter<Username> userConnections, Executor parsing) {
        this.services = services;
        this.config = config;
        this.loginThrottle = loginThrottle;
        this.userConnections = userConnections;
        this.parsing = parsing;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        session = new ImapSession(ctx, services, config, loginThrottle, userConnections, parsing,
                Long.toString(IDS.incrementAndGet(), 36));
        framer = ctx.pipeline().get(ImapFrameDecoder.class);
        openedAt = System.nanoTime();
        LOG.info("event=imap.connection.open session={} remote={}", session.id(), session.remoteAddress());
        ctx.writeAndFlush(StatusResponse.ok(null, ResponseCode.capability(session.capabilities()),
                config.hostname() + " Stratus IMAP4rev1 server ready"));
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            LOG.info("event=imap.connection.close session={} user={} seconds={}", session.id(),
                    session.user() == null ? "-" : session.user(), (System.nanoTime() - openedAt) / 1_000_000_000L);
            session.closed();
        }
        queue.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ContinuationData data) {
            if (session.awaitingContinuation()) {
                session.completeContinuation(data);
            }
            return;
        }
        if (session.state() == SessionState.LOGOUT) {
            return;
        }
        queue.add((ImapCommand) msg);
        if (queue.size() >= config.maxQueuedCommands() && !paused) {
            paused = true;
            framer.pause();
        }
        processNext(ctx);
    }

    private void processNext(ChannelHandlerContext ctx) {
        if (dispatching) {
            return; // re-entered through resume() -> channelRead(); the outer loop carries on in order
        }
        dispatching = true;
        try {
            while (!busy && !queue.isEmpty() && session.state() != SessionState.LOGOUT) {
                if (!ctx.channel().isWritable()) {
                    awaitingWritable = true;
                    if (!paused) {
                        paused = true;
                        framer.pause();
                    }
                    break;
                }
                ImapCommand command = queue.poll();
                if (!command.validStates().contains(session.state())) {
                    ctx.writeAndFlush(StatusResponse.bad(command.tag(), wrongState(command)));
                    continue;
                }
                busy = true;
                CompletionStage<StatusResponse> result;
                try {
                    result = command.execute(session);
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                session.onEventLoop(result).whenComplete((response, error) -> finish(ctx, command, response, error));
            }
        } finally {
            dispatching = false;
        }
        if (paused && !awaitingWritable && queue.size() <= config.maxQueuedCommands() / 2
                && session.state() != SessionState.LOGOUT) {
            paused = false;
            framer.resume();
        }
    }

    private void finish(ChannelHandlerContext ctx, ImapCommand command, StatusResponse response, Throwable error) {
        busy = false;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (error != null) {
            response = failure(command, error);
        }
        if (session.takeStartTlsRequest() && error == null) {
            if (startTls(ctx, response)) {
                processNext(ctx);
                return;
            }
            response = StatusResponse.bad(command.tag(), "Commands sent after STARTTLS before the TLS handshake "
                    + "are not allowed (RFC 3501 section 6.2.1)");
        }
        if (session.state() == SessionState.LOGOUT) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            queue.clear();
            return;
        }
        ctx.writeAndFlush(response);
        processNext(ctx);
    }

    /**
     * Sends STARTTLS's OK in plaintext and puts TLS in front of the pipeline, unless the client already sent
     * more (pipelined commands or any octet): that data arrived in plaintext and could have been injected by an
     * attacker, so the connection is closed instead (RFC 3501 section 6.2.1, RFC 7817 section 3).
     *
     * @return whether TLS now starts
     */
    private boolean startTls(ChannelHandlerContext ctx, StatusResponse ok) {
        if (!queue.isEmpty() || framer.hasBufferedInput()) {
            LOG.warn("event=imap.starttls.refused session={} remote={} reason=pipelined-plaintext", session.id(),
                    session.remoteAddress());
            queue.clear();
            session.logout();
            ctx.write(StatusResponse.bye("Plaintext after STARTTLS; closing"));
            return false;
        }
        ctx.writeAndFlush(ok);
        // The OK has passed the encoder into the channel's outbound buffer, so it goes out unencrypted; every
        // octet read from now on goes through TLS first.
        SslHandler tls = config.sslContext().newHandler(ctx.alloc());
        ctx.pipeline().addFirst("ssl", tls);
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                LOG.info("event=imap.starttls.done session={} protocol={}", session.id(),
                        tls.engine().getSession().getProtocol());
            } else {
                LOG.info("event=imap.starttls.failed session={} error={}", session.id(), f.cause().toString());
            }
        });
        return true;
    }

    private StatusResponse failure(ImapCommand command, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof OverQuotaException over) {
            LOG.info("event=imap.over_quota session={} command={} resource={} limit={} usage={} requested={}",
                    session.id(), command.name(), over.resource(), over.limit(), over.usage(), over.requested());
            return StatusResponse.no(command.tag(), ResponseCode.OVERQUOTA, "Quota exceeded: "
                    + over.resource() + " limit reached, nothing was stored");
        }
        if (cause instanceof StorageUnavailableException) {
            LOG.warn("event=imap.store.unavailable session={} command={} error={}", session.id(), command.name(),
                    cause.getMessage());
            return StatusResponse.no(command.tag(), ResponseCode.UNAVAILABLE,
                    "Storage temporarily unavailable, try again");
        }
        LOG.error("event=imap.command.failed session={} command={}", session.id(), command.name(), cause);
        return StatusResponse.no(command.tag(), ResponseCode.SERVERBUG, "Internal server error");
    }

    private String wrongState(ImapCommand command) {
        return switch (session.state()) {
            case NOT_AUTHENTICATED -> command.name() + " is not allowed before authentication: log in first";
            case AUTHENTICATED -> command.validStates().contains(SessionState.SELECTED)
                    ? command.name() + " needs a selected mailbox: SELECT or EXAMINE one first"
                    : command.name() + " is not allowed: already authenticated";
            case SELECTED -> command.validStates().contains(SessionState.AUTHENTICATED)
                    ? command.name() + " is not allowed while a mailbox is selected: CLOSE or UNSELECT first"
                    : command.name() + " is not allowed: already authenticated";
            case LOGOUT -> "Logging out";
        };
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.writabilityChanged();
            if (awaitingWritable && ctx.channel().isWritable()) {
                awaitingWritable = false;
                processNext(ctx);
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.info("event=imap.autologout session={}", session.id());
            session.logout();
            ctx.writeAndFlush(StatusResponse.bye("Autologout; idle for too long"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("event=imap.connection.error session={} error={}", session == null ? "-" : session.id(),
                cause.toString());
        ctx.close();
    }
}
