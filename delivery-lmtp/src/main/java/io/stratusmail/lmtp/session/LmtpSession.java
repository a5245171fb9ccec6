package io.stratusmail.lmtp.session;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.delivery.DeliveryId;
import io.stratusmail.lmtp.delivery.Envelope;
import io.stratusmail.lmtp.delivery.MailDelivery;
import io.stratusmail.lmtp.delivery.RecipientOutcome;
import io.stratusmail.lmtp.protocol.LmtpFrame.MessageData;
import io.stratusmail.lmtp.protocol.LmtpFrameDecoder;
import io.stratusmail.lmtp.protocol.LmtpRequest;
import io.stratusmail.lmtp.protocol.LmtpResponse;
import io.stratusmail.lmtp.protocol.MailAddress;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMTP session state machine (RFC 2033, RFC 5321 section 4.1.4): greeting, LHLO, then mail
 * transactions {@code MAIL RCPT+ DATA}. Receives typed requests and mail data from the decoders, writes
 * typed replies, never touches bytes.
 *
 * <p>One command at a time: after each reply the session asks the {@link LmtpFrameDecoder} for the next
 * frame, so pipelined commands (RFC 2920) are answered in order and store calls (recipient look-up,
 * delivery) run asynchronously without blocking the event loop. After DATA it sends one reply per
 * accepted recipient, in RCPT order (RFC 2033 section 4.2): {@code 250 2.0.0} once committed,
 * {@code 451 4.3.0} when the store could not commit. Logs one line per transaction (no bodies).
 *
 * <p>One instance per channel; all state is confined to the channel's event loop.
 */
public final class LmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(LmtpSession.class);

    private static final LmtpResponse OK = LmtpResponse.of(250, "2.0.0", "OK");
    private static final LmtpResponse SENDER_OK = LmtpResponse.of(250, "2.1.0", "OK");
    private static final LmtpResponse RECIPIENT_OK = LmtpResponse.of(250, "2.1.5", "OK");
    private static final LmtpResponse START_DATA = LmtpResponse.plain(354, "Start mail input; end with <CRLF>.<CRLF>");
    private static final LmtpResponse NEED_LHLO = LmtpResponse.of(503, "5.5.1", "Send LHLO first");
    private static final LmtpResponse NESTED_MAIL = LmtpResponse.of(503, "5.5.1", "Nested MAIL command");
    private static final LmtpResponse NEED_MAIL = LmtpResponse.of(503, "5.5.1", "Need MAIL command first");
    private static final LmtpResponse NO_RECIPIENTS = LmtpResponse.of(503, "5.5.1", "No valid recipients");
    private static final LmtpResponse TOO_MANY_RECIPIENTS = LmtpResponse.of(452, "4.5.3", "Too many recipients");
    private static final LmtpResponse LOOKUP_FAILED =
            LmtpResponse.of(451, "4.3.0", "Temporary failure looking up the recipient, try again later");
    private static final LmtpResponse VRFY =
            LmtpResponse.of(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");

    private final LmtpConfig config;
    private final LmtpFrameDecoder frames;
    private final UserRepository users;
    private final MailDelivery delivery;

    private ChannelHandlerContext ctx;
    private String clientIp = "unknown";
    /** The LHLO argument; null before LHLO. */
    private String clientName;
    /** The current mail transaction; null outside one. */
    private Transaction transaction;
    /** A command or delivery is being processed asynchronously. */
    private boolean busy;

    /**
     * @param config   limits and host name
     * @param frames   this channel's frame decoder, asked for each next frame
     * @param users    to check that a recipient exists
     * @param delivery stores the messages
     */
    public LmtpSession(LmtpConfig config, LmtpFrameDecoder frames, UserRepository users, MailDelivery delivery) {
        this.config = config;
        this.frames = frames;
        this.users = users;
        this.delivery = delivery;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.clientIp = addressLiteral(ctx.channel().remoteAddress());
        reply(LmtpResponse.plain(220, config.hostname() + " LMTP Stratus ready"));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LmtpRequest request) {
            handle(request);
        } else if (msg instanceof MessageData data) {
            messageData(data);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void handle(LmtpRequest request) {
        if (request instanceof LmtpRequest.Lhlo lhlo) {
            lhlo(lhlo);
        } else if (request instanceof LmtpRequest.MailFrom mail) {
            mail(mail);
        } else if (request instanceof LmtpRequest.RcptTo rcpt) {
            rcpt(rcpt);
        } else if (request instanceof LmtpRequest.Data) {
            data();
        } else if (request instanceof LmtpRequest.Rset) {
            transaction = null;
            replyAndReadCommand(OK);
        } else if (request instanceof LmtpRequest.Noop) {
            replyAndReadCommand(OK);
        } else if (request instanceof LmtpRequest.Vrfy) {
            replyAndReadCommand(VRFY);
        } else if (request instanceof LmtpRequest.Quit) {
            ctx.writeAndFlush(LmtpResponse.of(221, "2.0.0", config.hostname() + " closing connection"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (request instanceof LmtpRequest.Rejected rejected) {
            replyAndReadCommand(rejected.reply());
        } else {
            throw new IllegalStateException("unhandled request " + request);
        }
    }

    private void lhlo(LmtpRequest.Lhlo lhlo) {
        clientName = lhlo.clientName();
        transaction = null;
        replyAndReadCommand(new LmtpResponse(250, null, List.of(
                config.hostname(),
                "PIPELINING",
                "ENHANCEDSTATUSCODES",
                "8BITMIME",
                "SIZE " + config.maxMessageSize())));
    }

    private void mail(LmtpRequest.MailFrom mail) {
        if (clientName == null) {
            replyAndReadCommand(NEED_LHLO);
        } else if (transaction != null) {
            replyAndReadCommand(NESTED_MAIL);
        } else if (mail.size().isPresent() && mail.size().getAsLong() > config.maxMessageSize()) {
            replyAndReadCommand(tooBig());
        } else {
            transaction = new Transaction(DeliveryId.next(Instant.now()), mail.reversePath());
            replyAndReadCommand(SENDER_OK);
        }
    }

    private void rcpt(LmtpRequest.RcptTo rcpt) {
        if (transaction == null) {
            replyAndReadCommand(NEED_MAIL);
            return;
        }
        if (transaction.recipientCount() >= config.maxRecipients()) {
            replyAndReadCommand(TOO_MANY_RECIPIENTS);
            return;
        }
        MailAddress address = rcpt.forwardPath();
        Username user;
        try {
            user = Username.of(address.toString());
        } catch (IllegalArgumentException e) {
            // a valid RFC 5321 address that no account can have
            replyAndReadCommand(unknownUser(address));
            return;
        }
        Transaction current = transaction;
        busy = true;
        onEventLoop(call(() -> users.exists(user)), (exists, error) -> {
            busy = false;
            if (error != null) {
                LOG.warn("lmtp.rcpt_lookup_failed id={} recipient={} error={}", current.id, user,
                        (error.getCause() != null ? error.getCause() : error).toString());
                replyAndReadCommand(LOOKUP_FAILED);
            } else if (exists) {
                current.addRecipient(user);
                replyAndReadCommand(RECIPIENT_OK);
            } else {
                replyAndReadCommand(unknownUser(address));
            }
        });
    }

    private void data() {
        if (transaction == null) {
            replyAndReadCommand(NEED_MAIL);
        } else if (transaction.recipientCount() == 0) {
            // RFC 2033 section 4.2: DATA without a successful RCPT MUST fail with 503
            transaction = null;
            replyAndReadCommand(NO_RECIPIENTS);
        } else {
            reply(START_DATA);
            frames.readMessageData();
        }
    }

    private void messageData(MessageData data) {
        Transaction done = transaction;
        transaction = null;
        List<Username> recipients = done.recipients();
        switch (data.status()) {
            case TOO_LARGE -> {
                logTransaction(done, data.octets(), 0, "too_large");
                replyEach(recipients.size(), tooBig());
            }
            case LINE_TOO_LONG -> {
                logTransaction(done, data.octets(), 0, "line_too_long");
                replyEach(recipients.size(), LmtpResponse.of(554, "5.6.0",
                        "Message has a line longer than " + config.maxDataLineLength() + " octets"));
            }
            case COMPLETE -> {
                Envelope envelope = new Envelope(done.id, done.sender.map(MailAddress::toString), recipients,
                        clientName, clientIp, Instant.now());
                busy = true;
                onEventLoop(call(() -> delivery.deliver(envelope, data.content())), (outcomes, error) -> {
                    busy = false;
                    deliveryReplies(envelope, data.octets(), outcomes, error);
                });
            }
        }
    }

    private void deliveryReplies(Envelope envelope, long octets, List<RecipientOutcome> outcomes, Throwable error) {
        List<LmtpResponse> replies = new ArrayList<>();
        int delivered = 0;
        for (int i = 0; i < envelope.recipients().size(); i++) {
            RecipientOutcome outcome = error == null ? outcomes.get(i) : null;
            if (outcome instanceof RecipientOutcome.Delivered) {
                delivered++;
                replies.add(LmtpResponse.of(250, "2.0.0", envelope.id() + " Saved"));
            } else {
                replies.add(LmtpResponse.of(451, "4.3.0", "<" + envelope.recipients().get(i)
                        + "> Temporary failure storing the message, try again later"));
            }
        }
        if (error != null) {
            LOG.error("lmtp.delivery_error id={}", envelope.id(), error);
        }
        int total = replies.size();
        logTransaction(envelope.id(), envelope.sender().orElse(""), total, octets, delivered,
                delivered == total ? "delivered" : delivered == 0 ? "failed" : "partial");
        for (LmtpResponse r : replies) {
            ctx.write(r);
        }
        ctx.flush();
        frames.readCommand();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !busy) {
            LOG.info("lmtp.idle_timeout client={}", clientIp);
            ctx.writeAndFlush(LmtpResponse.of(421, "4.4.2", config.hostname() + " Idle timeout, closing connection"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (transaction != null) {
            LOG.info("lmtp.transaction id={} client={} recipients={} result=aborted_by_disconnect",
                    transaction.id, clientIp, transaction.recipientCount());
            transaction = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("lmtp.connection_error client={} error={}", clientIp, cause.toString());
        } else {
            LOG.error("lmtp.session_error client={}", clientIp, cause);
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(LmtpResponse.of(421, "4.3.0", config.hostname() + " Internal error, closing"));
            }
        }
        ctx.close();
    }

    private void replyEach(int count, LmtpResponse response) {
        for (int i = 0; i < count; i++) {
            ctx.write(response);
        }
        ctx.flush();
        frames.readCommand();
    }

    private void replyAndReadCommand(LmtpResponse response) {
        reply(response);
        frames.readCommand();
    }

    private void reply(LmtpResponse response) {
        ctx.writeAndFlush(response);
    }

    private LmtpResponse tooBig() {
        return LmtpResponse.of(552, "5.3.4", "Message size exceeds fixed maximum message size ("
                + config.maxMessageSize() + " octets)");
    }

    private static LmtpResponse unknownUser(MailAddress address) {
        return LmtpResponse.of(550, "5.1.1", "<" + address + ">: user unknown");
    }

    private void logTransaction(Transaction t, long octets, int delivered, String result) {
        logTransaction(t.id, t.senderText(), t.recipientCount(), octets, delivered, result);
    }

    private void logTransaction(String id, String sender, int recipients, long octets, int delivered, String result) {
        LOG.info("lmtp.transaction id={} client={} sender=<{}> recipients={} size={} delivered={} result={}",
                id, clientIp, sender, recipients, octets, delivered, result);
    }

    /** Continues on this channel's event loop once {@code stage} completes. */
    private <T> void onEventLoop(CompletionStage<T> stage, java.util.function.BiConsumer<T, Throwable> then) {
        stage.whenCompleteAsync((value, error) -> {
            try {
                then.accept(value, error);
            } catch (RuntimeException e) {
                ctx.fireExceptionCaught(e);
            }
        }, ctx.executor());
    }

    private static <T> CompletionStage<T> call(java.util.function.Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The client address as in an RFC 5321 address literal, without brackets. */
    private static String addressLiteral(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            int scope = host.indexOf('%');
            if (scope >= 0) {
                host = host.substring(0, scope);
            }
            return inet.getAddress() instanceof Inet6Address ? "IPv6:" + host : host;
        }
        return "unknown";
    }
}
